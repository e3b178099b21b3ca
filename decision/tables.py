"""The tables a page can place with a ```whatmatters fence, declared once.

Each entry says which options a fence may give, which it must give, how the engine fills
the table from the knowledge, and which renderer turns that result into HTML. The
Markdown extension reads the options from here, `api.handle({"op": "table"})` answers
with the filled result (rows a JSON caller can use), and the renderer never sees the
knowledge itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import costs, stages
from .errors import RequestError
from .knowledge import Knowledge
from .render import tables as table_html
from .request import Request


@dataclass(frozen=True)
class TableKind:
    options: tuple[str, ...]
    required: tuple[str, ...]
    fill: Callable[[Knowledge, Request], dict[str, Any]]
    html: Callable[[dict[str, Any]], str]


def _stages(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"stages": [stages.view(s) for s in k.stages]}


def _add_it_when(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"problems": [{"id": p.id, "name": p.name, "what": p.what, "add_when": p.add_when} for p in k.problems]}


def _signs(k: Knowledge, r: Request) -> dict[str, Any]:
    topic = r.text("topic", "the topic")
    problem = next((p for p in k.problems if p.id == topic), None)
    if problem is None:
        raise RequestError(
            "unknown-topic", f"There is no topic '{topic}'. Topics: {', '.join(p.id for p in k.problems)}."
        )
    return {
        "topic": problem.id,
        "name": problem.name,
        "not_yet": list(problem.not_yet),
        "now": list(problem.now),
        "simpler_fix": problem.simpler_fix,
    }


def _never_skip(k: Knowledge, r: Request) -> dict[str, Any]:
    return {
        "basics": [{"id": b.id, "name": b.name, "minutes": b.minutes, "checks": list(b.checks)} for b in k.basics],
        "total_minutes": sum(b.minutes for b in k.basics),
    }


def _basic(k: Knowledge, r: Request) -> dict[str, Any]:
    basic_id = r.text("basic", "the basic")
    basic = next((b for b in k.basics if b.id == basic_id), None)
    if basic is None:
        raise RequestError(
            "unknown-basic", f"There is no basic '{basic_id}'. Basics: {', '.join(b.id for b in k.basics)}."
        )
    return {
        "basic": basic.id,
        "name": basic.name,
        "why": basic.why,
        "how": basic.how,
        "prevents": basic.prevents,
        "minutes": basic.minutes,
    }


def _checklist(k: Knowledge, r: Request) -> dict[str, Any]:
    stage_id = r.text("stage", "the stage")
    stage = stages.by_id(k, stage_id)
    if stage is None:
        raise RequestError(
            "unknown-stage", f"There is no stage '{stage_id}'. Stages: {', '.join(s.id for s in k.stages)}."
        )
    return {"stage": stage.id, "checklist": list(stage.checklist)}


def _prices(k: Knowledge, r: Request) -> dict[str, Any]:
    return costs.price_table(k, r.text("set", "the price set", None))


TABLES: dict[str, TableKind] = {
    "stages": TableKind((), (), _stages, table_html.stages_table),
    "add-it-when": TableKind((), (), _add_it_when, table_html.add_it_when_table),
    "signs": TableKind(("topic",), ("topic",), _signs, table_html.signs_table),
    "never-skip": TableKind((), (), _never_skip, table_html.never_skip_table),
    "basic": TableKind(("basic",), ("basic",), _basic, table_html.basic_table),
    "checklist": TableKind(("stage",), ("stage",), _checklist, table_html.checklist_table),
    "prices": TableKind(("set",), (), _prices, table_html.prices_table),
}


def fill(k: Knowledge, r: Request) -> dict[str, Any]:
    """The `table` operation: the named table's rows, ready for the renderer or a JSON caller."""
    name = r.text("name", "the table name")
    if name not in TABLES:
        raise RequestError("unknown-table", f"There is no table '{name}'. Tables: {', '.join(TABLES)}.")
    return {**TABLES[name].fill(k, r), "name": name}


def html(result: dict[str, Any]) -> str:
    return TABLES[result["name"]].html(result)
