"""The arithmetic: what a request, a workload, a set's models and a conversation cost.

Money is computed with Decimal from the prices as written in the data, so the seed's
figures come out exactly (10,000 requests on GPT-3.5 Turbo are $10, not $9.999999).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..knowledge import Knowledge, Model, PriceSet, Rates, Tier
from ..prices import caching_break_even, choices, model, retiring, set_view
from .lookup import PER_TOKEN, per_unit, price_set, rate, usd
from .wording import notes, scheduled, short_tokens

DAYS_PER_MONTH = 30


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
    cached_rate = rate(prices, rates.cached_input if rates.cached_input is not None else rates.input)
    cached = Decimal(input_tokens) * cached_share
    fresh = Decimal(input_tokens) - cached
    fresh_rate = rates.cache_write if cached_share and rates.cache_write is not None else rates.input
    billed_output = Decimal(output_tokens + reasoning_tokens)
    return fresh * rate(prices, fresh_rate) + cached * cached_rate + billed_output * rate(prices, rates.output)


def _reasoning(m: Model, tokens: int) -> int:
    """The reasoning tokens a model bills: only models marked as reasoning think before answering."""
    return tokens if m.reasons else 0


def model_view(prices: PriceSet, m: Model) -> dict[str, Any]:
    per_m = PER_TOKEN["per-1m"]
    return {
        "id": m.id,
        "name": m.name,
        "provider": m.provider,
        "input_per_1k": usd(rate(prices, m.input) * 1000),
        "output_per_1k": usd(rate(prices, m.output) * 1000),
        "input_per_1m": usd(rate(prices, m.input) * per_m),
        "output_per_1m": usd(rate(prices, m.output) * per_m),
        "cached_input_per_1m": per_unit(prices, m.cached_input),
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
                "input_per_1m": per_unit(prices, t.input),
                "output_per_1m": per_unit(prices, t.output),
                "cached_input_per_1m": per_unit(prices, t.cached_input),
            }
            for t in m.tiers
        ],
        "scheduled": scheduled(prices, m),
        "reasons": m.reasons,
        "cache_write_per_1m": per_unit(prices, m.cache_write),
        "caching_break_even": None if (even := caching_break_even(m)) is None else usd(even),
        "batch": None
        if m.batch is None
        else {
            "input_per_1m": per_unit(prices, m.batch.input),
            "output_per_1m": per_unit(prices, m.batch.output),
            "cached_input_per_1m": per_unit(prices, m.batch.cached_input),
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
        "notes": notes(prices, m, cached_share, reasoning_tokens)
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
        "notes": notes(prices, m, cached_share, reasoning),
    }
