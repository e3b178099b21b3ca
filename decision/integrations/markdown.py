"""Python-Markdown extension: ```whatmatters fences become engine-rendered HTML.

Works wherever Python-Markdown runs (MkDocs, Zensical, plain `markdown.markdown`):

    ```whatmatters
    table: prices
    set: seed-2024
    ```

    ```whatmatters
    widget: flow
    topic: caching
    ```

A fence names one `table` or one `widget`, plus options as `key: value` lines. It may
stand at the top level or indented inside an admonition, a content tab or a list item.
For tools that resolve fences through `pymdownx.superfences` (Zensical does), the same
fence is also a custom fence, by its public names: `format: decision.fence.format`,
`validator: decision.fence.validator`. Anything unknown, and a fence the
extension can't place (in a block quote, never closed), stops the build with a
FenceError that names the line and the problem.
"""

from __future__ import annotations

import hashlib
import pathlib
import re
import weakref
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .. import api, render
from ..errors import DataError, FenceError
from ..formatting import esc
from ..knowledge import Knowledge
from ..loading import DATA_DIR, knowledge, load
from ..protocol import VERSION
from ..table_registry import TABLES
from .hosts import fail, host_of, message, watch_hint

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*whatmatters[ \t]*$")
QUOTED_FENCE = re.compile(r"^[ \t]*>[ \t>]*(`{3,}|~{3,})[ \t]*whatmatters[ \t]*$")
ANY_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
LANGUAGE = "whatmatters"

# The widget ids already given out on each page (one Markdown instance renders one page at a time),
# and the knowledge each Markdown instance renders from (its site's own data, if it has some).
_ids_on_page: weakref.WeakKeyDictionary[Markdown, set[str]] = weakref.WeakKeyDictionary()
_knowledge_of: weakref.WeakKeyDictionary[Markdown, Knowledge] = weakref.WeakKeyDictionary()


__all__ = ["FenceError", "WhatMattersExtension", "fence_format", "fence_validator", "makeExtension", "render_fence"]
CUSTOM_OPEN = re.compile(r"^[ \t>]*(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?whatmatters\b")
# How many custom fences with each body a Markdown instance has formatted, to find the n-th one's line.
_custom_seen: weakref.WeakKeyDictionary[Markdown, dict[str, int]] = weakref.WeakKeyDictionary()


def _value(text: str, like: Any) -> Any:
    """Read an option as the type of its default (numbers and true/false), else as text."""
    if isinstance(like, bool):
        if text not in ("true", "false"):
            raise ValueError("should be true or false")
        return text == "true"
    try:
        if isinstance(like, int):
            return int(text.replace("_", "").replace(",", ""))
        if isinstance(like, float):
            return float(text)
    except ValueError:
        raise ValueError("should be a number") from None
    return text


def fence_request(options: dict[str, str], k: Knowledge) -> tuple[str, str, dict[str, Any], dict[str, bool]]:
    """(kind, name, request, render options) for a fence's options; raises FenceError for anything unknown."""
    kinds = [key for key in ("table", "widget") if key in options]
    if len(kinds) != 1:
        raise FenceError("a whatmatters fence needs exactly one 'table:' or 'widget:' line")
    kind = kinds[0]
    name = options.pop(kind)
    render_options: dict[str, bool] = {}
    if kind == "table":
        if name not in TABLES:
            raise FenceError(f"unknown table '{name}' (tables: {', '.join(TABLES)})")
        table = TABLES[name]
        allowed, required, defaults = table.options, table.required, {}
        request: dict[str, Any] = {"v": VERSION, "op": "table", "name": name}
    else:
        if name not in k.widgets:
            raise FenceError(f"unknown widget '{name}' (widgets: {', '.join(k.widgets)})")
        spec = k.widgets[name]
        allowed, required, defaults = spec.options, spec.required, dict(spec.defaults)
        request = {"v": VERSION, "op": spec.op, **defaults}
        render_options = dict(spec.render)
    for key in options:
        if key not in allowed:
            known = ", ".join(allowed) if allowed else "none"
            raise FenceError(f"unknown option '{key}' for {kind} '{name}' (options: {known})", option=key)
    missing = [o for o in required if o not in options]
    if missing:
        raise FenceError(f"{kind} '{name}' needs the option '{missing[0]}'")
    for key, text in options.items():
        try:
            request[key] = _value(text, defaults.get(key, ""))
        except ValueError as exc:
            raise FenceError(f"option '{key}' of {kind} '{name}': '{text}' {exc}", option=key) from None
    return kind, name, request, render_options


