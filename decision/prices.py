"""Price sets: each file of decision/data/prices/ read into a PriceSet and checked.

A price is never negative, a unit is per 1K or per 1M tokens, and tier thresholds are
whole numbers that rise; anything else is a DataError naming the file and the model.
"""

from __future__ import annotations

import pathlib
import re

from .knowledge import Change, Model, PriceSet, Tier
from .reading import TableReader, read_json, read_toml, unique

_UNITS = ("per-1k", "per-1m")


def read_price_set(base: pathlib.Path, file: str) -> PriceSet:
    raw = read_toml(base, file) if file.endswith(".toml") else read_json(base, file)
    top = TableReader(file, raw, file)
    unit = top.get("unit", "str")
    if unit not in _UNITS:
        raise top.fail(f"unit '{unit}' should be one of {', '.join(_UNITS)}")
    models = []
    for m in top.tables("model"):
        model = Model(
            m.get("id", "str"),
            m.get("name", "str"),
            m.get("provider", "str"),
            m.get("input", "num"),
            m.get("output", "num"),
            m.get("cached_input", "num", None),
            m.get("context_window", "int", None),
            m.get("effective", "str", None),
            _read_tiers(m) if "tiers" in m.table else (),
            _read_scheduled(m) if "scheduled" in m.table else (),
            m.get("reasons", "bool", False),
        )
        if min(model.input, model.output, model.cached_input or 0) < 0:
            raise m.fail("a price can't be negative")
        models.append(model)
    return PriceSet(
        top.get("id", "str"),
        top.get("name", "str"),
        unit,
        top.get("effective", "str"),
        top.get("source", "str"),
        top.get("note", "str"),
        unique(file, models),
    )


def _read_tiers(m: TableReader) -> tuple[Tier, ...]:
    """A model's optional price tiers: thresholds are whole numbers, rising, and no price is negative."""
    out: list[Tier] = []
    for t in m.tables("tiers"):
        t.item = m.item
        tier = Tier(
            t.get("above_input_tokens", "int"),
            t.get("input", "num"),
            t.get("output", "num"),
            t.get("cached_input", "num", None),
        )
        if tier.above_input_tokens < 0:
            raise m.fail(f"tier threshold {tier.above_input_tokens} can't be negative")
        if min(tier.input, tier.output, tier.cached_input or 0) < 0:
            raise m.fail(f"a price in the tier above {tier.above_input_tokens} input tokens can't be negative")
        if out and tier.above_input_tokens <= out[-1].above_input_tokens:
            raise m.fail(
                f"tier thresholds should rise: {tier.above_input_tokens} comes after {out[-1].above_input_tokens}"
            )
        out.append(tier)
    return tuple(out)


def _read_scheduled(m: TableReader) -> tuple[Change, ...]:
    """A model's announced price changes: each from a day (YYYY-MM-DD), in order, no price negative."""
    out: list[Change] = []
    for t in m.tables("scheduled"):
        t.item = m.item
        change = Change(
            t.get("from", "str"), t.get("input", "num"), t.get("output", "num"), t.get("cached_input", "num", None)
        )
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", change.starts):
            raise m.fail(f"a scheduled change's 'from' should be a day (YYYY-MM-DD), not '{change.starts}'")
        if min(change.input, change.output, change.cached_input or 0) < 0:
            raise m.fail(f"a price in the change of {change.starts} can't be negative")
        if out and change.starts <= out[-1].starts:
            raise m.fail(f"scheduled changes should be in order: {change.starts} comes after {out[-1].starts}")
        out.append(change)
    return tuple(out)
