"""Which files git would leave out: gitignore-style patterns, for the terminal's walk and the page.

The terminal reads each folder's .gitignore as it walks (decision.cli.scan_walk); the page gets
the files of a picked folder all at once, .gitignore files among them, and `kept` applies them
the same way: a folder that is ignored hides all it holds, deeper files speak later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .scan_rules import glob_regex


class Ignore:
    """Gitignore-style patterns read from one file, relative to its folder."""

    def __init__(self, text: str, base: str = "") -> None:
        self.rules: list[tuple[re.Pattern[str], bool, bool]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.strip("/") if line.startswith("/") or dir_only else line
            if "/" in line:
                line = line.lstrip("/")
                regex = glob_regex(line if "/" in line else "/" + line).lstrip("/")
            else:
                regex = glob_regex(line)
            prefix = re.escape(base + "/") if base else ""
            self.rules.append((re.compile(prefix + regex + "(/.*)?"), negate, dir_only))

    def ignored(self, path: str, is_dir: bool, current: bool) -> bool:
        for regex, negate, dir_only in self.rules:
            m = regex.fullmatch(path)
            # "build/" names a folder: it matches the folder itself and, in a flat list of files, all it holds.
            if m and (is_dir or not dir_only or m.group(m.re.groups) is not None):
                current = not negate
        return current


def any_ignored(ignores: list[Ignore], path: str, is_dir: bool) -> bool:
    state = False
    for i in ignores:
        state = i.ignored(path, is_dir, state)
    return state


def kept(gitignores: Mapping[str, str], skip_dirs: frozenset[str]) -> Callable[[str], bool]:
    """A test of one path: would the walk read it? `gitignores` maps each .gitignore's path to its text."""
    chains: dict[str, list[Ignore] | None] = {}

    def chain(folder: str) -> list[Ignore] | None:
        """The ignores in force inside `folder`, or None when the folder itself is left out."""
        if folder in chains:
            return chains[folder]
        if folder:
            parent_name, _, name = folder.rpartition("/")
            parent = chain(parent_name)
            if parent is None or name in skip_dirs or any_ignored(parent, folder, True):
                chains[folder] = None
                return None
            here = list(parent)
        else:
            here = []
        own = f"{folder}/.gitignore" if folder else ".gitignore"
        if own in gitignores:
            here.append(Ignore(gitignores[own], folder))
        chains[folder] = here
        return here

    def test(path: str) -> bool:
        ignores = chain(path.rpartition("/")[0])
        return ignores is not None and not any_ignored(ignores, path, False)

    return test
