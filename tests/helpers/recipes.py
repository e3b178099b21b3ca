"""CONTRIBUTING.md's recipes as the recipe tests read them: the blocks each shows, its checks, and the page and engine calls."""

from __future__ import annotations

import contextlib
import html
import io
import json
import pathlib
import re
import shlex
import textwrap
from typing import Any

import markdown
import pytest

from decision import api, loading
from decision.cli import commands
from decision.knowledge import Knowledge
from decision.loading import knowledge

EXTENSION = "whatmatters"
CONTRIBUTING = pathlib.Path(__file__).resolve().parents[2] / "CONTRIBUTING.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
TITLE = re.compile(r'title="([^"]+)"')
MAKE_TARGETS = ("make build", "make test")


def recipe(heading: str) -> str:
    """The section of CONTRIBUTING.md under `### heading`, up to the next heading."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    start = text.index(f"\n### {heading}\n")
    ends = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i != -1]
    return text[start : min(ends, default=len(text))]


def shown(heading: str, path: str) -> str:
    """The code block of a recipe titled with `path`: the file, or the part of it, the recipe tells you to write."""
    found = [body for _, info, body in BLOCK.findall(recipe(heading)) if TITLE.findall(info) == [path]]
    assert len(found) == 1, f"CONTRIBUTING.md's recipe {heading!r} should show {path} once"
    return found[0]


def checks(heading: str) -> list[str]:
    """The commands a recipe's shell blocks give to check the change."""
    lines = [line for lang, _, body in BLOCK.findall(recipe(heading)) if lang == "sh" for line in body.splitlines()]
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def run_checks(heading: str, data_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run a recipe's `whatmatters` check commands in-process on `data_dir`; what each printed, by command."""
    printed: dict[str, str] = {}
    monkeypatch.setattr(loading, "DATA_DIR", data_dir)
    knowledge.cache_clear()
    try:
        for command in checks(heading):
            if command in MAKE_TARGETS:
                continue  # the build and the suite: what this file's fence and engine tests stand in for
            words = shlex.split(command)
            assert words[0] == "whatmatters", f"a recipe check this test doesn't run: {command!r}"
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                status = commands.main(words[1:])
            assert status == 0, (command, out.getvalue())
            printed[command] = out.getvalue()
    finally:
        knowledge.cache_clear()
    return printed


def append(path: pathlib.Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(text), encoding="utf-8")


def page(source: str, data_dir: pathlib.Path | None = None) -> str:
    """A Markdown page converted as the site converts it, from `data_dir` if given."""
    configs = {EXTENSION: {"data_dir": str(data_dir)}} if data_dir is not None else {}
    return markdown.markdown(textwrap.dedent(source), extensions=[EXTENSION], extension_configs=configs)


def fence(*lines: str) -> str:
    return "```whatmatters\n" + "\n".join(lines) + "\n```\n"


def ok(request: dict[str, Any], k: Knowledge | None = None) -> dict[str, Any]:
    response = api.handle({"v": 1, **request}, k)
    assert response["ok"], response
    return response


def widget_request(out: str, name: str) -> dict[str, Any]:
    """The request a rendered widget element carries (its data-wm-request), parsed."""
    match = re.search(rf'data-wm-widget="{name}"[^>]*data-wm-request="([^"]*)"', out)
    assert match, f"no {name} widget element in {out[:300]!r}"
    return json.loads(html.unescape(match.group(1)))


# The headings of recipes 1, 2 and 3 in CONTRIBUTING.md.
FLOW = "A new question flow"
TABLE = "A new table"
PRICES = "A new price set"
