"""The personal plan: every problem topic decided from measured signals, plus the basics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import flows
from .knowledge import Knowledge


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
    return {"signals": dict(signals), "fields": fields, "verdicts": verdicts, "basics": basics}
