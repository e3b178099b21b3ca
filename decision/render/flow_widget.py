"""The question flow: one question at a time with the path so far, or the whole tree to open, beside its picture;
and the list of topics that have a flow.
"""

from __future__ import annotations

from typing import Any

from ..formatting import esc
from .diagram import flow_diagram
from .html import bullet_list, verdict_box


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


def topics_list(result: dict[str, Any]) -> str:
    return bullet_list((t["title"] for t in result["topics"]), "wm-topics")
