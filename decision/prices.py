"""Price sets: each file of decision/data/prices/ read into a PriceSet and checked, the set as it
stands on a given day, and finding a model in it.

A price is never negative, a unit is per 1K or per 1M tokens, tier thresholds are whole
numbers that rise, and dated prices come in order; anything else is a DataError naming
the file and the model.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import pathlib
import re
from decimal import Decimal
from typing import Any

from .errors import DataError, RequestError
from .knowledge import Change, Model, PriceSet, Rates, Tier
from .reading import TableReader, read_json, read_toml, unique

_UNITS = ("per-1k", "per-1m")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_price_set(base: pathlib.Path, file: str) -> PriceSet:
    raw = read_toml(base, file) if file.endswith(".toml") else read_json(base, file)
    top = TableReader(file, raw, file)
    unit = top.get("unit", "str")
    if unit not in _UNITS:
        raise top.fail(f"unit '{unit}' should be one of {', '.join(_UNITS)}")
    models = []
    for m in top.tables("model"):
        rates = _read_rates(m, "")
        batch = None
        if "batch" in m.table:
            b = TableReader(file, m.get("batch", "table"), "batch")
            b.item = m.item
            batch = _read_rates(b, "batch ")
        model = Model(
            m.get("id", "str"),
            m.get("name", "str"),
            m.get("provider", "str"),
            rates.input,
            rates.output,
            rates.cached_input,
            m.get("context_window", "int", None),
            _day(m, m.get("effective", "str", None), "effective"),
            rates.tiers,
            _read_changes(m, "scheduled", dated=True),
            m.get("reasons", "bool", False),
            rates.cache_write,
            batch,
            _read_changes(m, "history", dated=False),
            _day(m, m.get("shutdown", "str", None), "shutdown"),
            m.get("replacement", "str", None),
        )
        models.append(model)
    by_id = unique(file, models, slugs=False)
    for model in models:
        if model.replacement is not None and model.replacement not in by_id:
            raise DataError(file, model.id, f"unknown reference: replacement '{model.replacement}'")
    return PriceSet(
        top.get("id", "str"),
        top.get("name", "str"),
        unit,
        top.get("effective", "str"),
        top.get("source", "str"),
        top.get("note", "str"),
        by_id,
        _day(top, top.get("checked", "str", None), "checked"),
        top.get("leave_within_days", "int", 30),
        top.get("retiring_within_days", "int", 90),
    )


def _day(r: TableReader, value: str | None, key: str) -> str | None:
    if value is not None and not _DAY.fullmatch(value):
        raise r.fail(f"'{key}' should be a day (YYYY-MM-DD), not '{value}'")
    return value


def _read_rates(r: TableReader, what: str) -> Rates:
    """input, output, cached input, cache write and tiers of one table: none negative, tiers rising."""
    rates = Rates(
        r.get("input", "num"),
        r.get("output", "num"),
        r.get("cached_input", "num", None),
        r.get("cache_write", "num", None),
        _read_tiers(r) if "tiers" in r.table else (),
    )
    if min(rates.input, rates.output, rates.cached_input or 0, rates.cache_write or 0) < 0:
        raise r.fail(f"a {what}price can't be negative")
    return rates


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
            t.get("cache_write", "num", None),
        )
        if tier.above_input_tokens < 0:
            raise m.fail(f"tier threshold {tier.above_input_tokens} can't be negative")
        if min(tier.input, tier.output, tier.cached_input or 0, tier.cache_write or 0) < 0:
            raise m.fail(f"a price in the tier above {tier.above_input_tokens} input tokens can't be negative")
        if out and tier.above_input_tokens <= out[-1].above_input_tokens:
            raise m.fail(
                f"tier thresholds should rise: {tier.above_input_tokens} comes after {out[-1].above_input_tokens}"
            )
        out.append(tier)
    return tuple(out)


def _read_changes(m: TableReader, key: str, dated: bool) -> tuple[Change, ...]:
    """A model's dated prices (`scheduled`: later ones, `history`: earlier ones), each from a day, in order.

    Only the first of a model's history may lack a day: the price before every dated one."""
    if key not in m.table:
        return ()
    out: list[Change] = []
    for i, t in enumerate(m.tables(key)):
        t.item = m.item
        starts = t.get("from", "str") if dated or i else t.get("from", "str", None)
        if starts is not None and not _DAY.fullmatch(starts):
            raise m.fail(f"a dated price's 'from' should be a day (YYYY-MM-DD), not '{starts}'")
        rates = _read_rates(t, f"{key} ")
        change = Change(starts, rates.input, rates.output, rates.cached_input, rates.cache_write, rates.tiers)
        if out and out[-1].starts is not None and starts is not None and starts <= out[-1].starts:
            raise m.fail(f"dated prices should be in order: {starts} comes after {out[-1].starts}")
        out.append(change)
    return tuple(out)