def option_line(exc: FenceError, body: list[str]) -> int | None:
    """The line of the fence's body (1 = its first) that holds the option at fault, if one does."""
    for n, line in enumerate(body):
        if exc.option is not None and line.partition(":")[0].strip() == exc.option:
            return n + 1
    return None


def _unique_id(taken: set[str], wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... the first one not yet on this page."""
    element_id, n = wanted, 1
    while element_id in taken:
        n += 1
        element_id = f"{wanted}-{n}"
    taken.add(element_id)
    return element_id


def render_fence(options: dict[str, str], k: Knowledge | None = None, taken: set[str] | None = None) -> str:
    """The HTML a fence stands for, made by the engine's one door and one renderer.

    `taken` holds the widget ids already on the page, so two widgets never share one.
    """
    k = k or knowledge()
    kind, name, request, render_options = fence_request(dict(options), k)
    response = api.handle({**request, "render": render_options or True}, k)
    if not response["ok"]:
        raise FenceError(f"{kind} '{name}': {response['error']['message']}")
    if kind == "table":
        return f'<div class="wm-generated" data-wm-table="{esc(name)}">{response["html"]}</div>'
    wanted = f"wm-{name}-{request['topic']}" if "topic" in request else f"wm-{name}"
    element_id = _unique_id(taken if taken is not None else set(), wanted)
    return render.widget(name, request, response["html"], element_id, k.widgets[name].state)


def parse_options(lines: list[str], start: int) -> dict[str, str]:
    options: dict[str, str] = {}
    for offset, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key:
            raise FenceError(f"'{line.strip()}' should look like 'key: value'", start + offset + 1)
        if key in options:
            raise FenceError(f"option '{key}' is given twice", start + offset + 1)
        options[key] = value.strip()
    return options


def _closing(lines: list[str], start: int, indent: str, fence: str) -> int | None:
    """The line that closes a fence opened at `start`, or None."""
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if line.strip() and not line.startswith(indent) and line.strip() != fence:
            return None  # the block the fence stood in ended first
        stripped = line.strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            return j
    return None


class WhatMattersPreprocessor(Preprocessor):
    """Replaces each fence with a placeholder for its rendered HTML, before code fences run.

    A fence that can't be rendered is reported the way the tool rendering the page wants it
    (see `hosts`), named by its page and its line counted from the top of the file.
    """

    def __init__(self, md: Markdown, k: Knowledge | None, data_error: str = "") -> None:
        super().__init__(md)
        self.knowledge = k
        self.data_error = data_error  # the site's data can't be used (only where that doesn't stop the build)

    def run(self, lines: list[str]) -> list[str]:
        host = host_of(self.md)
        out: list[str] = []

        def report(problem: str, line: int) -> None:
            box = fail(host, message(host, line, lines, problem))
            out.extend(["", self.md.htmlStash.store(box), ""])

        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            other = ANY_FENCE.match(lines[i])
            if QUOTED_FENCE.match(lines[i]):
                report("a fence in a block quote can't hold a widget; move it out of the quote", i + 1)
            elif other and not match:
                # Another code fence: copy it through its closing line, so examples inside stay code.
                end = _closing(lines, i, other.group("indent"), other.group("fence"))
                end = len(lines) - 1 if end is None else end
                out += lines[i : end + 1]
                i = end + 1
                continue
            if not match:
                out.append(lines[i])
                i += 1
                continue
            indent, fence = match.group("indent"), match.group("fence")
            end = _closing(lines, i, indent, fence)
            if end is None:
                report("the whatmatters fence is never closed", i + 1)
                i += 1
                continue
            body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : end]]
            try:
                if self.knowledge is None:
                    raise FenceError(self.data_error)
                html = render_fence(parse_options(body, i + 1), self.knowledge, _ids_on_page.setdefault(self.md, set()))
            except FenceError as exc:
                line = exc.line or i + 1 + (option_line(exc, body) or 0)
                html = fail(host, message(host, line, lines, exc.problem))
            # Indented like the fence, the placeholder stays inside its admonition, tab or list item.
            out += ["", indent + self.md.htmlStash.store(html), ""]
            i = end + 1
        return out


class WhatMattersExtension(Extension):
    """Adds the ```whatmatters fence to Python-Markdown."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "data_dir": [
                "",
                "A copy of decision/data/ to render from instead of the package's own "
                "(a site's own rules, previews and tests); empty means the package's data.",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        data_dir = self.getConfig("data_dir")
        k: Knowledge | None = None
        data_error = ""
        try:
            k = load(data_dir) if data_dir else knowledge()
        except DataError as exc:
            if host_of(md).tool != "zensical":  # elsewhere the tool stops on it with one line
                raise
            data_error = f"the site's data can't be used: {exc}"
        watch_hint(md, data_dir)
        md.registerExtension(self)
        self.md = md
        if k is not None:
            _knowledge_of[md] = k
        # Above fenced_code (25) and pymdownx.superfences (also 25), so they never see ours.
        md.preprocessors.register(WhatMattersPreprocessor(md, k, data_error), "whatmatters", 30)

    def reset(self) -> None:
        """A new page: its widget ids start afresh."""
        _ids_on_page.pop(self.md, None)


def fence_validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Markdown
) -> bool:
    """pymdownx.superfences' validator for the custom fence. Inline options are kept for the
    formatter to refuse by name: a fence the validator turned down would become a code block."""
    options.update(inputs)
    return language == LANGUAGE


def _custom_fence_line(md: Markdown, source: str) -> int | None:
    """The page line where the custom fence with this body opens (superfences doesn't say)."""
    lines: list[str] = getattr(md, "lines", None) or []
    body = [line.strip() for line in source.splitlines()]
    hits = [
        n + 1
        for n, line in enumerate(lines)
        if CUSTOM_OPEN.match(line) and [x.strip() for x in lines[n + 1 : n + 1 + len(body)]] == body
    ]
    seen = _custom_seen.setdefault(md, {})
    nth = seen.get(source, 0)
    seen[source] = nth + 1
    return hits[nth] if nth < len(hits) else (hits[0] if hits else None)


def _format(source: str, language: str, class_name: str, options: dict[str, Any], md: Markdown, **kwargs: Any) -> str:
    """pymdownx.superfences' formatter for the custom fence: the same HTML as the preprocessor's."""
    opened = _custom_fence_line(md, source)
    try:
        if options:
            raise FenceError(f"options go on their own lines, not after 'whatmatters' ({', '.join(options)})")
        return render_fence(
            parse_options(source.splitlines(), 0), _knowledge_of.get(md), _ids_on_page.setdefault(md, set())
        )
    except FenceError as exc:
        host = host_of(md)
        line = None if opened is None else opened + (exc.line or option_line(exc, source.splitlines()) or 0)
        lines: list[str] = getattr(md, "lines", None) or []
        return fail(host, message(host, line, lines, exc.problem), custom_fence=True)


def data_digest(root: pathlib.Path = DATA_DIR) -> str:
    """A digest of every file's path and bytes under a data folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class FenceFormat:
    """The custom fence's formatter (`decision.fence.format`). Zensical keeps a page's HTML while a
    hash of the pickled Markdown settings stays the same, and this is one of them: it pickles as
    the digest of the package's data, so new rules (a new release) rebuild the pages."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return _format(*args, **kwargs)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (_unpickled, (data_digest(),))


def _unpickled(digest: str) -> FenceFormat:
    """A pickled formatter is the one formatter again, whatever data it was pickled with."""
    return fence_format


fence_format = FenceFormat()


def makeExtension(**kwargs: Any) -> WhatMattersExtension:  # noqa: N802 - Python-Markdown's name
    return WhatMattersExtension(**kwargs)
