"""The sentences a cost answer carries: what caching, reasoning, retirement and scheduled changes mean for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..formatting import money
from ..knowledge import Model, PriceSet
from ..prices import caching_break_even, retiring, retiring_sentence
from .lookup import per_unit


def percent(share: Decimal) -> str:
    """A hit rate as a sentence says it: 0.075 -> 7.5%."""
    value = (share * 100).quantize(Decimal("0.1"))
    return f"{value.normalize():f}%"


def notes(prices: PriceSet, m: Model, cached_share: Decimal, reasoning_tokens: int = 0) -> list[str]:
    """What the figures can't say alone: a missing cached price, caching that doesn't pay, reasoning left
    out or not billed, a model retiring, a price change announced."""
    out = []
    if cached_share and m.cached_input is None:
        out.append(f"{m.name} has no cached-input price in this set, so all input is billed at the full rate.")
    even = caching_break_even(m)
    if cached_share and even is not None:
        write = money(per_unit(prices, m.cache_write) or 0)
        plain = money(per_unit(prices, m.input) or 0)
        if cached_share < even:
            out.append(
                f"At a {percent(cached_share)} cache hit rate, caching costs more than it saves on {m.name}: "
                f"writing to the cache costs {write} per 1M tokens against {plain} for plain input, so caching "
                f"pays only above a {percent(even)} hit rate."
            )
        else:
            out.append(
                f"{m.name} charges {write} per 1M tokens to write to the cache (plain input is {plain}): "
                f"at a {percent(cached_share)} hit rate caching pays; below {percent(even)} it wouldn't."
            )
    if m.reasons and not reasoning_tokens:
        out.append(
            f"{m.name} bills its hidden reasoning as output tokens, which this estimate leaves out: "
            "add them as reasoning tokens per request."
        )
    if reasoning_tokens and not m.reasons:
        out.append(f"{m.name} isn't marked as a reasoning model in this set, so no reasoning tokens are billed for it.")
    if retiring(prices, m):
        out.append(retiring_sentence(prices, m))
    for change in scheduled(prices, m):
        day = prices.day or "today"
        out.append(
            f"{m.name}: {change['summary'][:1].lower()}{change['summary'][1:]} "
            f"This estimate uses the prices in force on {day}."
        )
    return out


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
        parts = [f"{money(per_unit(prices, c.input) or 0)} input"]
        if c.cached_input is not None:
            parts.append(f"{money(per_unit(prices, c.cached_input) or 0)} cached")
        parts.append(f"{money(per_unit(prices, c.output) or 0)} output")
        out.append(
            {
                "from": c.starts,
                "input_per_1m": per_unit(prices, c.input),
                "output_per_1m": per_unit(prices, c.output),
                "cached_input_per_1m": per_unit(prices, c.cached_input),
                "summary": f"{verb} on {c.starts}, to {', '.join(parts)} per 1M tokens.",
            }
        )
        before = after
    return out
