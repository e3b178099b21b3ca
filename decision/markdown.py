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

A fence names one `table` or one `widget`, plus options as `key: value` lines. Anything
unknown stops the build with a FenceError that names the line and the option.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from . import api, render
from .knowledge import Knowledge, knowledge, load

FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*whatmatters\s*$")
ANY_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
# table name -> (options it takes, options it requires)
TABLE_OPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stages": ((), ()), "add-it-when": ((), ()), "never-skip": ((), ()),
    "checklist": (("stage",), ("stage",)), "prices": (("set",), ()),
}


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


def fence_request(options: dict[str, str], k: Knowledge) -> tuple[str, str, dict[str, Any]]:
    """(kind, name, request) for a fence's options; raises FenceError for anything unknown."""
    kinds = [key for key in ("table", "widget") if key in options]
    if len(kinds) != 1:
        raise FenceError("a whatmatters fence needs exactly one 'table:' or 'widget:' line")
    kind = kinds[0]
    name = options.pop(kind)
    if kind == "table":
        if name not in TABLE_OPTIONS:
            raise FenceError(f"unknown table '{name}' (tables: {', '.join(TABLE_OPTIONS)})")
        (allowed, required), request = TABLE_OPTIONS[name], {"v": api.VERSION, "op": "table", "name": name}
        defaults: dict[str, Any] = {}
    else:
        if name not in k.widgets:
            raise FenceError(f"unknown widget '{name}' (widgets: {', '.join(k.widgets)})")
        spec = k.widgets[name]
        allowed, required, defaults = spec.options, spec.required, dict(spec.defaults)
        request = {"v": api.VERSION, "op": spec.op, **defaults}
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
    return kind, name, request


def render_fence(options: dict[str, str], k: Knowledge | None = None) -> str:
    """The HTML a fence stands for, made by the engine's one door and one renderer."""
    k = k or knowledge()
    kind, name, request = fence_request(dict(options), k)
    response = api.handle({**request, "render": True}, k)
    if not response["ok"]:
        raise FenceError(f"{kind} '{name}': {response['error']['message']}")
    if kind == "table":
        return f'<div class="wm-generated" data-wm-table="{render.esc(name)}">{response["html"]}</div>'
    element_id = f"wm-{name}-{request['topic']}" if "topic" in request else f"wm-{name}"
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
            if other and not match:
                # Another code fence: copy it through its closing line, so examples inside stay code.
                mark = other.group("fence")
                end = next((j for j in range(i + 1, len(lines))
                            if lines[j].strip().startswith(mark[0] * len(mark))
                            and not lines[j].strip().strip(mark[0])), len(lines) - 1)
                out += lines[i:end + 1]
                i = end + 1
                continue
            if not match:
                out.append(lines[i])
                i += 1
                continue
            fence = match.group("fence")
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
            if end is None:
                raise FenceError(f"line {i + 1}: the whatmatters fence is never closed")
            try:
                html = render_fence(parse_options(lines[i + 1:end], i + 1), self.knowledge)
            except FenceError as exc:
                message = str(exc) if str(exc).startswith("line ") else f"line {i + 1}: {exc}"
                raise FenceError(f"whatmatters fence at {message}") from None
            out += ["", self.md.htmlStash.store(html), ""]
            i = end + 1
        return out


class WhatMattersExtension(Extension):
    """Adds the ```whatmatters fence to Python-Markdown."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "data_dir": ["", "A copy of decision/data/ to render from instead of the package's own "
                             "(for previews and tests); empty means the package's data."],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        data_dir = self.getConfig("data_dir")
        k = load(data_dir) if data_dir else knowledge()
        # Above fenced_code (25) and pymdownx.superfences (also 25), so they never see ours.
        md.preprocessors.register(WhatMattersPreprocessor(md, k), "whatmatters", 30)


def makeExtension(**kwargs: Any) -> WhatMattersExtension:  # noqa: N802 - Python-Markdown's name
    return WhatMattersExtension(**kwargs)
