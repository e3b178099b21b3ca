"""The hostile strings (hostile_strings.txt): markup, scripts, odd Unicode, what an attacker types."""

from __future__ import annotations

import json
import pathlib

CORPUS = pathlib.Path(__file__).resolve().parent / "hostile_strings.txt"


def hostile_strings(path: pathlib.Path = CORPUS) -> list[str]:
    """The corpus: one string a line, `#` lines are notes, `json:` lines are JSON string literals."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        out.append(json.loads(line[5:]) if line.startswith("json:") else line)
    return out


HOSTILE = hostile_strings()
