"""What an LLM feature costs: per request, per day and month, over a conversation, across models.

Money is computed with Decimal from the prices as written in the data, so the seed's
figures come out exactly (10,000 requests on GPT-3.5 Turbo are $10, not $9.999999).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .errors import RequestError
from .formatting import money
from .knowledge import Knowledge, Model, PriceSet, Rates, Tier
from .prices import by_provider as by_provider
from .prices import caching_break_even as caching_break_even
from .prices import choices as choices
from .prices import in_force as in_force
from .prices import model as model
from .prices import named as named
from .prices import on_day as on_day
from .prices import retiring as retiring
from .prices import retiring_sentence as retiring_sentence
from .prices import set_view as set_view
from .prices import suggestions as suggestions

DAYS_PER_MONTH = 30
_PER_TOKEN = {"per-1k": Decimal(1000), "per-1m": Decimal(1_000_000)}


def price_set(k: Knowledge, set_id: str | None, day: str | None = None) -> PriceSet:
    """The set as it stands on `day` (today by default): each model at the price in force that day,
    without the models shut down or due to shut down within the set's window."""
    set_id = set_id or k.default_price_set
    if set_id not in k.price_sets:
        raise RequestError(
            "unknown-price-set", f"There is no price set '{set_id}'. Choose one of: {', '.join(k.price_sets)}."
        )
    return on_day(k.price_sets[set_id], day or datetime.date.today().isoformat())


def _rate(prices: PriceSet, per_unit: float) -> Decimal:
    """USD per single token."""
    return Decimal(repr(per_unit)) / _PER_TOKEN[prices.unit]


def usd(value: Decimal) -> float:
    return float(value)


def request_cost(
    prices: PriceSet,
    m: Model,
    input_tokens: int,
    output_tokens: int,
    cached_share: Decimal = Decimal(0),
    reasoning_tokens: int = 0,
    batch: bool = False,
) -> Decimal:
    """USD for one request; `cached_share` of the input is read from the cache at the cached-input
    price, and, where the model has a cache-write price, the rest is written to the cache at it
    (caching on, a miss writes the prompt); hidden reasoning tokens are billed at the output price,
    as the providers bill them. `batch` uses the model's batch rates where it has them.

    A tiered model charges the whole request at the rates of the highest tier whose threshold
    the prompt passes (more input tokens than `above_input_tokens`), as genai-prices does.
    """
    base: Model | Rates = m.batch if batch and m.batch is not None else m
    rates: Model | Rates | Tier = base
    for tier in base.tiers:
        if input_tokens > tier.above_input_tokens:
            rates = tier
    cached_rate = _rate(prices, rates.cached_input if rates.cached_input is not None else rates.input)
    cached = Decimal(input_tokens) * cached_share
    fresh = Decimal(input_tokens) - cached
    fresh_rate = rates.cache_write if cached_share and rates.cache_write is not None else rates.input
    billed_output = Decimal(output_tokens + reasoning_tokens)
    return fresh * _rate(prices, fresh_rate) + cached * cached_rate + billed_output * _rate(prices, rates.output)


def _percent(share: Decimal) -> str:
    value = (share * 100).quantize(Decimal("0.1"))
    return f"{value.normalize():f}%"


def _notes(prices: PriceSet, m: Model, cached_share: Decimal, reasoning_tokens: int = 0) -> list[str]:
    notes = []
    if cached_share and m.cached_input is None:
        notes.append(f"{m.name} has no cached-input price in this set, so all input is billed at the full rate.")
    even = caching_break_even(m)
    if cached_share and even is not None:
        write = money(_per_unit(prices, m.cache_write) or 0)
        plain = money(_per_unit(prices, m.input) or 0)
        if cached_share < even:
            notes.append(
                f"At a {_percent(cached_share)} cache hit rate, caching costs more than it saves on {m.name}: "
                f"writing to the cache costs {write} per 1M tokens against {plain} for plain input, so caching "
                f"pays only above a {_percent(even)} hit rate."
            )
        else:
            notes.append(
                f"{m.name} charges {write} per 1M tokens to write to the cache (plain input is {plain}): "
                f"at a {_percent(cached_share)} hit rate caching pays; below {_percent(even)} it wouldn't."
            )
    if m.reasons and not reasoning_tokens:
        notes.append(
            f"{m.name} bills its hidden reasoning as output tokens, which this estimate leaves out: "
            "add them as reasoning tokens per request."
        )
    if reasoning_tokens and not m.reasons:
        notes.append(
            f"{m.name} isn't marked as a reasoning model in this set, so no reasoning tokens are billed for it."
        )
    if retiring(prices, m):
        notes.append(retiring_sentence(prices, m))
    for change in scheduled(prices, m):
        day = prices.day or "today"
        notes.append(
            f"{m.name}: {change['summary'][:1].lower()}{change['summary'][1:]} "
            f"This estimate uses the prices in force on {day}."
        )
    return notes


