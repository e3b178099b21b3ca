"""The one door: `handle(request) -> response`, JSON in and JSON out, never an exception.

The browser's worker and the `whatmatters` command both call only this. A request is a
dict with `"v": 1` and an `"op"`; the response is `{"ok": true, "v": 1, "op": ..., "result": ...}`
or `{"ok": false, "v": 1, "error": {"code": ..., "message": ...}}` with a sentence meant
for a reader. A request that asks for `"render": true` (or render options such as
`{"tree": true}`) also gets `"html"`, `"record"` (a Markdown decision record) and
`"request"`: the canonical request that reproduces the answer, which a live widget
carries on from there.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import ai_advice, costs, flows, plan, scan_request, screener, stages, table_registry
from .errors import DataError, RequestError
from .knowledge import Knowledge
from .loading import knowledge
from .protocol import (
    MAX_ANSWERS,
    MAX_ID_CHARS,
    MAX_REQUESTS,
    MAX_STATE_CHARS,
    MAX_TOKENS,
    MAX_TURNS,
    SCREEN_MAX_CHARS,
    VERSION,
)
from .render import decision_records as records
from .render.ai_advice import context_advice, latency_advice
from .render.conversation_widget import conversation_widget
from .render.cost_widget import cost_widget
from .render.flow_widget import flow_widget, topics_list
from .render.plan_widget import plan_widget
from .render.price_tables import compare_table, models_table
from .render.scan_widget import scan_widget
from .render.screen_widget import screen_widget
from .render.stage_widget import stage_widget
from .request import Request

__all__ = [
    "MAX_ANSWERS",
    "MAX_ID_CHARS",
    "MAX_REQUESTS",
    "MAX_STATE_CHARS",
    "MAX_TOKENS",
    "MAX_TURNS",
    "OPERATIONS",
    "VERSION",
    "Operation",
    "Request",
    "handle",
]


# --- the operations ------------------------------------------------------------------


def _answer_topics(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"topics": [{"id": f.topic, "title": f.title} for f in k.flows.values()]}


def _answer_flow(k: Knowledge, r: Request) -> dict[str, Any]:
    topic = r.text("topic", "the topic")
    answers = r.table("answers", "the answers")
    for qid, value in answers.items():
        if (
            not isinstance(qid, str)
            or not isinstance(value, str)
            or len(value) > MAX_ID_CHARS
            or len(qid) > MAX_ID_CHARS
        ):
            raise RequestError("wrong-type", "Each answer should be a short text such as 'yes' or 'no'.")
    result = flows.walk(k, topic, answers)
    r.canonical["answers"] = {step["question"]: step["answer"] for step in result["path"]}
    # Every answer carries the whole flow too: the renderer draws it beside the question as a map.
    result["map"] = flows.tree(k, k.flows[result["topic"]])
    options = r.render_options()
    if options and options.get("tree"):
        result["tree"] = result["map"]
    return result


def _answer_stage(k: Knowledge, r: Request) -> dict[str, Any]:
    users = r.count("users", "the number of users", 0, 10_000_000_000)
    depends = r.flag("depends", "whether people depend on it")
    pays = r.flag("pays", "whether people pay for it")
    found = stages.answer(k, users, depends, pays)
    stage = next(s for s in k.stages if s.id == found["stage"]["id"])
    checked = r.raw.get("checked", [])
    if not isinstance(checked, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(stage.checklist) for i in checked
    ):
        raise RequestError(
            "wrong-type",
            f"The ticked items ('checked') should be positions in the {stage.name} "
            f"checklist, from 0 to {len(stage.checklist) - 1}.",
        )
    if "checked" in r.raw:
        r.canonical["checked"] = sorted(set(checked))
    return {
        "users": users,
        "depends": depends,
        "pays": pays,
        **found,
        "checked": sorted(set(checked)),
        "stages": [{"id": s.id, "name": s.name} for s in k.stages],
    }


def _read_signals(k: Knowledge, r: Request) -> dict[str, Any]:
    raw = r.table("signals", "the signals", max_items=len(k.signals))
    out: dict[str, Any] = {}
    inner = Request(raw)
    for key in raw:
        if key not in k.signals:
            raise RequestError(
                "unknown-signal",
                f"'{str(key)[:40]}' is not a signal the plan knows. Known signals: {', '.join(k.signals)}.",
            )
    for s in k.signals.values():
        what = s.label[:1].lower() + s.label[1:]
        if s.kind == "flag":
            value = raw.get(s.id)
            out[s.id] = None if value is None else inner.flag(s.id, what)
        else:
            out[s.id] = inner.number(
                s.id,
                what,
                s.min if s.min is not None else 0,
                s.max if s.max is not None else 1e12,
                None,
                whole=s.kind == "count",
            )
    return out


def _answer_plan(k: Knowledge, r: Request) -> dict[str, Any]:
    return plan.make(k, _read_signals(k, r))


def _tokens(r: Request, key: str, what: str, default: Any = ...) -> Any:
    return r.count(key, what, 0, MAX_TOKENS, default)


def _answer_cost(k: Knowledge, r: Request) -> dict[str, Any]:
    set_id, model = r.text("set", "the price set", None), r.text("model", "the model")
    input_tokens = _tokens(r, "input_tokens", "the input tokens per request")
    output_tokens = _tokens(r, "output_tokens", "the output tokens per request")
    cached_share = r.share("cached_share", "the share of cached input, in percent")
    reasoning = _tokens(r, "reasoning_tokens", "the reasoning tokens per request", 0)
    day = r.day()
    result = costs.estimate(
        k,
        set_id,
        model,
        input_tokens,
        output_tokens,
        r.count("requests", "the number of requests", 0, MAX_REQUESTS, 1),
        r.count("requests_per_day", "the requests per day", 0, MAX_REQUESTS, None),
        cached_share,
        reasoning,
        day,
        r.flag("batch", "whether the requests go through the batch API"),
    )
    turns = r.count("turns", "the number of conversation turns", 1, MAX_TURNS, None)
    if turns is not None:
        # The same requests as turns of one chat: each resends everything said before it.
        result["conversation"] = costs.conversation(
            k, set_id, model, turns, 0, input_tokens, output_tokens, cached_share, reasoning, day
        )
    # A name or an unambiguous part of one ("Claude Sonnet 4.5") is saved as the model's id.
    r.canonical["model"] = result["model"]["id"]
    return result


def _answer_compare(k: Knowledge, r: Request) -> dict[str, Any]:
    models = r.raw.get("models")
    if models is not None:
        if (
            not isinstance(models, list)
            or not models
            or len(models) > 100
            or not all(isinstance(m, str) and len(m) <= MAX_ID_CHARS for m in models)
        ):
            raise RequestError("wrong-type", "The models ('models') should be a list of model ids.")
        r.canonical["models"] = models
    return costs.compare(
        k,
        r.text("set", "the price set", None),
        models,
        _tokens(r, "input_tokens", "the input tokens per request"),
        _tokens(r, "output_tokens", "the output tokens per request"),
        r.count("requests", "the number of requests", 0, MAX_REQUESTS, 1),
        r.share("cached_share", "the share of cached input, in percent"),
        r.text("baseline", "the baseline model", None),
        _tokens(r, "reasoning_tokens", "the reasoning tokens per request", 0),
        r.day(),
        r.flag("batch", "whether the requests go through the batch API"),
    )


def _answer_conversation(k: Knowledge, r: Request) -> dict[str, Any]:
    return costs.conversation(
        k,
        r.text("set", "the price set", None),
        r.text("model", "the model"),
        r.count("turns", "the number of turns", 1, MAX_TURNS),
        _tokens(r, "system", "the system prompt tokens"),
        _tokens(r, "user", "the tokens per user message"),
        _tokens(r, "reply", "the tokens per reply"),
        r.share("cached_share", "the share of cached input, in percent"),
        _tokens(r, "reasoning_tokens", "the reasoning tokens per reply", 0),
        r.day(),
    )


def _answer_latency(k: Knowledge, r: Request) -> dict[str, Any]:
    return ai_advice.latency(
        k,
        r.number("seconds", "the expected seconds", 0, 86_400),
        r.flag("streamable", "whether the output can be streamed", True),
    )


def _answer_context(k: Knowledge, r: Request) -> dict[str, Any]:
    return ai_advice.context(
        k,
        r.count("turns", "the number of turns", 1, 1_000_000),
        r.count("tokens_per_turn", "the tokens per turn", 1, MAX_TOKENS),
        r.count("window", "the context window", 1, 100_000_000),
        r.flag("needs_early_context", "whether early messages matter"),
    )


def _answer_screen(k: Knowledge, r: Request) -> dict[str, Any]:
    return screener.screen(k, r.text("text", "the message", max_chars=SCREEN_MAX_CHARS))


def _answer_models(k: Knowledge, r: Request) -> dict[str, Any]:
    prices = costs.price_set(k, r.text("set", "the price set", None), r.day())
    return {
        "day": prices.day,
        "checked": prices.checked,
        "set": prices.id,
        "name": prices.name,
        "unit": prices.unit,
        "effective": prices.effective,
        "source": prices.source,
        "note": prices.note,
        "models": [costs.model_view(prices, m) for m in prices.models.values()],
        "sets": [{"id": s.id, "name": s.name, "effective": s.effective} for s in k.price_sets.values()],
    }


def _answer_restore(k: Knowledge, r: Request) -> dict[str, Any]:
    """Turn a shared link's saved state into a request, reading only the widget's allowlisted fields."""
    name = r.text("widget", "the widget")
    if name not in k.widgets:
        raise RequestError("unknown-widget", f"There is no widget '{name}'.")
    spec = k.widgets[name]
    if spec.op not in OPERATIONS:
        raise RequestError("unknown-widget", f"The widget '{name}' names an operation this engine doesn't have.")
    base = r.table("request", "the widget's request", max_items=20)
    saved = r.text("state", "the saved state", max_chars=MAX_STATE_CHARS)
    try:
        text = base64.urlsafe_b64decode(saved + "=" * (-len(saved) % 4)).decode("utf-8")
        # No widget state nests more than a few levels. Deeper ones ("[[[...]]]") are refused
        # before parsing: CPython 3.11's parser would hit its recursion limit where Pyodide's
        # doesn't, and every runtime must give the same answer.
        depth, quoted, escaped = 0, False, False
        for ch in text:
            if quoted:
                escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
            elif ch == '"':
                quoted = True
            elif ch in "[{":
                depth += 1
                if depth > 8:
                    raise ValueError("nested too deeply")
            elif ch in "]}":
                depth -= 1
        state = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RequestError("bad-state", "The link's saved answers couldn't be read.") from None
    if not isinstance(state, dict) or not set(state) <= set(spec.state):
        raise RequestError("bad-state", "The link's saved answers don't fit this widget.")
    request = {**base, **state, "v": VERSION, "op": spec.op}
    try:
        OPERATIONS[spec.op].answer(k, Request(request))
    except RequestError as exc:
        raise RequestError("bad-state", f"The link's saved answers don't work here: {exc.message}") from None
    return {"widget": name, "request": request}


@dataclass(frozen=True)
class Operation:
    """What the door does for one `op`: answer it, and (when asked) render it as HTML and as a record."""

    answer: Callable[[Knowledge, Request], dict[str, Any]]
    html: Callable[[dict[str, Any]], str] | None = None
    record: Callable[[dict[str, Any]], str] | None = None


OPERATIONS: dict[str, Operation] = {
    "topics": Operation(_answer_topics, topics_list),
    "flow": Operation(_answer_flow, flow_widget, records.flow_record),
    "stage": Operation(_answer_stage, stage_widget, records.stage_record),
    "plan": Operation(_answer_plan, plan_widget, records.plan_record),
    "cost": Operation(_answer_cost, cost_widget, records.cost_record),
    "compare": Operation(_answer_compare, compare_table),
    "conversation": Operation(_answer_conversation, conversation_widget, records.conversation_record),
    "latency": Operation(_answer_latency, latency_advice),
    "context": Operation(_answer_context, context_advice),
    "screen": Operation(_answer_screen, screen_widget, records.screen_record),
    "models": Operation(_answer_models, models_table),
    "table": Operation(table_registry.fill, table_registry.html),
    "scan": Operation(scan_request.answer, scan_widget),
    "restore": Operation(_answer_restore),
}


def _error(code: str, message: str, field: str | None = None, say: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        # A form shows `say` beside the field whose key is `field`.
        error.update(field=field, say=say or message)
    return {"ok": False, "v": VERSION, "error": error}


def handle(request: Any, k: Knowledge | None = None) -> dict[str, Any]:
    """Answer one request. Never raises: every failure becomes a friendly error response."""
    try:
        if not isinstance(request, dict):
            return _error("bad-request", "A request should be an object with a version ('v') and an operation ('op').")
        if request.get("v") != VERSION or isinstance(request.get("v"), bool):
            return _error("bad-version", f'This engine speaks request version {VERSION}; send "v": {VERSION}.')
        op = request.get("op")
        if not isinstance(op, str) or op not in OPERATIONS:
            return _error("unknown-op", f"Unknown operation. Choose one of: {', '.join(OPERATIONS)}.")
        k = k or knowledge()
        r = Request(request)
        operation = OPERATIONS[op]
        want_html = r.render_options() is not None
        result = operation.answer(k, r)
        response: dict[str, Any] = {"ok": True, "v": VERSION, "op": op, "result": result}
        if want_html:
            response["html"] = operation.html(result) if operation.html else ""
            response["record"] = operation.record(result) if operation.record else ""
            response["request"] = r.canonical
        return response
    except RequestError as exc:
        return _error(exc.code, exc.message, exc.field, exc.say)
    except DataError:
        return _error("data", "The guide's knowledge could not be loaded. Please try again later.")
    except Exception:
        return _error("internal", "Something went wrong on our side while answering. Please try again.")
