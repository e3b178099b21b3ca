"""What an LLM feature costs: per request, per day and month, over a conversation, across models.

Money is computed with Decimal from the prices as written in the data, so the seed's
figures come out exactly (10,000 requests on GPT-3.5 Turbo are $10, not $9.999999).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .errors import RequestError
from .formatting import money
from .knowledge import Knowledge, Model, PriceSet, Tier

DAYS_PER_MONTH = 30
_PER_TOKEN = {"per-1k": Decimal(1000), "per-1m": Decimal(1_000_000)}


def price_set(k: Knowledge, set_id: str | None) -> PriceSet:
    set_id = set_id or k.default_price_set
    if set_id not in k.price_sets:
        raise RequestError(
            "unknown-price-set", f"There is no price set '{set_id}'. Choose one of: {', '.join(k.price_sets)}."
        )
    return k.price_sets[set_id]


def model(prices: PriceSet, model_id: str) -> Model:
    """The model with this id (in any letter case); anything else is an error with suggestions, never $0."""
    if model_id in prices.models:
        return prices.models[model_id]
    same = [m for m in prices.models.values() if m.id.lower() == model_id.strip().lower()]
    if len(same) == 1:
        return same[0]
    close = suggestions(prices, model_id)
    hint = f" Did you mean {', '.join(close)}?" if close else " List the models with: whatmatters models."
    raise RequestError("unknown-model", f"The price set '{prices.id}' has no model '{model_id}'.{hint}")


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
) -> Decimal:
    """USD for one request; `cached_share` of the input is billed at the cached-input price,
    and hidden reasoning tokens at the output price, as the providers bill them.

    A tiered model charges the whole request at the rates of the highest tier whose threshold
    the prompt passes (more input tokens than `above_input_tokens`), as genai-prices does.
    """
    rates: Model | Tier = m
    for tier in m.tiers:
        if input_tokens > tier.above_input_tokens:
            rates = tier
    cached_rate = _rate(prices, rates.cached_input if rates.cached_input is not None else rates.input)
    cached = Decimal(input_tokens) * cached_share
    fresh = Decimal(input_tokens) - cached
    billed_output = Decimal(output_tokens + reasoning_tokens)
    return fresh * _rate(prices, rates.input) + cached * cached_rate + billed_output * _rate(prices, rates.output)


def _notes(prices: PriceSet, m: Model, cached_share: Decimal, reasoning_tokens: int = 0) -> list[str]:
    notes = []
    if cached_share and m.cached_input is None:
        notes.append(f"{m.name} has no cached-input price in this set, so all input is billed at the full rate.")
    if m.reasons and not reasoning_tokens:
        notes.append(
            f"{m.name} bills its hidden reasoning as output tokens, which this estimate leaves out: "
            "add them as reasoning tokens per request."
        )
    if reasoning_tokens and not m.reasons:
        notes.append(
            f"{m.name} isn't marked as a reasoning model in this set, so no reasoning tokens are billed for it."
        )
    for change in scheduled(prices, m):
        notes.append(
            f"{m.name}: {change['summary'][:1].lower()}{change['summary'][1:]} This estimate uses today's prices."
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
    }


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
) -> dict[str, Any]:
    """One workload on one model: per request, in all, per day and month, against the set's other models."""
    prices = price_set(k, set_id)
    m = model(prices, model_id)
    one = request_cost(prices, m, input_tokens, output_tokens, cached_share, _reasoning(m, reasoning_tokens))
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
        "notes": _notes(prices, m, cached_share, reasoning_tokens),
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
) -> dict[str, Any]:
    """Every chosen model's cost for the same work, cheapest first, and what switching saves."""
    prices = price_set(k, set_id)
    chosen = [model(prices, i) for i in model_ids] if model_ids else list(prices.models.values())
    totals = {
        m.id: request_cost(prices, m, input_tokens, output_tokens, cached_share, _reasoning(m, reasoning)) * requests
        for m in chosen
    }
    rows = sorted(chosen, key=lambda m: (totals[m.id], m.id))
    base = model(prices, baseline) if baseline else rows[-1]
    if base.id not in totals:  # a baseline outside the chosen models is priced once, here
        totals[base.id] = (
            request_cost(prices, base, input_tokens, output_tokens, cached_share, _reasoning(base, reasoning))
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
) -> dict[str, Any]:
    """A chat that resends its whole history: turn i sends s + u + (i-1)(u+a) input tokens."""
    prices = price_set(k, set_id)
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
