"""Which tool is rendering a page, which page it is, and how that tool wants a bad fence reported.

MkDocs stops a build cleanly on its own `PluginError` (one line, no traceback), so there the
fence error becomes one. Zensical prints a traceback for any exception an extension raises,
so there the error is logged as one line the build prints and the page shows an error box.
Plain Python-Markdown gets the FenceError itself. Nothing here imports MkDocs or Zensical
unless the page is being rendered by it. Build-time code.
"""

from __future__ import annotations

import json
import logging
import pathlib
from dataclasses import dataclass

from markdown import Markdown

from ..errors import FenceError
from ..formatting import esc

LOG = logging.getLogger("whatmatters")
ERROR_CLASS = "wm-fence-error"  # the error box's class, styled by whatmatters.css


@dataclass(frozen=True)
class Host:
    tool: str  # "mkdocs", "zensical" or "markdown"
    page: str | None  # the page's path inside the docs folder, when the tool says
    source: pathlib.Path | None  # the page's file, to count lines from its very top


def host_of(md: Markdown) -> Host:
    """The tool rendering with `md`, found from the processors it registers on every page."""
    if "relpath" in md.treeprocessors:
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if type(md.treeprocessors["relpath"]).__module__.startswith("mkdocs.") and file is not None:
            path = getattr(file, "abs_src_path", None)
            return Host("mkdocs", str(file.src_uri), pathlib.Path(path) if path else None)
    if "rendering_context" in md.preprocessors:
        context = md.preprocessors["rendering_context"]
        if type(context).__module__.startswith("zensical."):
            page = getattr(getattr(context, "page", None), "path", None)
            docs = (getattr(context, "config", None) or {}).get("docs_dir")
            source = pathlib.Path(docs) / page if docs and page else None
            return Host("zensical", page, source)
    return Host("markdown", None, None)


def line_offset(source: pathlib.Path | None, lines: list[str]) -> int:
    """How many lines of the file come before `lines` (the front matter the tool took off)."""
    if source is None:
        return 0
    try:
        raw = source.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, ValueError):
        return 0
    body = [(n, line.strip()) for n, line in enumerate(lines) if line.strip()][:6]
    if not body:
        return 0
    first, text = body[0]
    for j in range(first, len(raw)):
        offset = j - first
        if raw[j].strip() == text and all(n + offset < len(raw) and raw[n + offset].strip() == t for n, t in body):
            return offset
    return 0


def message(host: Host, line: int | None, lines: list[str], problem: str) -> str:
    """'whatmatters fence at index.md, line 8: ...', the line counted from the top of the file."""
    if line is not None:
        at = f"line {line + line_offset(host.source, lines)}"
        return f"whatmatters fence at {host.page + ', ' if host.page else ''}{at}: {problem}"
    return f"whatmatters fence{' in ' + host.page if host.page else ''}: {problem}"


def fail(host: Host, message: str, custom_fence: bool = False) -> str:
    """Report `message` the way the host wants: raise where that stops the build cleanly,
    else log it and return the error box the page shows in the fence's place."""
    if host.tool == "zensical":
        LOG.error("%s", message)
        return f'<div class="{ERROR_CLASS}" role="alert"><p>{esc(message)}</p></div>'
    bases: list[type[Exception]] = []
    if host.tool == "mkdocs":
        from mkdocs.exceptions import PluginError

        bases.append(PluginError)
    else:
        bases.append(FenceError)
    if custom_fence:  # superfences turns any other exception into a silent code block
        from pymdownx.superfences import SuperFencesException  # type: ignore[import-untyped]

        bases.append(SuperFencesException)
    raise _error_type(tuple(bases))(message)


_TYPES: dict[tuple[type[Exception], ...], type[Exception]] = {}


def _error_type(bases: tuple[type[Exception], ...]) -> type[Exception]:
    if len(bases) == 1:
        return bases[0]
    if bases not in _TYPES:
        _TYPES[bases] = type("WhatMattersFenceError", bases, {"__module__": __name__})
    return _TYPES[bases]


_hinted: set[pathlib.Path] = set()


def watch_hint(md: Markdown, data_dir: str) -> None:
    """Zensical reuses a page's HTML until the page, the config or a file under `watch` changes,
    so a data folder it doesn't watch leaves pages answering from the old data. Say so, once."""
    if not data_dir or host_of(md).tool != "zensical":
        return
    config = getattr(md.preprocessors["rendering_context"], "config", None) or {}
    folder = pathlib.Path(data_dir).resolve()
    watched = [pathlib.Path(path) for path, _ in config.get("watched_files", [])]
    if folder in _hinted or any(path.is_relative_to(folder) for path in watched):
        return
    _hinted.add(folder)
    LOG.warning(
        "whatmatters: add watch = [%s] to zensical.toml, or pages keep answering from the old data after %s changes",
        json.dumps(data_dir),
        folder,
    )
