"""The decision widgets' HTML: a question flow, the stage finder and the plan board.

Every text goes through `esc`; widgets.py re-exports these so callers keep one import.
"""

from __future__ import annotations

from typing import Any

from ..formatting import assumption_lines, counted, esc
from .diagram import flow_diagram
from .html import badge, checklist, verdict_box


def _path(path: list[dict[str, Any]]) -> str:
    if not path:
        return ""
    items = "".join(
        f'<li><span class="wm-path-q">{esc(p["text"])}</span> <span class="wm-path-a">{esc(p["label"])}</span></li>'
        for p in path
    )
    return f'<ol class="wm-path" aria-label="Your answers">{items}</ol>'


def _tree(node: dict[str, Any], anchor: str) -> str:
    """The flow as nested answers to open; a question met again links to where it was spelled out."""
    if node.get("again"):
        return (
            f'<div class="wm-node wm-again"><p class="wm-q">{esc(node["text"])} '
            f'<a class="wm-see-above" href="#{esc(anchor)}-{esc(node["id"])}">See above</a></p></div>'
        )
    items = []
    for o in node["options"]:
        inner = _tree(o["next"], anchor) if o["next"] is not None else verdict_box(o["verdict"], "p")
        # data-wm-carry: an answer opened here is the live flow's answer to this question (widget.js).
        items.append(
            f'<li><details data-wm-carry="answers.{esc(node["id"])}" data-wm-value="{esc(o["value"])}">'
            f"<summary>{esc(o['label'])}</summary>{inner}</details></li>"
        )
    ident = f' id="{esc(anchor)}-{esc(node["id"])}"' if node.get("shared") else ""
    return f'<div class="wm-node"{ident}><p class="wm-q">{esc(node["text"])}</p><ul>{"".join(items)}</ul></div>'


def flow_widget(result: dict[str, Any]) -> str:
    topic = result["topic"]
    head = f'<p class="wm-title">{esc(result["title"])}</p>'
    if result.get("tree"):
        body = f'<div class="wm-tree">{_tree(result["tree"], f"wm-tree-{topic}")}</div>'
        return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{_beside(head + body, result)}</div>'
    if result["done"]:
        body = verdict_box(result["verdict"]) + _path(result["path"])
    else:
        q = result["question"]
        buttons = "".join(
            f'<button type="button" class="md-button" data-wm-set="answers.{esc(q["id"])}" '
            f'data-wm-value="{esc(o["value"])}">{esc(o["label"])}</button>'
            for o in q["options"]
        )
        help_text = f'<p class="wm-help">{esc(q["help"])}</p>' if q["help"] else ""
        step = len(result["path"]) + 1
        body = (
            f'<fieldset class="wm-question"><legend tabindex="-1">Question {step}: {esc(q["text"])}</legend>'
            f'{help_text}<div class="wm-answers">{buttons}</div></fieldset>' + _path(result["path"])
        )
    controls = ""
    if result["path"]:
        last = result["path"][-1]["question"]
        controls = (
            f'<div class="wm-controls"><button type="button" class="wm-back" '
            f'data-wm-unset="answers.{esc(last)}">Back</button>'
            '<button type="button" class="wm-restart" data-wm-unset="answers">Start again</button></div>'
        )
    return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{_beside(head + body + controls, result)}</div>'


def _beside(flow: str, result: dict[str, Any]) -> str:
    """The interactive flow with the picture of its whole tree beside it (below it on a phone)."""
    if not result.get("map"):
        return flow
    picture = flow_diagram(result["map"], result["path"], result["title"], result["topic"])
    return f'<div class="wm-flow-grid"><div class="wm-flow-main">{flow}</div>{picture}</div>'


def stage_widget(result: dict[str, Any]) -> str:
    s = result["stage"]

    def tick(key: str, label: str) -> str:
        on = " checked" if result.get(key) else ""
        return (
            f'<label class="wm-check"><input type="checkbox" name="{key}" data-wm-key="{key}" '
            f'data-wm-type="bool"{on}> {label}</label>'
        )

    form = (
        f'<form class="wm-form" data-wm-form="stage" data-wm-clears="checked">'
        f'<label>Users <input type="number" name="users" data-wm-key="users" data-wm-type="count" min="0" '
        f'step="1" value="{esc(result["users"])}"></label>'
        f"{tick('depends', 'People depend on it working')}{tick('pays', 'People pay for it')}</form>"
    )
    raised = "".join(
        f'<p class="wm-subtitle">{esc(g["why"])}</p><ul class="wm-safeguards">'
        + "".join(f"<li>{esc(item)}</li>" for item in g["items"])
        + "</ul>"
        for g in result.get("safeguards", ())
    )
    body = (
        f'<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">{esc(s["name"])}: {esc(s["question"])}</p>'
        f'<p class="wm-reason">{esc(result["reason"])}</p>'
        f"<p>{esc(s['meaning'])}</p>"
        f'<dl class="wm-facts"><dt>Who uses it</dt><dd>{result["users"]:,} people '
        f"(this stage: {esc(s['users'])})</dd><dt>Typical length</dt>"
        f"<dd>{esc(s['takes'])}</dd><dt>Put your effort into</dt><dd>{esc(s['focus'])}</dd>"
        f"<dt>Leave for later</dt><dd>{esc(s['skip'])}</dd></dl>"
        f'<p class="wm-subtitle">What you should have by now</p>'
        f"{checklist(s['checklist'], 'checked', result.get('checked', ()), live_key='checked')}{raised}</div>"
    )
    return f'<div class="wm-stage" data-wm-stage="{esc(s["id"])}">{form}{body}</div>'


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


def plan_widget(result: dict[str, Any]) -> str:
    fields = "".join(_signal_field(s, result["signals"].get(s["id"])) for s in result["fields"])
    form = f'<form class="wm-form wm-signals" data-wm-form="plan">{fields}</form>'
    groups = (
        ("What can't be undone: do these first", result.get("safeguards", {})),
        ("The four basics", result["basics"]),
        ("Later, when you have the problem", result["verdicts"]),
    )
    lists = "".join(
        f'<p class="wm-subtitle">{esc(title)}</p><ul class="wm-cards">{_cards(group)}</ul>'
        for title, group in groups
        if group
    )
    return (
        f'<div class="wm-plan">{form}<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">What matters now</p>'
        f'<p class="wm-help">Open a topic to see why.</p>{lists}'
        "</div></div>"
    )
