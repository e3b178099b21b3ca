"""The corpus's request builder and the requests it walks from the data: every flow path, table, widget default and restore."""

from __future__ import annotations

import base64
import json
from typing import Any

from decision import flows
from decision.loading import knowledge
from decision.table_registry import TABLES


def _req(op: str, render: bool | dict[str, bool] = True, **fields: Any) -> dict[str, Any]:
    request: dict[str, Any] = {"v": 1, "op": op, **fields}
    if render:
        request["render"] = render
    return request


def _flow_requests() -> list[dict[str, Any]]:
    """For every topic: the first question, each first step alone, and each complete path."""
    k = knowledge()
    out: list[dict[str, Any]] = []
    for topic, flow in k.flows.items():
        out.append(_req("flow", topic=topic))
        out.append(_req("flow", render={"tree": True}, topic=topic))
        seen_first: set[tuple[str, str]] = set()
        for path in flows.paths(flow):
            if path[0] not in seen_first:
                seen_first.add(path[0])
                out.append(_req("flow", topic=topic, answers=dict(path[:1])))
            out.append(_req("flow", topic=topic, answers=dict(path)))
        # One path asked for with the whole tree, and once without HTML.
        full = dict(flows.paths(flow)[-1])
        out.append(_req("flow", render={"tree": True}, topic=topic, answers=full))
        out.append(_req("flow", render=False, topic=topic, answers=full))
    return out


def _table_requests() -> list[dict[str, Any]]:
    """Every table the renderer knows; the checklist once per stage."""
    k = knowledge()
    out: list[dict[str, Any]] = []
    for name in TABLES:
        if name == "checklist":
            out.extend(_req("table", name=name, stage=s.id) for s in k.stages)
        elif name == "signs":
            out.extend(_req("table", name=name, topic=p.id) for p in k.problems)
        elif name == "basic":
            out.extend(_req("table", name=name, basic=b.id) for b in k.basics)
        elif name == "prices":
            out.append(_req("table", name=name))
            out.extend(_req("table", name=name, set=set_id) for set_id in k.price_sets)
        else:
            out.append(_req("table", name=name))
    return out


def _widget_defaults() -> list[dict[str, Any]]:
    """Each widget's worked example, as a page renders it before any JS runs."""
    k = knowledge()
    out = []
    for widget in k.widgets.values():
        fields = dict(widget.defaults)
        if widget.op == "flow":
            fields.setdefault("topic", next(iter(k.flows)))
        out.append(_req(widget.op, **fields))
    return out


def saved(state: Any) -> str:
    """A widget state as a shared link carries it: URL-safe base64 of its JSON, unpadded."""
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def _restore_requests() -> list[dict[str, Any]]:
    """Each widget's worked example saved into a link and read back."""
    k = knowledge()
    out = []
    for name, widget in k.widgets.items():
        base = dict(widget.defaults)
        if widget.op == "flow":
            topic = next(iter(k.flows))
            base["topic"] = topic
            state: dict[str, Any] = {"answers": dict(flows.paths(k.flows[topic])[0])}
        else:
            state = {key: base[key] for key in widget.state if key in base}
        out.append(_req("restore", widget=name, request=base, state=saved(state)))
    out.append(_req("restore", widget="stage", request={}, state=saved({"users": 900, "checked": [0]})))
    return out
