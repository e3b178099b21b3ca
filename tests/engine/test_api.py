"""The one door: `api.handle` answers every request as JSON and never raises.

Good requests get `{"ok": true, ...}`; bad ones get a code and a sentence for a reader.
The hypothesis properties run a few hundred examples here; set WHATMATTERS_FUZZ_EXAMPLES
(e.g. 10000) for a longer run.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from decision import api
from decision.loading import knowledge
from helpers.api_requests import GOOD, SEED, assert_error, check_response, good, json_like, near_good, op_shaped
from helpers.fuzz import examples

K = knowledge()
FUZZ = settings(
    max_examples=examples(int(os.environ.get("WHATMATTERS_FUZZ_EXAMPLES", "400"))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class TestEnvelope:
    def test_every_op_has_a_good_request(self) -> None:
        """The table of good requests covers every operation, so nothing below skips one silently."""
        assert set(GOOD) <= set(api.OPERATIONS)
        # Ops added later (e.g. for shared links) are exercised by the fuzzing below.

    @pytest.mark.parametrize("op", sorted(GOOD))
    def test_good_request(self, op: str) -> None:
        """A good request gets ok, the version, its op and a JSON-safe result, and no HTML unless asked."""
        response = api.handle(good(op))
        assert response["ok"] is True, response
        assert response["v"] == 1 and response["op"] == op
        assert isinstance(response["result"], dict)
        assert "html" not in response
        json.dumps(response, allow_nan=False)

    @pytest.mark.parametrize("op", sorted(GOOD))
    def test_render_gives_html(self, op: str) -> None:
        """`render: true` adds non-empty HTML to the same result."""
        plain = api.handle(good(op))
        response = api.handle(good(op, render=True))
        assert response["ok"] is True
        assert isinstance(response["html"], str) and response["html"].strip().startswith("<")
        assert response["result"] == plain["result"]

    def test_request_is_not_changed(self) -> None:
        """Handling a request leaves the caller's dict as it was."""
        request = good("plan", signals={"paid_api": True})
        before = json.dumps(request, sort_keys=True)
        api.handle(request)
        assert json.dumps(request, sort_keys=True) == before


