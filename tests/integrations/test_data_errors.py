"""Issue 28, finding 5: a site's own data that can't be used stops MkDocs, Sphinx and the CLI
with one line naming the file (and the line where there is one), never a traceback."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def broken(root: pathlib.Path, how: str) -> pathlib.Path:
    rules = root / "rules"
    shutil.copytree(ROOT / "decision" / "data", rules)
    signals = rules / "signals.toml"
    if how == "not-utf8":
        signals.write_bytes(signals.read_bytes() + b"\n# caf\xe9\n")
    elif how == "bad-toml":
        signals.write_text(signals.read_text(encoding="utf-8") + "\nlabel = = 1\n", encoding="utf-8")
    return rules


CASES = [("not-utf8", "signals.toml", "not UTF-8"), ("bad-toml", "signals.toml", "not valid TOML")]


def one_line(output: str, file: str, problem: str) -> None:
    assert "Traceback" not in output and "please open an issue" not in output, output
    lines = [line for line in output.splitlines() if "whatmatters:" in line]
    assert lines and file in lines[0] and problem in lines[0], output


@pytest.mark.parametrize(("how", "file", "problem"), CASES)
def test_mkdocs(tmp_path: pathlib.Path, how: str, file: str, problem: str) -> None:
    broken(tmp_path, how)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Handbook\n\n```whatmatters\nwidget: stage\n```\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Handbook\nplugins:\n  - whatmatters:\n      data_dir: rules\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    one_line(done.stdout + done.stderr, file, problem)


@pytest.mark.parametrize(("how", "file", "problem"), CASES)
def test_sphinx(tmp_path: pathlib.Path, how: str, file: str, problem: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    broken(src, how)
    (src / "conf.py").write_text(
        'project = "Handbook"\nextensions = ["decision.sphinx"]\nwhatmatters_data_dir = "rules"\n',
        encoding="utf-8",
    )
    (src / "index.rst").write_text("Handbook\n========\n\n.. whatmatters::\n\n   widget: stage\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(tmp_path / "out")],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    one_line(done.stdout + done.stderr, file, problem)


@pytest.mark.parametrize(("how", "file", "problem"), [*CASES, ("a-file", "README.md", "is not a folder")])
def test_cli(tmp_path: pathlib.Path, how: str, file: str, problem: str) -> None:
    data = ROOT / "README.md" if how == "a-file" else broken(tmp_path, how)
    done = subprocess.run(
        [sys.executable, "-m", "decision", "assets", str(tmp_path / "out"), "--data", str(data)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    one_line(done.stderr, file, problem)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
