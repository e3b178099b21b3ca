"""No Python or JavaScript source file of the repository is over 400 lines (issue #23).

Every file git tracks that ends in .py, .js or .mjs is counted, tests and tools included, so a
file that grows past the limit fails here and gets split along its seams instead.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 400
SOURCES = ("*.py", "*.js", "*.mjs")


def tracked(root: pathlib.Path) -> list[pathlib.Path]:
    """The Python and JavaScript files git tracks under `root` that are in the work tree."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", *SOURCES], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    return [root / name for name in out.split("\0") if name and (root / name).is_file()]


def too_long(root: pathlib.Path) -> list[str]:
    """`path: N lines` for each tracked source file over the limit."""
    found = []
    for path in tracked(root):
        lines = len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        if lines > LIMIT:
            found.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return found


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
class TestSizes:
    def test_every_source_file_is_at_most_400_lines(self) -> None:
        """Every tracked .py, .js and .mjs file is at most 400 lines."""
        assert tracked(ROOT), "git lists no source files"
        assert too_long(ROOT) == []

    def test_the_check_sees_a_long_file(self, tmp_path: pathlib.Path) -> None:
        """A tracked file one line over the limit is caught; an untracked one and other kinds are not."""
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
        (tmp_path / "long.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
        (tmp_path / "ok.mjs").write_text("let x;\n" * LIMIT, encoding="utf-8")
        (tmp_path / "long.md").write_text("text\n" * (LIMIT + 1), encoding="utf-8")
        (tmp_path / "untracked.js").write_text("let x;\n" * (LIMIT + 1), encoding="utf-8")
        subprocess.run(["git", "add", "long.py", "ok.mjs", "long.md"], cwd=tmp_path, check=True)
        assert too_long(tmp_path) == [f"long.py: {LIMIT + 1} lines"]
