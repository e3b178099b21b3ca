"""The files a scan reads from disk: those git would commit, never through a symlink.

With git, `git ls-files --cached --others --exclude-standard` names them; without it, a walk
applies a small subset of .gitignore (comments, "!", a trailing "/", a leading "/", "*",
"**" and "?") from the root's .gitignore and each folder's. The rules' ignore file (for a
repository's own test corpora) applies in both cases. Vendored folders are never entered.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

from ..scan import finding
from ..scan_ignore import Ignore, any_ignored
from ..scan_rules import ScanRules


def shown(path: str) -> str:
    """A path as text a report can print, whatever bytes its name holds."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _git(root: pathlib.Path, *args: str) -> bytes | None:
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _in_git(root: pathlib.Path) -> bool:
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and (root / ".git").exists()


def _walk(root: pathlib.Path, r: ScanRules, extra: Ignore | None) -> Iterator[str]:
    stack: list[tuple[str, list[Ignore]]] = [("", [extra] if extra else [])]
    seen: set[tuple[int, int]] = set()
    while stack:
        rel, ignores = stack.pop()
        folder = root / rel if rel else root
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        here = list(ignores)
        gi = folder / ".gitignore"
        if gi.is_file() and not gi.is_symlink():
            here.append(Ignore(gi.read_text("utf-8", "replace"), rel))
        for e in entries:
            path = f"{rel}/{e.name}" if rel else e.name
            try:
                is_dir = e.is_dir(follow_symlinks=False)
                if e.is_symlink():
                    continue
            except OSError:
                continue
            if any_ignored(here, path, is_dir):
                continue
            if is_dir:
                if e.name not in r.skip_dirs:
                    stack.append((path, here))
            else:
                yield path


def files(root: pathlib.Path, r: ScanRules) -> Iterator[tuple[str, bytes | int]]:
    """(path, bytes) for each file git would commit, or (path, size) for one too big to read."""
    extra_file = root / r.ignore_file
    extra = Ignore(extra_file.read_text("utf-8", "replace")) if extra_file.is_file() else None
    listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard") if _in_git(root) else None
    if listed is not None:
        names: Iterator[str] = (os.fsdecode(n) for n in listed.split(b"\0") if n)
    else:
        names = _walk(root, r, None)
    count = 0
    for name in names:
        if extra is not None and any_ignored([extra], name, False):
            continue
        if any(p in r.skip_dirs for p in name.split("/")[:-1]):
            continue
        path = root / name
        try:
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_size
            content: bytes | int = size if size > r.max_file_bytes else path.read_bytes()
        except OSError:
            continue
        count += 1
        if count > r.max_files:
            return
        yield shown(name), content


def committers(root: pathlib.Path, days: int) -> int | None:
    """Distinct commit authors of the last `days` days, when `root` holds a git repository."""
    if not _in_git(root):
        return None
    out = _git(root, "log", f"--since={days}.days", "--format=%ae")
    if out is None:
        return None
    return len({line.strip().lower() for line in out.decode("utf-8", "replace").splitlines() if line.strip()})


def detect_secrets(root: pathlib.Path, r: ScanRules, paths: list[str]) -> list[dict[str, Any]]:
    """Findings of the detect-secrets rules, when that optional package is installed (else none)."""
    chosen = [rule for rule in r.rules if rule.kind == "detect-secrets"]
    try:
        from detect_secrets.core.scan import scan_file
        from detect_secrets.settings import transient_settings
    except ImportError:
        return []
    out: list[dict[str, Any]] = []
    for rule in chosen:
        with transient_settings({"plugins_used": [{"name": p} for p in rule.plugins]}):
            for path in paths:
                in_tests = bool(r.tests and r.tests.fullmatch(path))
                if not rule.reads(path, in_tests):
                    continue
                try:
                    found = list(scan_file(str(root / path)))
                except Exception:
                    continue
                for secret in found:
                    line = _line(root / path, secret.line_number)
                    if r.ignore_marker in line or any(a.search(line) for a in rule.allow):
                        continue
                    out.append(finding(rule, path, secret.line_number, note=secret.type))
    return out


def _line(path: pathlib.Path, number: int) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == number:
                    return text
    except OSError:
        pass
    return ""
