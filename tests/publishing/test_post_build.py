"""Issue 24: `whatmatters publish SITE_DIR`, the post-build command any generator can run, refuses bad input
in one sentence (exit 2), and the MkDocs hooks are its steps, not a second copy of them."""

from __future__ import annotations

import ast
import pathlib

import pytest

from decision.cli import commands
from decision.publishing import post_build
from helpers.site import ROOT


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = commands.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("make", "args", "says"),
    [
        (None, ["missing"], "there is no folder"),
        ("file", ["file"], "is a file, not a built site's folder"),
        ("empty", ["empty"], "isn't a built site: it has no index.html"),
        ("site", ["site", "--site-url", "ftp://example.org/"], "should be an address like https://"),
        ("site", ["site", "--site-url", "example.org"], "should be an address like https://"),
        ("site", ["site", "--pyodide", "nowhere"], "not found in nowhere"),
        ("site", ["site", "--data", "nowhere"], "the data in nowhere can't be used"),
    ],
)
def test_bad_input_is_one_sentence(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], make, args, says
) -> None:
    """Each mistake exits 2 with one line that says what is wrong, and writes nothing into the folder."""
    monkeypatch.chdir(tmp_path)
    if make == "file":
        (tmp_path / "file").write_text("x", encoding="utf-8")
    elif make == "empty":
        (tmp_path / "empty").mkdir()
    elif make == "site":
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "index.html").write_text("<!doctype html><head></head><p>hi</p>", encoding="utf-8")
    code, out, err = cli(capsys, "publish", *args)
    assert (code, out) == (2, "")
    assert err.startswith("whatmatters: ") and says in err and err.count("\n") == 1, err
    assert "Traceback" not in err
    if make == "site":
        assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]


def test_a_good_address_passes_and_gains_its_slash() -> None:
    assert post_build.check_url("https://example.org/docs") == "https://example.org/docs/"
    assert post_build.check_url(None) is None


def test_the_hooks_call_the_commands_steps() -> None:
    """Every hook imports its work from post_build, the module behind `whatmatters publish`, and nothing else of ours."""
    steps = {"whatmatters.py": "place_runtime", "embed.py": "add_embeds", "pages.py": "stamp", "csp.py": "protect"}
    for name, step in steps.items():
        tree = ast.parse((ROOT / "hooks" / name).read_text(encoding="utf-8"))
        ours = [
            (node.module, [a.name for a in node.names])
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("decision")
        ]
        assert ours == [("decision.publishing.post_build", [step])], name


def test_no_docstring_sends_site_owners_to_an_internal_module() -> None:
    """The last item of issue 23: pages.py, csp.py and the hooks name the public command, not `python -m decision...`."""
    for path in [ROOT / "decision" / "publishing" / "pages.py", ROOT / "decision" / "publishing" / "csp.py"]:
        assert "python -m decision" not in path.read_text(encoding="utf-8"), path.name
    for path in sorted((ROOT / "hooks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "python -m decision" not in text and "whatmatters publish" in text, path.name