# --- a set on a day, and a model in it ------------------------------------------------


_ON_DAY: dict[tuple[int, str], tuple[PriceSet, PriceSet]] = {}


def on_day(prices: PriceSet, day: str) -> PriceSet:
    """`prices` as read on `day`; the set itself if it already is."""
    if prices.day == day:
        return prices
    key = (id(prices), day)
    if key in _ON_DAY and _ON_DAY[key][0] is prices:
        return _ON_DAY[key][1]
    leave_by = (datetime.date.fromisoformat(day) + datetime.timedelta(days=prices.leave_within_days)).isoformat()
    kept = {mid: m for mid, m in prices.models.items() if not (m.shutdown and m.shutdown <= leave_by)}
    left = {mid: m for mid, m in prices.models.items() if mid not in kept}
    resolved = dataclasses.replace(
        prices, models={mid: in_force(m, day) for mid, m in kept.items()}, day=day, left=left
    )
    if len(_ON_DAY) > 64:
        _ON_DAY.clear()
    _ON_DAY[key] = (prices, resolved)
    return resolved


def in_force(m: Model, day: str) -> Model:
    """The model at the price in force on `day`: the last dated price whose day has come (or the
    earliest one, for a day before them all); the others stay as its history and schedule."""
    now = Change(m.effective, m.input, m.output, m.cached_input, m.cache_write, m.tiers)
    timeline = [*m.history, now, *m.scheduled]
    at = 0
    for i, change in enumerate(timeline):
        if change.starts is None or change.starts <= day:
            at = i
    c = timeline[at]
    if c is now:
        return m
    return dataclasses.replace(
        m,
        input=c.input,
        output=c.output,
        cached_input=c.cached_input,
        cache_write=c.cache_write,
        tiers=c.tiers,
        effective=c.starts,
        history=tuple(timeline[:at]),
        scheduled=tuple(timeline[at + 1 :]),
    )


def retiring(prices: PriceSet, m: Model) -> bool:
    """Whether the model is due to shut down within the set's "retiring" window of the set's day."""
    if not m.shutdown:
        return False
    day = datetime.date.fromisoformat(prices.day or prices.effective)
    return m.shutdown <= (day + datetime.timedelta(days=prices.retiring_within_days)).isoformat()


def model(prices: PriceSet, model_id: str) -> Model:
    """The model with this id (in any letter case); anything else is an error with suggestions, never $0."""
    if model_id in prices.models:
        return prices.models[model_id]
    same = [m for m in prices.models.values() if m.id.lower() == model_id.strip().lower()]
    if len(same) == 1:
        return same[0]
    gone = [m for m in prices.left.values() if m.id.lower() == model_id.strip().lower()]
    if gone:
        g = gone[0]
        when = "was shut down" if prices.day and g.shutdown and g.shutdown <= prices.day else "shuts down"
        successor = prices.models.get(g.replacement or "")
        hint = (
            f" Its provider names {successor.name} ('{successor.id}') as its successor."
            if successor
            else " List the current models with: whatmatters models."
        )
        raise RequestError("shut-down", f"{g.name} {when} on {g.shutdown}, so this guide no longer prices it.{hint}")
    shown = [m for m in prices.models.values() if m.name.lower() == " ".join(model_id.split()).lower()]
    if len(shown) == 1:  # "Command R" is one model even though "Command R+" squashes to the same letters
        return shown[0]
    found = named(prices, model_id)
    if found is not None:
        return found
    close = suggestions(prices, model_id)
    hint = f" Did you mean {', '.join(close)}?" if close else " List the models with: whatmatters models."
    names = ", ".join(prices.models[mid].name for mid in close)
    say = f"No model matches '{model_id.strip()}'." + (
        f" Did you mean {names}?" if close else " Type part of a model's name as the list shows it."
    )
    raise RequestError(
        "unknown-model", f"The price set '{prices.id}' has no model '{model_id}'.{hint}", field="model", say=say
    )


# A part of a name shorter than this is too short to stand for one model.
_PARTIAL_MIN = 3


