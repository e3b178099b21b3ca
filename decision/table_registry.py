"""The tables a page can place with a ```whatmatters fence, declared once.

Each entry says which options a fence may give, which it must give, how the engine fills
the table from the knowledge, and which renderer turns that result into HTML. The
Markdown extension reads the options from here, `api.handle({"op": "table"})` answers
with the filled result (rows a JSON caller can use), and the renderer never sees the
knowledge itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from . import costs, stages
from .errors import RequestError
from .formatting import money
from .knowledge import Knowledge, Model, PriceSet
from .render import tables as table_html
from .request import Request


@dataclass(frozen=True)
class TableKind:
    options: tuple[str, ...]
    required: tuple[str, ...]
    fill: Callable[[Knowledge, Request], dict[str, Any]]
    html: Callable[[dict[str, Any]], str]


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_HasId)


def _one(items: Iterable[Item], wanted: str, code: str, noun: str) -> Item:
    """The item with this id, or the request's error naming every id there is."""
    listed = list(items)
    for item in listed:
        if item.id == wanted:
            return item
    raise RequestError(code, f"There is no {noun} '{wanted}'. {noun.capitalize()}s: {', '.join(i.id for i in listed)}.")


def _stages(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"stages": [stages.view(s) for s in k.stages]}


def _add_it_when(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"problems": [{"id": p.id, "name": p.name, "what": p.what, "add_when": p.add_when} for p in k.problems]}


def _signs(k: Knowledge, r: Request) -> dict[str, Any]:
    problem = _one(k.problems, r.text("topic", "the topic"), "unknown-topic", "topic")
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
    basic = _one(k.basics, r.text("basic", "the basic"), "unknown-basic", "basic")
    return {
        "basic": basic.id,
        "name": basic.name,
        "why": basic.why,
        "how": basic.how,
        "prevents": basic.prevents,
        "minutes": basic.minutes,
    }


def _checklist(k: Knowledge, r: Request) -> dict[str, Any]:
    stage = _one(k.stages, r.text("stage", "the stage"), "unknown-stage", "stage")
    return {"stage": stage.id, "checklist": list(stage.checklist)}


def _prices(k: Knowledge, r: Request) -> dict[str, Any]:
    """A price set's models; `models` (ids, comma-separated) picks a short table of a few, in that order."""
    picked = r.text("models", "the models to show", None, max_chars=4000)
    ids = None if picked is None else [i.strip() for i in picked.split(",") if i.strip()]
    return price_table(k, r.text("set", "the price set", None), ids, r.day())


def price_table(
    k: Knowledge, set_id: str | None, model_ids: list[str] | None = None, day: str | None = None
) -> dict[str, Any]:
    """A set's models (or the chosen few) with the rates in force on `day`, the reference
    workload's cost and a chat's history growth; which columns have anything to show."""
    prices = costs.price_set(k, set_id, day)
    ref = k.ai.cost_reference
    if model_ids:
        chosen = list(dict.fromkeys(costs.model(prices, i) for i in model_ids))
        models = [m for provider, _ in costs.by_provider(prices) for m in chosen if m.provider == provider]
    else:
        models = [m for _, group in costs.by_provider(prices) for m in group]
    rows = []
    for m in models:
        workload = costs.request_cost(prices, m, ref.input_tokens, ref.output_tokens) * ref.requests
        chat = costs.conversation(
            k,
            prices.id,
            m.id,
            ref.history_turns,
            ref.history_system,
            ref.history_user,
            ref.history_reply,
            day=prices.day,
        )
        view = costs.model_view(prices, m)
        rows.append(
            {
                **view,
                "input": m.input,
                "cached_input": m.cached_input,
                "output": m.output,
                "tier_rates": [
                    {
                        "above": costs.short_tokens(t.above_input_tokens),
                        "input": t.input,
                        "cached_input": t.cached_input,
                        "output": t.output,
                    }
                    for t in m.tiers
                ],
                "row_notes": ([costs.retiring_sentence(prices, m)] if view["retiring"] else [])
                + [c["summary"] for c in view["scheduled"]]
                + (["Bills hidden reasoning as output tokens."] if m.reasons else [])
                + _cache_and_batch(prices, m, view),
                "reference_usd": costs.usd(workload),
                "history_growth": chat["growth"],
            }
        )
    return {
        "set": prices.id,
        "set_name": prices.name,
        "unit": prices.unit,
        "per": "1M tokens" if prices.unit == "per-1m" else "1K tokens",
        "effective": prices.effective,
        "day": prices.day,
        "checked": prices.checked,
        "source": prices.source,
        "note": prices.note,
        "rows": rows,
        "of": len(prices.models),
        "has_cached": any(r["cached_input"] is not None for r in rows),
        "has_tiers": any(r["tier_rates"] for r in rows),
        "has_notes": any(r["row_notes"] for r in rows),
        "any_dated": any(r["price_date"] for r in rows),
        "reference": {
            "requests": ref.requests,
            "input_tokens": ref.input_tokens,
            "output_tokens": ref.output_tokens,
            "history_turns": ref.history_turns,
            "history_system": ref.history_system,
            "history_user": ref.history_user,
            "history_reply": ref.history_reply,
        },
    }


