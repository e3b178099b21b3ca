"""No tracked text file holds a merge conflict's markers (one reached the AI page unseen)."""

from __future__ import annotations

import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.M)


def tracked_text_files() -> list[pathlib.Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    paths = [ROOT / n for n in names.decode("utf-8").split("\0") if n]
    return [
        p
        for p in paths
        if p.is_file() and p.suffix in {".md", ".py", ".js", ".mjs", ".toml", ".yml", ".css", ".html", ".json", ".txt"}
    ]


def test_no_file_holds_conflict_markers() -> None:
    found = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}" for m in MARKER.finditer(text)]
    assert found == []


def test_the_check_sees_a_marker() -> None:
    assert MARKER.search("text\n<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n")
    assert not MARKER.search("a heading\n=======  \n")