def named(prices: PriceSet, typed: str) -> Model | None:
    """The one model a reader means by a display name ("Claude Sonnet 4.5"), an id written
    without its punctuation ("gpt4o"), or a part of either that fits no other model
    ("sonnet 4.5"); None when nothing or more than one model fits."""
    wanted = _squash(typed)
    words = [w for w in (_squash(part) for part in re.split(r"[\s\-_/:]+", typed)) if w]
    keys = {m.id: (_squash(m.id), _squash(m.name)) for m in prices.models.values()}

    def exact(names: tuple[str, str]) -> bool:
        return wanted in names

    def start(names: tuple[str, str]) -> bool:
        return len(wanted) >= _PARTIAL_MIN and any(name.startswith(wanted) for name in names)

    def holds(names: tuple[str, str]) -> bool:
        return len(wanted) >= _PARTIAL_MIN and all(any(w in name for name in names) for w in words)

    for fits in (exact, start, holds):
        hits = [mid for mid, names in keys.items() if wanted and fits(names)]
        if len(hits) == 1:
            return prices.models[hits[0]]
        if hits:
            return None
    return None


def _squash(text: str) -> str:
    """'GPT 4o', 'gpt-4o' and 'gpt4o' all become 'gpt4o'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def suggestions(prices: PriceSet, typed: str, n: int = 5) -> list[str]:
    """Model ids near what a reader typed: the same letters and digits first, then ids the
    typed text starts with (a dated or -latest form), then ids holding every word typed,
    most alike first, then ids that merely look alike."""
    wanted = _squash(typed)
    words = [w for w in (_squash(part) for part in re.split(r"[\s\-_/:]+", typed)) if w]
    keys = {m.id: (_squash(m.id), _squash(m.name)) for m in prices.models.values()}

    def likeness(mid: str) -> float:
        return difflib.SequenceMatcher(None, wanted, keys[mid][0]).ratio()

    same = [mid for mid, names in keys.items() if wanted and wanted in names]
    shorter = sorted(
        (
            mid
            for mid, names in keys.items()
            if wanted.startswith(names[0]) and re.match(r"\d|latest", wanted[len(names[0]) :])
        ),
        key=lambda mid: (-len(keys[mid][0]), mid),
    )
    holding = sorted(
        (mid for mid, names in keys.items() if words and all(any(w in name for name in names) for w in words)),
        key=lambda mid: (-likeness(mid), mid),
    )
    by_squashed = {names[0]: mid for mid, names in keys.items()}
    alike = [by_squashed[s] for s in difflib.get_close_matches(wanted, list(by_squashed), n=n, cutoff=0.6)]
    out: list[str] = []
    for mid in same + shorter + holding + alike:
        if mid not in out:
            out.append(mid)
    return out[:n]


def caching_break_even(m: Model) -> Decimal | None:
    """The cache hit rate (0-1) above which caching costs less than sending the input plain, for a model
    that charges for cache writes more than for input; None when caching never costs more."""
    if m.cache_write is None or m.cache_write <= m.input:
        return None
    write, plain = Decimal(repr(m.cache_write)), Decimal(repr(m.input))
    read = Decimal(repr(m.cached_input if m.cached_input is not None else m.input))
    return (write - plain) / (write - read)


def retiring_sentence(prices: PriceSet, m: Model) -> str:
    successor = prices.models.get(m.replacement or "")
    after = f"; its provider names {successor.name} as its successor" if successor else ""
    return f"Retiring {m.shutdown}: {m.name} stops answering on that day{after}."


def by_provider(prices: PriceSet) -> list[tuple[str, list[Model]]]:
    """A set's models grouped by provider, in the order the data first names each, then by name."""

    def natural(name: str) -> list[tuple[int, Any]]:
        return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", name)]

    groups: dict[str, list[Model]] = {}
    for m in prices.models.values():
        groups.setdefault(m.provider, []).append(m)
    return [(provider, sorted(models, key=lambda m: (natural(m.name), m.id))) for provider, models in groups.items()]


def set_view(prices: PriceSet) -> dict[str, Any]:
    return {
        "day": prices.day,
        "checked": prices.checked,
        "id": prices.id,
        "name": prices.name,
        "unit": prices.unit,
        "effective": prices.effective,
        "source": prices.source,
        "note": prices.note,
    }


def choices(prices: PriceSet) -> list[dict[str, Any]]:
    """Every model of a set, grouped by provider: what a model picker offers."""
    return [
        {"id": m.id, "name": m.name, "provider": provider, "effective": m.effective or prices.effective}
        for provider, models in by_provider(prices)
        for m in models
    ]