def _cache_and_batch(prices: PriceSet, m: Model, view: dict[str, Any]) -> list[str]:
    """A row's cache-write price (and the hit rate it takes to pay) and its batch rates, where the data has them."""
    out = []
    if view["cache_write_per_1m"] is not None:
        even = view["caching_break_even"]
        pays = f"; caching pays above a {even:.0%} hit rate" if even is not None else ""
        out.append(f"Cache writes {money(view['cache_write_per_1m'])} per 1M{pays}.")
    if view["batch"] is not None:
        b = view["batch"]
        out.append(f"Batch: {money(b['input_per_1m'])} input, {money(b['output_per_1m'])} output per 1M.")
    return out


def _widgets(k: Knowledge, r: Request) -> dict[str, Any]:
    """The widget registry (decision/data/widgets.toml): each widget's fence options and embed pages."""
    return {
        "widgets": [
            {
                "id": w.id,
                "options": [{"name": o, "required": o in w.required, "default": w.defaults.get(o)} for o in w.options],
                "topics": sorted(k.flows) if "topic" in w.options else [],
            }
            for w in k.widgets.values()
        ]
    }


def _screener_figures(k: Knowledge, r: Request) -> dict[str, Any]:
    """The screener on the held-out public sets, as the last `make screener-eval WRITE=1` measured it."""
    figures = k.ai.screener_figures
    if not figures:
        raise RequestError(
            "no-figures", "This site's data has no screener figures (decision/data/screener-figures.toml)."
        )
    return {"rows": [dataclasses.asdict(f) for f in figures]}


TABLES: dict[str, TableKind] = {
    "stages": TableKind((), (), _stages, table_html.stages_table),
    "add-it-when": TableKind((), (), _add_it_when, table_html.add_it_when_table),
    "signs": TableKind(("topic",), ("topic",), _signs, table_html.signs_table),
    "never-skip": TableKind((), (), _never_skip, table_html.never_skip_table),
    "basic": TableKind(("basic",), ("basic",), _basic, table_html.basic_table),
    "checklist": TableKind(("stage",), ("stage",), _checklist, table_html.checklist_table),
    "prices": TableKind(("set", "models"), (), _prices, table_html.prices_table),
    "widgets": TableKind((), (), _widgets, table_html.widgets_table),
    "screener-figures": TableKind((), (), _screener_figures, table_html.screener_figures_table),
}


def fill(k: Knowledge, r: Request) -> dict[str, Any]:
    """The `table` operation: the named table's rows, ready for the renderer or a JSON caller."""
    name = r.text("name", "the table name")
    if name not in TABLES:
        raise RequestError("unknown-table", f"There is no table '{name}'. Tables: {', '.join(TABLES)}.")
    return {**TABLES[name].fill(k, r), "name": name}


def html(result: dict[str, Any]) -> str:
    return TABLES[result["name"]].html(result)