def _reasoning(m: Model, tokens: int) -> int:
    """The reasoning tokens a model bills: only models marked as reasoning think before answering."""
    return tokens if m.reasons else 0


def _per_unit(prices: PriceSet, value: float | None) -> float | None:
    """A price per 1M tokens, whatever unit the set writes."""
    return None if value is None else usd(_rate(prices, value) * _PER_TOKEN["per-1m"])


def short_tokens(n: int) -> str:
    """200000 -> 200K, 1048576 -> 1,048,576: a threshold the way pricing pages write it."""
    return f"{n // 1000:,}K" if n % 1000 == 0 else f"{n:,}"


def scheduled(prices: PriceSet, m: Model) -> list[dict[str, Any]]:
    """The model's announced price changes, per 1M tokens, each with a sentence saying what happens."""
    out = []
    before = (m.input, m.output, m.cached_input)
    for c in m.scheduled:
        after = (c.input, c.output, c.cached_input)
        ratios = {Decimal(repr(b)) / Decimal(repr(a)) for a, b in zip(before, after, strict=True) if a and b}
        verb = (
            {Decimal(2): "Doubles", Decimal("0.5"): "Halves"}.get(ratios.pop(), "Changes")
            if len(ratios) == 1
            else "Changes"
        )
        parts = [f"{money(_per_unit(prices, c.input) or 0)} input"]
        if c.cached_input is not None:
            parts.append(f"{money(_per_unit(prices, c.cached_input) or 0)} cached")
        parts.append(f"{money(_per_unit(prices, c.output) or 0)} output")
        out.append(
            {
                "from": c.starts,
                "input_per_1m": _per_unit(prices, c.input),
                "output_per_1m": _per_unit(prices, c.output),
                "cached_input_per_1m": _per_unit(prices, c.cached_input),
                "summary": f"{verb} on {c.starts}, to {', '.join(parts)} per 1M tokens.",
            }
        )
        before = after
    return out


def model_view(prices: PriceSet, m: Model) -> dict[str, Any]:
    per_m = _PER_TOKEN["per-1m"]
    return {
        "id": m.id,
        "name": m.name,
        "provider": m.provider,
        "input_per_1k": usd(_rate(prices, m.input) * 1000),
        "output_per_1k": usd(_rate(prices, m.output) * 1000),
        "input_per_1m": usd(_rate(prices, m.input) * per_m),
        "output_per_1m": usd(_rate(prices, m.output) * per_m),
        "cached_input_per_1m": _per_unit(prices, m.cached_input),
        "context_window": m.context_window,
        "effective": m.effective or prices.effective,
        # The day this price took effect, when the data knows it; otherwise only the day it was listed.
        "price_date": m.effective,
        "prices_from": m.effective or f"listed {prices.effective}",
        "tiered": bool(m.tiers),
        "tiers": [
            {
                "above_input_tokens": t.above_input_tokens,
                "above": short_tokens(t.above_input_tokens),
                "input_per_1m": _per_unit(prices, t.input),
                "output_per_1m": _per_unit(prices, t.output),
                "cached_input_per_1m": _per_unit(prices, t.cached_input),
            }
            for t in m.tiers
        ],
        "scheduled": scheduled(prices, m),
        "reasons": m.reasons,
        "cache_write_per_1m": _per_unit(prices, m.cache_write),
        "caching_break_even": None if (even := caching_break_even(m)) is None else usd(even),
        "batch": None
        if m.batch is None
        else {
            "input_per_1m": _per_unit(prices, m.batch.input),
            "output_per_1m": _per_unit(prices, m.batch.output),
            "cached_input_per_1m": _per_unit(prices, m.batch.cached_input),
        },
        "shutdown": m.shutdown,
        "retiring": retiring(prices, m),
        "replacement": m.replacement if m.replacement in prices.models else None,
    }


