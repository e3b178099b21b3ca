"""Broken copies of decision/data/ for the loader tests: a private copy, edits to it, and the refusal they must get."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest

from decision import DataError, load
from decision.loading import knowledge


def refused(base: pathlib.Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(base)
    return info.value


def assert_names(err: DataError, file: str, item: str, *words: str) -> None:
    """The error names the file, the id and the problem, in its fields and its message."""
    assert err.file == file
    assert err.item == item
    for word in words:
        assert word in err.problem, f"{word!r} not in {err.problem!r}"
    assert file in str(err) and item in str(err) and err.problem in str(err)


# --- a small flow of our own, written over one topic's file --------------------------

TOPIC = knowledge().problems[0].id
FLOW_FILE = f"flows/{TOPIC}.toml"
VERDICT = next(iter(knowledge().verdicts))


def toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)  # strings, numbers and booleans are written the same way in TOML


def option(value: str, **fields: Any) -> dict[str, Any]:
    """An answer; give it `next=...` or `verdict=...` (a verdict gets a reason unless told)."""
    if "verdict" in fields:
        fields.setdefault("reason", "Because the test says so.")
    return {"value": value, "label": value.capitalize(), **fields}


def question(qid: str, options: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "text": f"Question {qid}?",
        "if_unknown": options[0]["value"] if options else "no",
        **fields,
        "option": options,
    }


def flow_text(questions: list[dict[str, Any]], start: str = "a", topic: str = TOPIC) -> str:
    lines = [f"topic = {toml_value(topic)}", 'title = "A test flow"', f"start = {toml_value(start)}"]
    for q in questions:
        lines.append("\n[[question]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in q.items() if k != "option"]
        if not q["option"]:
            lines.append("option = []")
            continue
        for o in q["option"]:
            lines.append("\n  [[question.option]]")
            lines += [f"  {k} = {toml_value(v)}" for k, v in o.items()]
    return "\n".join(lines) + "\n"


def good_flow() -> list[dict[str, Any]]:
    """a -yes-> b, a -no-> verdict; b -yes/no-> verdict: a flow that loads."""
    return [
        question("a", [option("yes", next="b"), option("no", verdict=VERDICT)], if_unknown="no"),
        question("b", [option("yes", verdict=VERDICT), option("no", verdict=VERDICT)]),
    ]


def write_flow(data: pathlib.Path, questions: list[dict[str, Any]], **kw: Any) -> None:
    (data / FLOW_FILE).write_text(flow_text(questions, **kw), encoding="utf-8")
