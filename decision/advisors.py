"""Advice for AI features: how to handle latency, how to fit a context window, what to screen."""

from __future__ import annotations

import math
from typing import Any

from .knowledge import Knowledge, Rule, Strategy, all_hold

SCREEN_MAX_CHARS = 20_000


def _pick(rules: tuple[Rule, ...], strategies: dict[str, Strategy] | Any, values: dict[str, Any]) -> dict[str, Any]:
    rule = next(r for r in rules if all_hold(r.when, values))
    s = strategies[rule.strategy]
    return {"strategy": {"id": s.id, "name": s.name, "what": s.what}, "reason": rule.reason}


def latency(k: Knowledge, seconds: float, streamable: bool) -> dict[str, Any]:
    values = {"seconds": seconds, "streamable": streamable}
    return {"seconds": seconds, "streamable": streamable, **_pick(k.latency_rules, k.latency_strategies, values)}


def context(k: Knowledge, turns: int, tokens_per_turn: int, window: int, needs_early_context: bool) -> dict[str, Any]:
    needed = turns * tokens_per_turn
    ratio = needed / window
    values = {"ratio": ratio, "needs_early_context": needs_early_context, "turns": turns}
    result = {"turns": turns, "tokens_per_turn": tokens_per_turn, "window": window,
              "needs_early_context": needs_early_context, "needed_tokens": needed, "ratio": round(ratio, 4),
              **_pick(k.context_rules, k.context_strategies, values)}
    fits = math.floor(window * k.context_headroom / tokens_per_turn) if tokens_per_turn else turns
    result["keep_last"] = max(1, min(turns, fits))
    return result


def screen(k: Knowledge, text: str) -> dict[str, Any]:
    """Which suspicious patterns a message trips, each with the words that tripped it and why."""
    hits = []
    for p in k.patterns:
        match = p.regex.search(text)
        if match:
            hits.append({"id": p.id, "name": p.name, "why": p.why, "match": match.group(0).strip()[:120]})
    return {"text": text, "length": len(text), "suspicious": bool(hits), "hits": hits,
            "defences": [{"kind": kind, "text": t} for kind, t in k.defences]}
