"""The plan board: the signals a reader measured in, a verdict card for every safeguard, basic and topic out."""

from __future__ import annotations

from typing import Any

from ..formatting import assumption_lines, counted, esc
from .html import badge


def _signal_field(s: dict[str, Any], value: Any) -> str:
    if s["kind"] == "flag":
        options = "".join(
            f'<option value="{v}"{" selected" if value is b else ""}>{label}</option>'
            for v, b, label in (("", None, "Don't know"), ("yes", True, "Yes"), ("no", False, "No"))
        )
        control = (
            f'<select name="{esc(s["id"])}" data-wm-key="signals.{esc(s["id"])}" data-wm-type="flag">{options}</select>'
        )
    else:
        step = "1" if s["kind"] == "count" else "any"
        shown = "" if value is None else esc(value)
        control = (
            f'<input type="number" name="{esc(s["id"])}" data-wm-key="signals.{esc(s["id"])}" '
            f'data-wm-type="{esc(s["kind"])}" min="{esc(s["min"])}" max="{esc(s["max"])}" '
            f'step="{step}" value="{shown}" placeholder="don\'t know">'
        )
    return f'<label title="{esc(s["help"])}"><span>{esc(s["label"])}</span> {control}</label>'


def _assumptions(v: dict[str, Any]) -> str:
    if not v.get("assumptions"):
        return ""
    items = []
    for a in v["assumptions"]:
        first, *rest = assumption_lines(a)
        items.append(f"<li>{esc(first)}" + "".join(f"<br>{esc(line)}" for line in rest) + "</li>")
    return (
        f'<p class="wm-assumed">This rests on {esc(counted(len(v["assumptions"]), "answer", "answers"))} you didn\'t give:</p>'
        f'<ul class="wm-assumptions">{"".join(items)}</ul>'
    )


def _cards(group: dict[str, dict[str, Any]]) -> str:
    return "".join(
        f'<li class="wm-card wm-verdict--{esc(v["verdict"])}" data-wm-topic="{esc(tid)}">'
        f'<details><summary><span class="wm-card-title">{esc(v["name"])}</span> '
        f'<span class="wm-verdict-label">{badge(v["verdict"], v["label"])}</span></summary>'
        f'<p class="wm-reason">{esc(v["reason"])}</p>{_assumptions(v)}</details></li>'
        for tid, v in group.items()
    )


def plan_lists(result: dict[str, Any]) -> str:
    """The plan's verdict cards, group by group (also shown under a scan's report)."""
    groups = (
        ("What can't be undone: do these first", result.get("safeguards", {})),
        ("The four basics", result["basics"]),
        ("Later, when you have the problem", result["verdicts"]),
    )
    return "".join(
        f'<p class="wm-subtitle">{esc(title)}</p><ul class="wm-cards">{_cards(group)}</ul>'
        for title, group in groups
        if group
    )


def plan_widget(result: dict[str, Any]) -> str:
    fields = "".join(_signal_field(s, result["signals"].get(s["id"])) for s in result["fields"])
    form = f'<form class="wm-form wm-signals" data-wm-form="plan">{fields}</form>'
    lists = plan_lists(result)
    return (
        f'<div class="wm-plan">{form}<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">What matters now</p>'
        f'<p class="wm-help">Open a topic to see why.</p>{lists}'
        "</div></div>"
    )
