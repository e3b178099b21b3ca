"""Advice for AI features: how to handle a slow answer, how to fit a conversation into a context window."""

from __future__ import annotations

import math
from typing import Any

from .knowledge import Knowledge, Rule, Strategy, all_hold


def _pick(rules: tuple[Rule, ...], strategies: dict[str, Strategy] | Any, values: dict[str, Any]) -> dict[str, Any]:
    rule = next(r for r in rules if all_hold(r.when, values))
    s = strategies[rule.strategy]
    return {
        "strategy": {"id": s.id, "name": s.name, "what": s.what, "keeps_last_turns": s.keeps_last_turns},
        "reason": rule.reason,
    }


def latency(k: Knowledge, seconds: float, streamable: bool) -> dict[str, Any]:
    values = {"seconds": seconds, "streamable": streamable}
    return {"seconds": seconds, "streamable": streamable, **_pick(k.ai.latency_rules, k.ai.latency_strategies, values)}


def context(k: Knowledge, turns: int, tokens_per_turn: int, window: int, needs_early_context: bool) -> dict[str, Any]:
    needed = turns * tokens_per_turn
    ratio = needed / window
    values = {"ratio": ratio, "needs_early_context": needs_early_context, "turns": turns}
    result = {
        "turns": turns,
        "tokens_per_turn": tokens_per_turn,
        "window": window,
        "needs_early_context": needs_early_context,
        "needed_tokens": needed,
        "ratio": round(ratio, 4),
        **_pick(k.ai.context_rules, k.ai.context_strategies, values),
    }
    fits = math.floor(window * k.ai.context_headroom / tokens_per_turn) if tokens_per_turn else turns
    result["keep_last"] = max(1, min(turns, fits))
    return result