def estimate(
    k: Knowledge,
    set_id: str | None,
    model_id: str,
    input_tokens: int,
    output_tokens: int,
    requests: int,
    requests_per_day: int | None,
    cached_share: Decimal,
    reasoning_tokens: int = 0,
    day: str | None = None,
    batch: bool = False,
) -> dict[str, Any]:
    """One workload on one model: per request, in all, per day and month, against the set's other models."""
    prices = price_set(k, set_id, day)
    m = model(prices, model_id)
    billed = _reasoning(m, reasoning_tokens)
    one = request_cost(prices, m, input_tokens, output_tokens, cached_share, billed, batch)
    plain = request_cost(prices, m, input_tokens, output_tokens, Decimal(0), billed, batch)
    result: dict[str, Any] = {
        "set": prices.id,
        "price_set": set_view(prices),
        "choices": choices(prices),
        "model": model_view(prices, m),
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "reasoning_tokens": reasoning_tokens,
        "requests": requests,
        "cached_share": float(cached_share),
        "per_request_usd": usd(one),
        "total_usd": usd(one * requests),
        "per_day_usd": None,
        "per_month_usd": None,
        "day": prices.day,
        "batch": batch and m.batch is not None,
        # What caching saves on one request at the reader's hit rate (negative: it costs more).
        "caching_saves_per_request_usd": usd(plain - one) if cached_share else None,
        "notes": _notes(prices, m, cached_share, reasoning_tokens)
        + (
            [f"{m.name} has no batch price in this set, so the standard rates are used."]
            if batch and m.batch is None
            else []
        ),
    }
    if requests_per_day is not None:
        result["requests_per_day"] = requests_per_day
        result["per_day_usd"] = usd(one * requests_per_day)
        result["per_month_usd"] = usd(one * requests_per_day * DAYS_PER_MONTH)
        result["days_per_month"] = DAYS_PER_MONTH
    result["comparison"] = compare(
        k,
        prices.id,
        None,
        input_tokens,
        output_tokens,
        requests,
        cached_share,
        baseline=m.id,
        reasoning=reasoning_tokens,
        day=prices.day,
        batch=batch,
    )
    return result


def compare(
    k: Knowledge,
    set_id: str | None,
    model_ids: Iterable[str] | None,
    input_tokens: int,
    output_tokens: int,
    requests: int,
    cached_share: Decimal = Decimal(0),
    baseline: str | None = None,
    reasoning: int = 0,
    day: str | None = None,
    batch: bool = False,
) -> dict[str, Any]:
    """Every chosen model's cost for the same work, cheapest first, and what switching saves."""
    prices = price_set(k, set_id, day)
    chosen = [model(prices, i) for i in model_ids] if model_ids else list(prices.models.values())
    totals = {
        m.id: request_cost(prices, m, input_tokens, output_tokens, cached_share, _reasoning(m, reasoning), batch)
        * requests
        for m in chosen
    }
    rows = sorted(chosen, key=lambda m: (totals[m.id], m.id))
    base = model(prices, baseline) if baseline else rows[-1]
    if base.id not in totals:  # a baseline outside the chosen models is priced once, here
        totals[base.id] = (
            request_cost(prices, base, input_tokens, output_tokens, cached_share, _reasoning(base, reasoning), batch)
            * requests
        )
    base_total = totals[base.id]
    cheapest = rows[0]
    saving = base_total - totals[cheapest.id]
    return {
        "set": prices.id,
        "requests": requests,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "reasoning_tokens": reasoning,
        "rows": [
            {
                "id": m.id,
                "name": m.name,
                "effective": m.effective or prices.effective,
                "reasons": m.reasons,
                "total_usd": usd(totals[m.id]),
                "times_cheapest": usd(totals[m.id] / totals[cheapest.id]) if totals[cheapest.id] else None,
            }
            for m in rows
        ],
        "baseline": base.id,
        "cheapest": cheapest.id,
        "saving_usd": usd(saving),
        "saving_share": usd(saving / base_total) if base_total else 0.0,
    }


def conversation(
    k: Knowledge,
    set_id: str | None,
    model_id: str,
    turns: int,
    system: int,
    user: int,
    reply: int,
    cached_share: Decimal = Decimal(0),
    reasoning: int = 0,
    day: str | None = None,
) -> dict[str, Any]:
    """A chat that resends its whole history: turn i sends s + u + (i-1)(u+a) input tokens."""
    prices = price_set(k, set_id, day)
    m = model(prices, model_id)
    series = []
    cumulative = Decimal(0)
    for turn in range(1, turns + 1):
        sent = system + user + (turn - 1) * (user + reply)
        turn_cost = request_cost(prices, m, sent, reply, cached_share, _reasoning(m, reasoning))
        cumulative += turn_cost
        series.append(
            {
                "turn": turn,
                "input_tokens": sent,
                "output_tokens": reply,
                "cost_usd": usd(turn_cost),
                "cumulative_usd": usd(cumulative),
            }
        )
    input_total = turns * system + turns * user + (user + reply) * turns * (turns - 1) // 2
    without_history = request_cost(prices, m, system + user, reply, cached_share, _reasoning(m, reasoning)) * turns
    return {
        "set": prices.id,
        "model": model_view(prices, m),
        "turns": turns,
        "system": system,
        "user": user,
        "reply": reply,
        "reasoning_tokens": reasoning,
        "cached_share": float(cached_share),
        "input_tokens": input_total,
        "output_tokens": turns * reply,
        "total_usd": usd(cumulative),
        "without_history_usd": usd(without_history),
        "growth": usd(cumulative / without_history) if without_history else None,
        "series": series,
        "notes": _notes(prices, m, cached_share, reasoning),
    }
