"""The engine's `scan` operation: the files of a folder a reader picked, scanned where they are.

A request carries `files`, a list of `{"path": ..., "text": ...}` (or `"base64"` for the bytes,
or only `"size"` for a file too big to read). Paths are relative to the picked folder, with "/".
The answer is the report `whatmatters scan --json` gives for the same folder: the same core,
the same rules, the folder's .gitignore files and the rules' ignore file applied as the terminal
applies them. The rules (and their flood guard) load at the first request that has files.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .errors import RequestError
from .knowledge import Knowledge
from .protocol import SCAN_MAX_CHARS, SCAN_MAX_FILES, SCAN_MAX_PATH_CHARS
from .request import Request
from .scan import report, scan_files
from .scan_ignore import Ignore, any_ignored, kept
from .scan_rules import limits, rules


def _bad(message: str) -> RequestError:
    return RequestError("bad-files", message)


def _path(raw: Any, i: int) -> str:
    if not isinstance(raw, str) or not raw or len(raw) > SCAN_MAX_PATH_CHARS:
        raise _bad(f"File {i + 1} needs a path: a text of at most {SCAN_MAX_PATH_CHARS:,} characters.")
    parts = raw.split("/")
    if raw.startswith("/") or "\\" in raw or "\0" in raw or any(p in ("", ".", "..") for p in parts):
        raise _bad(f"File {i + 1}'s path should be relative to the folder, with '/' between names.")
    return raw


def read_files(r: Request) -> list[tuple[str, bytes | str | int]]:
    """The request's files as the scanning core takes them, every field checked."""
    files = r.raw.get("files", [])
    if not isinstance(files, list):
        raise _bad("The files ('files') should be a list of {path, text} entries.")
    if len(files) > SCAN_MAX_FILES:
        raise _bad(f"That folder holds {len(files):,} files; a page can check up to {SCAN_MAX_FILES:,} at once.")
    out: list[tuple[str, bytes | str | int]] = []
    total = 0
    seen: set[str] = set()
    for i, entry in enumerate(files):
        if not isinstance(entry, dict) or len(entry) != 2 or "path" not in entry:
            raise _bad(f"File {i + 1} should have a path and one of text, base64 or size.")
        path = _path(entry["path"], i)
        if path in seen:
            raise _bad(f"File {i + 1} repeats a path given before.")
        seen.add(path)
        content: bytes | str | int
        if isinstance(entry.get("text"), str):
            text: str = entry["text"]
            # The terminal judges bytes: a NUL early on makes the file binary, and so it does here.
            content = text.encode("utf-8", "surrogatepass") if "\0" in text[:8192] else text
        elif isinstance(entry.get("base64"), str):
            try:
                content = base64.b64decode(entry["base64"], validate=True)
            except (binascii.Error, ValueError):
                raise _bad(f"File {i + 1}'s base64 couldn't be read.") from None
        elif isinstance(entry.get("size"), int) and not isinstance(entry["size"], bool) and entry["size"] >= 0:
            content = entry["size"]
        else:
            raise _bad(f"File {i + 1} should have a text, a base64 or a size (a whole number).")
        total += 0 if isinstance(content, int) else len(content)
        if total > SCAN_MAX_CHARS:
            raise _bad(f"Those files hold more than {SCAN_MAX_CHARS:,} characters together; pick a smaller folder.")
        out.append((path, content))
    return out


def _text(content: bytes | str | int) -> str:
    if isinstance(content, int):
        return ""
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


def answer(k: Knowledge, r: Request) -> dict[str, Any]:
    """The scan report for the request's files; with none, only what the page needs to read a folder."""
    files = read_files(r)
    if not files:
        return {"scanned": False, **limits()}
    sr = rules()
    gitignores = {p: _text(c) for p, c in files if p == ".gitignore" or p.endswith("/.gitignore")}
    walked = kept(gitignores, sr.skip_dirs)
    extras = [_text(c) for p, c in files if p == sr.ignore_file]
    extra = Ignore(extras[0]) if extras else None
    chosen = [(p, c) for p, c in files if walked(p) and not (extra is not None and any_ignored([extra], p, False))]
    result = report(sr, k, scan_files(sr, sorted(chosen)))
    return {"scanned": True, **limits(), **result}
