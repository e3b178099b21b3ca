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

import re
import weakref
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .. import api, render
from ..formatting import esc
from ..knowledge import Knowledge
from ..loading import knowledge, load
from ..protocol import VERSION
from ..table_registry import TABLES

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*whatmatters[ \t]*$")
QUOTED_FENCE = re.compile(r"^[ \t]*>[ \t>]*(`{3,}|~{3,})[ \t]*whatmatters[ \t]*$")
ANY_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
LANGUAGE = "whatmatters"

# The widget ids already given out on each page (one Markdown instance renders one page at a time),
# and the knowledge each Markdown instance renders from (its site's own data, if it has some).
_ids_on_page: weakref.WeakKeyDictionary[Markdown, set[str]] = weakref.WeakKeyDictionary()
_knowledge_of: weakref.WeakKeyDictionary[Markdown, Knowledge] = weakref.WeakKeyDictionary()


class FenceError(ValueError):
    """A ```whatmatters fence the engine can't render; the message says which and why."""


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
            raise FenceError(f"unknown option '{key}' for {kind} '{name}' (options: {known})")
    missing = [o for o in required if o not in options]
    if missing:
        raise FenceError(f"{kind} '{name}' needs the option '{missing[0]}'")
    for key, text in options.items():
        try:
            request[key] = _value(text, defaults.get(key, ""))
        except ValueError as exc:
            raise FenceError(f"option '{key}' of {kind} '{name}': '{text}' {exc}") from None
    return kind, name, request, render_options


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
            raise FenceError(f"line {start + offset + 1}: '{line.strip()}' should look like 'key: value'")
        if key in options:
            raise FenceError(f"line {start + offset + 1}: option '{key}' is given twice")
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
    """Replaces each fence with a placeholder for its rendered HTML, before code fences run."""

    def __init__(self, md: Markdown, k: Knowledge) -> None:
        super().__init__(md)
        self.knowledge = k

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = FENCE_OPEN.match(lines[i])
            other = ANY_FENCE.match(lines[i])
            if QUOTED_FENCE.match(lines[i]):
                raise FenceError(
                    f"whatmatters fence at line {i + 1}: a fence in a block quote can't hold a "
                    "widget; move it out of the quote"
                )
            if other and not match:
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
                raise FenceError(f"line {i + 1}: the whatmatters fence is never closed")
            body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : end]]
            try:
                html = render_fence(parse_options(body, i + 1), self.knowledge, _ids_on_page.setdefault(self.md, set()))
            except FenceError as exc:
                message = str(exc) if str(exc).startswith("line ") else f"line {i + 1}: {exc}"
                raise FenceError(f"whatmatters fence at {message}") from None
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
        k = load(data_dir) if data_dir else knowledge()
        md.registerExtension(self)
        self.md = md
        _knowledge_of[md] = k
        # Above fenced_code (25) and pymdownx.superfences (also 25), so they never see ours.
        md.preprocessors.register(WhatMattersPreprocessor(md, k), "whatmatters", 30)

    def reset(self) -> None:
        """A new page: its widget ids start afresh."""
        _ids_on_page.pop(self.md, None)


def fence_validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Markdown
) -> bool:
    """pymdownx.superfences' validator for the custom fence: the fence takes no inline options."""
    return language == LANGUAGE and not inputs


def fence_format(
    source: str, language: str, class_name: str, options: dict[str, Any], md: Markdown, **kwargs: Any
) -> str:
    """pymdownx.superfences' formatter for the custom fence: the same HTML as the preprocessor's."""
    try:
        return render_fence(
            parse_options(source.splitlines(), 0), _knowledge_of.get(md), _ids_on_page.setdefault(md, set())
        )
    except FenceError as exc:
        raise FenceError(f"whatmatters fence: {exc}") from None


def makeExtension(**kwargs: Any) -> WhatMattersExtension:  # noqa: N802 - Python-Markdown's name
    return WhatMattersExtension(**kwargs)
