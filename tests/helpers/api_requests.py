"""Requests to `decision.api.handle` for tests and fuzzing: one good request per operation, strategies
that bend them, and what every answer must look like (the engine's tests and the hostile-input gate share them)."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import strategies as st

from decision import api
from decision.loading import knowledge

K = knowledge()
SEED = "seed-2024"


def a_model() -> str:
    return next(iter(K.price_sets[SEED].models))


# One request per operation that must succeed.
GOOD: dict[str, dict[str, Any]] = {
    "topics": {},
    "flow": {"topic": next(iter(K.flows))},
    "stage": {"users": 50},
    "plan": {"signals": {}},
    "cost": {"set": SEED, "model": a_model(), "input_tokens": 500, "output_tokens": 500, "requests": 10},
    "compare": {"set": SEED, "input_tokens": 500, "output_tokens": 500, "requests": 10},
    "conversation": {"set": SEED, "model": a_model(), "turns": 5, "system": 100, "user": 50, "reply": 100},
    "latency": {"seconds": 5},
    "context": {"turns": 10, "tokens_per_turn": 100, "window": 4000},
    "screen": {"text": "Hello there."},
    "models": {"set": SEED},
    "table": {"name": "stages"},
}


def good(op: str, **fields: Any) -> dict[str, Any]:
    return {"v": 1, "op": op, **GOOD[op], **fields}


def assert_error(response: dict[str, Any], code: str | None = None) -> str:
    """A well-formed error response; returns its message."""
    assert response["ok"] is False, response
    assert response["v"] == 1
    error = response["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"].strip()
    assert error["message"][-1] in ".?!", error["message"]
    assert "Traceback" not in error["message"] and 'File "' not in error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error["message"]


# --- strategies ------------------------------------------------------------------------

json_leaf = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=40)
)
json_like = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=15), inner, max_size=5),
    max_leaves=25,
)

FIELDS = sorted(
    {f for fields in GOOD.values() for f in fields}
    | {
        "answers",
        "depends",
        "render",
        "tree",
        "models",
        "baseline",
        "requests_per_day",
        "cached_share",
        "streamable",
        "needs_early_context",
        "stage",
        "widget",
        "request",
        "state",
        "checked",
        "signals",
    }
)
NAMES = sorted(
    set(K.flows)
    | {m for s in K.price_sets.values() for m in s.models}
    | set(K.price_sets)
    | {s.id for s in K.stages}
    | set(K.signals)
    | set(K.widgets)
    | {"yes", "no", "checklist", "prices"}
)
field_value = st.one_of(
    json_like,
    st.sampled_from(NAMES),
    st.integers(min_value=-3, max_value=10**13),
    st.floats(min_value=0, max_value=1),
    st.sampled_from([0, 1, 1.0, -0.0, 10**7, 10**12, 2**63, 1e308, math.nan, math.inf]),
    st.lists(st.sampled_from(NAMES), max_size=4),
    st.dictionaries(
        st.sampled_from(NAMES + [q for f in K.flows.values() for q in f.questions]),
        st.one_of(st.sampled_from(["yes", "no"]), json_leaf),
        max_size=6,
    ),
)
op_shaped = st.builds(
    lambda op, fields, render: {**fields, "v": 1, "op": op, "render": render},
    st.sampled_from(sorted(api.OPERATIONS)),
    st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=8),
    st.booleans(),
)
near_good = st.builds(
    lambda op, changes, render: {**GOOD[op], **changes, "v": 1, "op": op, "render": render},
    st.sampled_from(sorted(GOOD)),
    st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=2),
    st.booleans(),
)


def check_response(response: Any) -> None:
    assert isinstance(response, dict)
    json.dumps(response, allow_nan=False)  # the worker posts it as JSON
    assert response["v"] == 1
    if response["ok"]:
        assert isinstance(response["result"], dict)
    else:
        assert_error(response)
        assert response["error"]["code"] != "internal", "a request reached the catch-all"
