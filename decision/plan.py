"""The personal plan: what can't be undone first, then the basics, then every problem topic
decided from measured signals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import flows
from .knowledge import Knowledge, any_holds


def make(k: Knowledge, signals: Mapping[str, Any]) -> dict[str, Any]:
    verdicts = {}
    for problem in k.problems:
        result = flows.decide(k, problem.id, signals)
        verdicts[problem.id] = {
            "name": problem.name,
            "verdict": result["verdict"]["id"],
            "label": result["verdict"]["label"],
            "reason": result["verdict"]["reason"],
            "path": result["path"],
            "assumed": result["assumed"],
            "assumptions": result["assumptions"],
        }
    applies, not_yet = (k.verdicts[v] for v in k.safeguard_verdicts)
    safeguards = {}
    for g in k.safeguards:
        # Only a signal the reader gave can put a safeguard off; an unknown one never does.
        off = bool(g.not_if) and any_holds(g.not_if, signals) is True
        verdict = not_yet if off else applies
        safeguards[g.id] = {
            "name": g.name,
            "verdict": verdict.id,
            "label": verdict.label,
            "reason": g.not_yet_reason if off else g.reason,
            "loses": g.loses,
        }
    do_now = k.verdicts[k.basics_verdict]
    basics = {
        b.id: {
            "name": b.name,
            "verdict": do_now.id,
            "label": do_now.label,
            "reason": b.plan_reason,
            "minutes": b.minutes,
        }
        for b in k.basics
    }
    fields = [
        {"id": s.id, "kind": s.kind, "label": s.label, "help": s.help, "min": s.min, "max": s.max}
        for s in k.signals.values()
    ]
    return {
        "signals": dict(signals),
        "fields": fields,
        "safeguards": safeguards,
        "basics": basics,
        "verdicts": verdicts,
    }
