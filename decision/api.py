"""The one door: `handle(request) -> response`, JSON in and JSON out, never an exception.

The browser's worker and the `whatmatters` command both call only this. A request is a
dict with `"v": 1` and an `"op"`; the response is `{"ok": true, "v": 1, "op": ..., "result": ...}`
(plus `"html"` when the request asks for `"render": true`) or `{"ok": false, "v": 1,
"error": {"code": ..., "message": ...}}` with a sentence meant for a reader.
"""

from __future__ import annotations

import base64
import json
import math
from decimal import Decimal
from typing import Any, Callable, Mapping

from . import advisors, costs, flows, plan, render, stages
from .errors import RequestError
from .knowledge import DataError, Knowledge, knowledge

VERSION = 1

# Sanity limits on input: far above any real workload, low enough to keep answers instant.
MAX_TOKENS = 10_000_000
MAX_REQUESTS = 1_000_000_000_000
MAX_TURNS = 500
MAX_ID_CHARS = 200
MAX_ANSWERS = 50
MAX_STATE_CHARS = 4_000


class Request:
    """Typed, friendly access to the fields of one request."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def _missing(self, key: str, what: str) -> RequestError:
        return RequestError("missing-field", f"Please give {what} ('{key}').")

    def text(self, key: str, what: str, default: Any = ..., max_chars: int = MAX_ID_CHARS) -> Any:
        value = self.raw.get(key)
        if value is None:
            if default is ...:
                raise self._missing(key, what)
            return default
        if not isinstance(value, str):
            raise RequestError("wrong-type", f"{_first_up(what)} ('{key}') should be text.")
        if len(value) > max_chars:
            raise RequestError("too-long", f"{_first_up(what)} ('{key}') is too long: keep it under {max_chars:,} characters.")
        return value

    def number(self, key: str, what: str, low: float, high: float, default: Any = ...,
               whole: bool = False) -> Any:
        value = self.raw.get(key)
        if value is None:
            if default is ...:
                raise self._missing(key, what)
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RequestError("wrong-type", f"{_first_up(what)} ('{key}') should be a number.")
        if isinstance(value, float) and not math.isfinite(value):
            raise RequestError("out-of-range", f"{_first_up(what)} ('{key}') should be a finite number.")
        if whole:
            if isinstance(value, float):
                if not value.is_integer():
                    raise RequestError("wrong-type", f"{_first_up(what)} ('{key}') should be a whole number.")
                value = int(value)
        if not low <= value <= high:
            raise RequestError("out-of-range",
                               f"{_first_up(what)} ('{key}') should be between {_plain(low)} and {_plain(high)}.")
        return value

    def count(self, key: str, what: str, low: int, high: int, default: Any = ...) -> Any:
        return self.number(key, what, low, high, default, whole=True)

    def flag(self, key: str, what: str, default: bool = False) -> bool:
        value = self.raw.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise RequestError("wrong-type", f"{_first_up(what)} ('{key}') should be true or false.")
        return value

    def share(self, key: str, what: str) -> Decimal:
        value = self.number(key, what, 0, 1, 0)
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def table(self, key: str, what: str, max_items: int = MAX_ANSWERS) -> dict[str, Any]:
        value = self.raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise RequestError("wrong-type", f"{_first_up(what)} ('{key}') should be an object of names and values.")
        if len(value) > max_items:
            raise RequestError("too-long", f"{_first_up(what)} ('{key}') has too many entries.")
        return value


def _first_up(what: str) -> str:
    return what[:1].upper() + what[1:]


def _plain(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


# --- the operations ------------------------------------------------------------------

def _topics(k: Knowledge, r: Request) -> dict[str, Any]:
    return {"topics": [{"id": f.topic, "title": f.title} for f in k.flows.values()]}


def _flow(k: Knowledge, r: Request) -> dict[str, Any]:
    topic = r.text("topic", "the topic")
    answers = r.table("answers", "the answers")
    for qid, value in answers.items():
        if not isinstance(qid, str) or not isinstance(value, str) or len(value) > MAX_ID_CHARS or len(qid) > MAX_ID_CHARS:
            raise RequestError("wrong-type", "Each answer should be a short text such as 'yes' or 'no'.")
    result = flows.walk(k, topic, answers)
    if r.flag("tree", "whether to include every path"):
        result["tree"] = True
    return result


def _stage(k: Knowledge, r: Request) -> dict[str, Any]:
    users = r.count("users", "the number of users", 0, 10_000_000_000)
    depends = r.flag("depends", "whether people depend on it")
    stage = stages.find(k, users, depends)
    checked = r.raw.get("checked", [])
    if not isinstance(checked, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(stage.checklist) for i in checked):
        raise RequestError("wrong-type", f"The ticked items ('checked') should be positions in the {stage.name} "
                           f"checklist, from 0 to {len(stage.checklist) - 1}.")
    return {"users": users, "depends": depends, "stage": stages.view(stage), "checked": sorted(set(checked)),
            "stages": [{"id": s.id, "name": s.name} for s in k.stages]}


def _signals(k: Knowledge, r: Request) -> dict[str, Any]:
    raw = r.table("signals", "the signals", max_items=len(k.signals))
    out: dict[str, Any] = {}
    inner = Request(raw)
    for key in raw:
        if key not in k.signals:
            raise RequestError("unknown-signal", f"'{str(key)[:40]}' is not a signal the plan knows. "
                               f"Known signals: {', '.join(k.signals)}.")
    for s in k.signals.values():
        what = s.label[:1].lower() + s.label[1:]
        if s.kind == "flag":
            value = raw.get(s.id)
            out[s.id] = None if value is None else inner.flag(s.id, what)
        else:
            out[s.id] = inner.number(s.id, what, s.min if s.min is not None else 0,
                                     s.max if s.max is not None else 1e12, None, whole=s.kind == "count")
    return out


def _plan(k: Knowledge, r: Request) -> dict[str, Any]:
    return plan.make(k, _signals(k, r))


def _tokens(r: Request, key: str, what: str, default: Any = ...) -> int:
    return r.count(key, what, 0, MAX_TOKENS, default)


def _cost(k: Knowledge, r: Request) -> dict[str, Any]:
    set_id, model = r.text("set", "the price set", None), r.text("model", "the model")
    input_tokens = _tokens(r, "input_tokens", "the input tokens per request")
    output_tokens = _tokens(r, "output_tokens", "the output tokens per request")
    cached_share = r.share("cached_share", "the share of cached input")
    result = costs.cost(k, set_id, model, input_tokens, output_tokens,
                        r.count("requests", "the number of requests", 0, MAX_REQUESTS, 1),
                        r.count("requests_per_day", "the requests per day", 0, MAX_REQUESTS, None), cached_share)
    turns = r.count("turns", "the number of conversation turns", 1, MAX_TURNS, None)
    if turns is not None:
        # The same requests as turns of one chat: each resends everything said before it.
        result["conversation"] = costs.conversation(k, set_id, model, turns, 0, input_tokens, output_tokens,
                                                    cached_share)
    return result


def _compare(k: Knowledge, r: Request) -> dict[str, Any]:
    models = r.raw.get("models")
    if models is not None:
        if not isinstance(models, list) or not models or len(models) > 100 or \
                not all(isinstance(m, str) and len(m) <= MAX_ID_CHARS for m in models):
            raise RequestError("wrong-type", "The models ('models') should be a list of model ids.")
    return costs.compare(k, r.text("set", "the price set", None), models,
                         _tokens(r, "input_tokens", "the input tokens per request"),
                         _tokens(r, "output_tokens", "the output tokens per request"),
                         r.count("requests", "the number of requests", 0, MAX_REQUESTS, 1),
                         r.share("cached_share", "the share of cached input"),
                         r.text("baseline", "the baseline model", None))


def _conversation(k: Knowledge, r: Request) -> dict[str, Any]:
    return costs.conversation(k, r.text("set", "the price set", None), r.text("model", "the model"),
                              r.count("turns", "the number of turns", 1, MAX_TURNS),
                              _tokens(r, "system", "the system prompt tokens"),
                              _tokens(r, "user", "the tokens per user message"),
                              _tokens(r, "reply", "the tokens per reply"),
                              r.share("cached_share", "the share of cached input"))


def _latency(k: Knowledge, r: Request) -> dict[str, Any]:
    return advisors.latency(k, r.number("seconds", "the expected seconds", 0, 86_400),
                            r.flag("streamable", "whether the output can be streamed", True))


def _context(k: Knowledge, r: Request) -> dict[str, Any]:
    return advisors.context(k, r.count("turns", "the number of turns", 1, 1_000_000),
                            r.count("tokens_per_turn", "the tokens per turn", 1, MAX_TOKENS),
                            r.count("window", "the context window", 1, 100_000_000),
                            r.flag("needs_early_context", "whether early messages matter"))


def _screen(k: Knowledge, r: Request) -> dict[str, Any]:
    return advisors.screen(k, r.text("text", "the message", max_chars=advisors.SCREEN_MAX_CHARS))


def _models(k: Knowledge, r: Request) -> dict[str, Any]:
    prices = costs.price_set(k, r.text("set", "the price set", None))
    return {"set": prices.id, "name": prices.name, "unit": prices.unit, "effective": prices.effective,
            "source": prices.source, "note": prices.note,
            "models": [costs.model_view(prices, m) for m in prices.models.values()],
            "sets": [{"id": s.id, "name": s.name, "effective": s.effective} for s in k.price_sets.values()]}


def _table(k: Knowledge, r: Request) -> dict[str, Any]:
    name = r.text("name", "the table name")
    if name not in render.TABLES:
        raise RequestError("unknown-table", f"There is no table '{name}'. Tables: {', '.join(render.TABLES)}.")
    result: dict[str, Any] = {"name": name}
    if name == "checklist":
        stage_id = r.text("stage", "the stage")
        if stages.by_id(k, stage_id) is None:
            raise RequestError("unknown-stage",
                               f"There is no stage '{stage_id}'. Stages: {', '.join(s.id for s in k.stages)}.")
        result["stage"] = stage_id
    if name == "prices":
        result["set"] = costs.price_set(k, r.text("set", "the price set", None)).id
    return result


def _restore(k: Knowledge, r: Request) -> dict[str, Any]:
    """Turn a shared link's saved state into a request, reading only the widget's allowlisted fields."""
    name = r.text("widget", "the widget")
    if name not in k.widgets:
        raise RequestError("unknown-widget", f"There is no widget '{name}'.")
    spec = k.widgets[name]
    base = r.table("request", "the widget's request", max_items=20)
    saved = r.text("state", "the saved state", max_chars=MAX_STATE_CHARS)
    try:
        state = json.loads(base64.urlsafe_b64decode(saved + "=" * (-len(saved) % 4)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise RequestError("bad-state", "The link's saved answers couldn't be read.") from None
    if not isinstance(state, dict) or not set(state) <= set(spec.state):
        raise RequestError("bad-state", "The link's saved answers don't fit this widget.")
    request = {**base, **state, "v": VERSION, "op": spec.op}
    request.pop("tree", None)
    request.pop("render", None)
    try:
        OPS[spec.op](k, Request(request))
    except RequestError as exc:
        raise RequestError("bad-state", f"The link's saved answers don't work here: {exc.message}") from None
    return {"widget": name, "request": request}


OPS: dict[str, Callable[[Knowledge, Request], dict[str, Any]]] = {
    "topics": _topics,
    "flow": _flow,
    "stage": _stage,
    "plan": _plan,
    "cost": _cost,
    "compare": _compare,
    "conversation": _conversation,
    "latency": _latency,
    "context": _context,
    "screen": _screen,
    "models": _models,
    "table": _table,
    "restore": _restore,
}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "v": VERSION, "error": {"code": code, "message": message}}


def handle(request: Any, k: Knowledge | None = None) -> dict[str, Any]:
    """Answer one request. Never raises: every failure becomes a friendly error response."""
    try:
        if not isinstance(request, dict):
            return _error("bad-request", "A request should be an object with a version ('v') and an operation ('op').")
        if request.get("v") != VERSION or isinstance(request.get("v"), bool):
            return _error("bad-version", f"This engine speaks request version {VERSION}; send \"v\": {VERSION}.")
        op = request.get("op")
        if not isinstance(op, str) or op not in OPS:
            return _error("unknown-op", f"Unknown operation. Choose one of: {', '.join(OPS)}.")
        k = k or knowledge()
        r = Request(request)
        want_html = r.flag("render", "whether to render HTML")
        result = OPS[op](k, r)
        response = {"ok": True, "v": VERSION, "op": op, "result": result}
        if want_html:
            response["html"] = render.render(op, result, k)
            response["record"] = render.record(op, result, k)
        return response
    except RequestError as exc:
        return _error(exc.code, exc.message)
    except DataError:
        return _error("data", "The guide's knowledge could not be loaded. Please try again later.")
    except Exception:  # noqa: BLE001 - the door must never let an exception through
        return _error("internal", "Something went wrong on our side while answering. Please try again.")
