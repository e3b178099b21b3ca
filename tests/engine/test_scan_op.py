"""The engine's `scan` operation: the CLI's report for the same files, clear errors, and no flood guard for other ops."""

from __future__ import annotations

import base64
import os
import pathlib
import subprocess
import sys

import pytest

from decision.api import handle
from decision.cli.scanning import scan_path
from decision.protocol import SCAN_MAX_CHARS, SCAN_MAX_FILES
from helpers.scan_corpus import AWS, REPOS, write

ROOT = pathlib.Path(__file__).resolve().parents[2]


def files_of(root: pathlib.Path) -> list[dict[str, str]]:
    return [
        {"path": p.relative_to(root).as_posix(), "base64": base64.b64encode(p.read_bytes()).decode()}
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def scan(files: list[dict[str, object]]) -> dict:
    return handle({"v": 1, "op": "scan", "files": files, "render": True})


@pytest.mark.parametrize("name", sorted(REPOS))
def test_same_report_as_the_cli(tmp_path: pathlib.Path, name: str) -> None:
    repo = write(tmp_path, name)
    (repo / ".gitignore").write_text(".env\n", encoding="utf-8")
    (repo / ".env").write_text(f"KEY={AWS}\n", encoding="utf-8")
    (repo / "node_modules" / "x").mkdir(parents=True)
    (repo / "node_modules" / "x" / "a.js").write_text("el.innerHTML = y;\n", encoding="utf-8")
    (repo / "blob.bin").write_bytes(b"\0" * 64)
    cli = scan_path(repo)
    response = scan(files_of(repo))
    assert response["ok"], response
    assert {k: response["result"][k] for k in cli} == cli
    for f in (f for b in cli["basics"] for f in b["findings"]):
        assert f"{f['file']}:{f['line']}" in response["html"]


def test_gitignore_and_text_forms() -> None:
    """A .gitignore'd key file isn't flagged; one git would commit is; a NUL-bearing text counts as binary."""
    env = {"path": ".env", "text": f"KEY={AWS}\n"}
    flagged = scan([env])["result"]
    assert not flagged["passed"]
    hidden = scan([env, {"path": ".gitignore", "text": ".env\n"}])["result"]
    assert hidden["passed"] and hidden["files_read"] == 1
    deep = scan([{"path": "a/b/.env", "text": "x"}, {"path": "a/.gitignore", "text": "b/\n"}])["result"]
    assert deep["passed"]
    binary = scan([{"path": "x.py", "text": "\0" + f'K = "{AWS}"'}])["result"]
    assert binary["passed"] and binary["skipped"] == {"binary": 1}
    huge = scan([{"path": "big.py", "size": 10**9}])["result"]
    assert huge["skipped"] == {"huge": 1}


def test_no_files_is_the_empty_form() -> None:
    response = scan([])
    assert response["ok"] and response["result"]["scanned"] is False
    assert "webkitdirectory" in response["html"] and "node_modules" in response["html"]


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ("x", "should be a list"),
        ([{"path": "a"}], "a path and one of"),
        ([{"path": "a", "text": 5}], "text, a base64 or a size"),
        ([{"path": "../a", "text": ""}], "relative"),
        ([{"path": "/etc/passwd", "text": ""}], "relative"),
        ([{"path": "a", "text": "", "extra": 1}], "a path and one of"),
        ([{"path": "a", "text": ""}, {"path": "a", "text": ""}], "repeats"),
        ([{"path": "a", "base64": "!!"}], "base64"),
        ([{"path": "a", "size": -1}], "size"),
        ([{"path": "a", "size": True}], "size"),
        ([{"path": str(i), "size": 1} for i in range(SCAN_MAX_FILES + 1)], "up to 20,000"),
        ([{"path": "a", "text": "x" * SCAN_MAX_CHARS}, {"path": "b", "text": "x"}], "smaller folder"),
    ],
)
def test_bad_files_get_a_sentence(files: object, words: str) -> None:
    response = handle({"v": 1, "op": "scan", "files": files})
    assert response["ok"] is False and response["error"]["code"] == "bad-files"
    assert words in response["error"]["message"], response["error"]["message"]


def test_a_user_string_is_escaped() -> None:
    html = scan([{"path": "<img src=x onerror=alert(1)>/settings.py", "text": f'AWS_ACCESS_KEY_ID = "{AWS}"'}])["html"]
    assert "<img" not in html and "&lt;img" in html


def test_other_ops_never_load_the_rules() -> None:
    """The flood guard (about 0.65 s) runs at the first scan with files, not for a plan or the empty form."""
    code = (
        "from decision.api import handle\n"
        "from decision.scan_rules import rules\n"
        "assert handle({'v': 1, 'op': 'plan', 'signals': {}, 'render': True})['ok']\n"
        "assert handle({'v': 1, 'op': 'scan', 'render': True})['ok']\n"
        "print(rules.cache_info().currsize)\n"
        "handle({'v': 1, 'op': 'scan', 'files': [{'path': 'a.py', 'text': ''}]})\n"
        "print(rules.cache_info().currsize)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["0", "1"]