class TestBadRequests:
    @pytest.mark.parametrize("request_", [None, [], ["v", 1], "topics", 1, 1.5, True, b"{}"])
    def test_not_a_dict(self, request_: Any) -> None:
        """Anything but an object is a bad request."""
        assert_error(api.handle(request_), "bad-request")

    def test_missing_v(self) -> None:
        """A request without a version is refused and told which version to send."""
        message = assert_error(api.handle({"op": "topics"}), "bad-version")
        assert '"v": 1' in message

    @pytest.mark.parametrize("v", [0, 2, -1, "1", 1.5, None, True, [1], {"v": 1}])
    def test_wrong_v(self, v: Any) -> None:
        """Any version but the number 1 is refused (true is not 1 here)."""
        assert_error(api.handle({"v": v, "op": "topics"}), "bad-version")

    @pytest.mark.parametrize("op", ["nope", "", "TOPICS", None, 3, ["topics"], "__init__"])
    def test_unknown_op(self, op: Any) -> None:
        """An unknown operation is refused with the list of operations."""
        message = assert_error(api.handle({"v": 1, "op": op}), "unknown-op")
        assert all(name in message for name in GOOD)

    def test_missing_op(self) -> None:
        """A request without an op is refused."""
        assert_error(api.handle({"v": 1}), "unknown-op")

    @pytest.mark.parametrize(
        ("op", "field"),
        [
            ("flow", "topic"),
            ("stage", "users"),
            ("cost", "model"),
            ("cost", "input_tokens"),
            ("cost", "output_tokens"),
            ("compare", "input_tokens"),
            ("conversation", "turns"),
            ("conversation", "reply"),
            ("latency", "seconds"),
            ("context", "window"),
            ("screen", "text"),
            ("table", "name"),
        ],
    )
    def test_missing_field(self, op: str, field: str) -> None:
        """A missing required field is refused, naming the field."""
        request = good(op)
        del request[field]
        message = assert_error(api.handle(request), "missing-field")
        assert f"'{field}'" in message

    @pytest.mark.parametrize(
        ("op", "field", "value"),
        [
            ("stage", "users", True),
            ("stage", "users", False),
            ("cost", "input_tokens", True),
            ("cost", "requests", True),
            ("latency", "seconds", True),
            ("context", "turns", True),
            ("stage", "users", "50"),
            ("cost", "input_tokens", [500]),
            ("latency", "seconds", {"s": 1}),
            ("stage", "depends", "yes"),
            ("latency", "streamable", 1),
            ("cost", "model", 4),
            ("screen", "text", ["hi"]),
            ("plan", "signals", ["paid_api"]),
            ("compare", "models", "gpt-4"),
            ("compare", "models", []),
            ("compare", "models", [1, 2]),
            ("cost", "input_tokens", 1.5),
        ],
    )
    def test_wrong_type(self, op: str, field: str, value: Any) -> None:
        """A value of the wrong type (a bool where a number belongs, text for a number...) is refused."""
        message = assert_error(api.handle(good(op, **{field: value})), "wrong-type")
        assert f"'{field}'" in message

    def test_bool_signal_where_a_number_belongs(self) -> None:
        """A plan signal that counts things refuses true."""
        counted = next(s for s in K.signals.values() if s.kind == "count")
        message = assert_error(api.handle(good("plan", signals={counted.id: True})), "wrong-type")
        assert f"'{counted.id}'" in message

    @pytest.mark.parametrize(
        ("op", "field"),
        [
            ("stage", "users"),
            ("cost", "input_tokens"),
            ("cost", "output_tokens"),
            ("cost", "requests"),
            ("cost", "requests_per_day"),
            ("cost", "cached_share"),
            ("conversation", "turns"),
            ("conversation", "system"),
            ("latency", "seconds"),
            ("context", "tokens_per_turn"),
        ],
    )
    def test_negative(self, op: str, field: str) -> None:
        """A negative count, amount or share is out of range, and the message gives the range."""
        message = assert_error(api.handle(good(op, **{field: -1})), "out-of-range")
        assert f"'{field}'" in message and "between" in message

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
    @pytest.mark.parametrize(
        ("op", "field"),
        [("latency", "seconds"), ("cost", "input_tokens"), ("cost", "cached_share"), ("stage", "users")],
    )
    def test_nan_and_infinity(self, op: str, field: str, value: float) -> None:
        """NaN and infinities are refused as not finite."""
        message = assert_error(api.handle(good(op, **{field: value})), "out-of-range")
        assert "finite" in message

    def test_nan_signal(self) -> None:
        """A NaN signal in a plan is refused."""
        number = next(s for s in K.signals.values() if s.kind == "number")
        assert_error(api.handle(good("plan", signals={number.id: math.nan})), "out-of-range")

    @pytest.mark.parametrize(
        ("op", "field", "value"),
        [
            ("cost", "input_tokens", 10**30),
            ("cost", "requests", 10**100),
            ("cost", "output_tokens", 1e300),
            ("stage", "users", 10**400),
            ("conversation", "turns", 10**9),
            ("context", "window", 10**20),
            ("latency", "seconds", 1e12),
            ("cost", "cached_share", 101),
        ],
    )
    def test_absurd_numbers(self, op: str, field: str, value: Any) -> None:
        """Numbers far beyond any real workload are refused quickly, not computed."""
        assert_error(api.handle(good(op, **{field: value})), "out-of-range")

    @pytest.mark.parametrize("op", ["cost", "conversation"])
    def test_unknown_model_suggests_close_ones(self, op: str) -> None:
        """An unknown model is named, and close model ids are suggested ('gpt-4o-mini' suggests GPT-4 models)."""
        message = assert_error(api.handle(good(op, model="gpt-4o-mini")), "unknown-model")
        assert "'gpt-4o-mini'" in message and "Did you mean" in message
        suggested = message.split("Did you mean", 1)[1]
        assert any(m in suggested for m in K.price_sets[SEED].models if m.startswith("gpt-4"))

    @pytest.mark.parametrize("model", ["gpt-4o-mini", "gpt-4o", "", "claude", "llama-3", "x" * 200])
    def test_unknown_model_never_costs_nothing(self, model: str) -> None:
        """An unknown model is an error in every cost op; it is never priced at $0."""
        for op in ("cost", "conversation"):
            response = api.handle(good(op, model=model))
            assert_error(response, "unknown-model")
            assert "result" not in response
        assert_error(api.handle(good("compare", models=[model])), "unknown-model")
        if model:  # an empty baseline means "none given": the priciest model is the baseline
            assert_error(api.handle(good("compare", baseline=model)), "unknown-model")

    def test_unknown_price_set(self) -> None:
        """An unknown price set lists the sets there are."""
        message = assert_error(api.handle(good("models", set="prices-1999")), "unknown-price-set")
        assert all(s in message for s in K.price_sets)

    @pytest.mark.parametrize(
        ("op", "field"), [("flow", "topic"), ("cost", "model"), ("cost", "set"), ("table", "name")]
    )
    def test_huge_strings(self, op: str, field: str) -> None:
        """A megabyte of text in an id field is refused as too long, without echoing it back."""
        message = assert_error(api.handle(good(op, **{field: "x" * 1_000_000})), "too-long")
        assert len(message) < 300

    def test_huge_answer(self) -> None:
        """A huge answer or question id in a flow is refused."""
        flow = next(iter(K.flows.values()))
        assert_error(api.handle(good("flow", answers={flow.start: "y" * 100_000})), "wrong-type")
        assert_error(api.handle(good("flow", answers={"q" * 100_000: "yes"})), "wrong-type")

    def test_too_many_answers(self) -> None:
        """An answers object with thousands of entries is refused."""
        answers = {f"q{i}": "yes" for i in range(5000)}
        assert_error(api.handle(good("flow", answers=answers)), "too-long")

    def test_unknown_table_and_stage(self) -> None:
        """Unknown table names and checklist stages list what exists."""
        assert_error(api.handle(good("table", name="nope")), "unknown-table")
        message = assert_error(api.handle(good("table", name="checklist", stage="nope")), "unknown-stage")
        assert all(s.id in message for s in K.stages)

    def test_unknown_signal(self) -> None:
        """A plan signal the guide doesn't know is refused, listing the known ones."""
        message = assert_error(api.handle(good("plan", signals={"moon_phase": 3})), "unknown-signal")
        assert all(s in message for s in K.signals)


# --- properties ------------------------------------------------------------------------


class TestProperties:
    @FUZZ
    @given(json_like)
    def test_never_raises_on_any_json(self, request_: Any) -> None:
        """Arbitrary JSON-like input never raises; errors carry a code and a sentence."""
        check_response(api.handle(request_))

    @FUZZ
    @given(op_shaped)
    def test_never_raises_on_op_shaped_requests(self, request_: dict[str, Any]) -> None:
        """A valid version and op with random fields never raises and never hits the catch-all."""
        check_response(api.handle(request_))

    @FUZZ
    @given(near_good)
    def test_never_raises_near_good_requests(self, request_: dict[str, Any]) -> None:
        """A good request with a field or two changed at random is answered or refused politely."""
        check_response(api.handle(request_))
