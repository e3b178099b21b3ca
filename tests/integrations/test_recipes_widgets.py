"""CONTRIBUTING.md's recipe 4, a new widget kind, followed for real: with an op the engine has and with its own."""

from __future__ import annotations

import base64
import json
import pathlib
import sys
from decimal import Decimal
from typing import Any

import pytest

from decision import api, load
from decision.integrations.markdown import FenceError
from decision.knowledge import Knowledge
from decision.loading import knowledge
from helpers.recipes import (
    FLOW,
    MAKE_TARGETS,
    PRICES,
    TABLE,
    append,
    checks,
    fence,
    ok,
    page,
    run_checks,
    shown,
    widget_request,
)

# --- 4. A new widget kind --------------------------------------------------------------------

WIDGET = "A new widget"
LATENCY_WIDGET = shown(WIDGET, "decision/data/widgets.toml")


def saved(state: dict[str, Any]) -> str:
    """A widget state as a shared link carries it (#wm=...): base64url JSON without padding."""
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


class TestRecipeChecks:
    def test_every_check_is_one_the_suite_runs(self) -> None:
        """Each recipe's shell commands are `whatmatters` commands run above, or `make build` / `make test`."""
        for heading in (FLOW, TABLE, PRICES, WIDGET):
            for command in checks(heading):
                assert command in MAKE_TARGETS or command.startswith("whatmatters "), (heading, command)

    def test_the_check_runner_fails_a_failing_command(
        self, data: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A check that exits non-zero (a topic the data doesn't have) fails the recipe test."""
        monkeypatch.setattr(sys.modules[__name__], "checks", lambda heading: ["whatmatters ask search"])
        with pytest.raises(AssertionError, match="ask search"):
            run_checks(FLOW, data, monkeypatch)
        assert "search" not in knowledge().flows


class TestNewWidgetKind:
    @pytest.fixture
    def copy(self, data: pathlib.Path) -> pathlib.Path:
        append(data / "widgets.toml", LATENCY_WIDGET)
        return data

    def test_the_fence_renders_its_first_state(self, copy: pathlib.Path) -> None:
        k = load(copy)
        out = page(fence("widget: latency") + "\n" + fence("widget: latency", "seconds: 45"), copy)
        first = {"v": 1, "op": "latency", "seconds": 12, "streamable": True}
        assert widget_request(out, "latency") == first
        assert 'id="wm-latency"' in out and 'id="wm-latency-2"' in out
        assert 'data-wm-state-keys="seconds"' in out
        expected = ok({**first, "render": True}, k)["html"]
        assert '<p class="wm-title">Streaming</p>' in expected
        assert f'<div class="wm-body">{expected}</div>' in out
        later = ok({**first, "seconds": 45, "render": True}, k)["html"]
        assert later != expected and f'<div class="wm-body">{later}</div>' in out

    def test_restore_reads_only_its_allowlisted_state(self, copy: pathlib.Path) -> None:
        k = load(copy)
        base = {"v": 1, "op": "latency", "seconds": 12, "streamable": True}
        restored = ok({"op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": 45})}, k)
        request = restored["result"]["request"]
        assert request == {**base, "seconds": 45}
        assert ok(request, k)["result"]["strategy"]["id"] == "async"
        for state in ({"streamable": False}, {"seconds": 5, "op": "screen"}):
            refused = api.handle(
                {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved(state)}, k
            )
            assert refused["error"]["code"] == "bad-state", state
        out_of_range = api.handle(
            {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": -1})}, k
        )
        assert out_of_range["error"]["code"] == "bad-state"
        # Without the widgets.toml entry there is no such widget.
        assert (
            api.handle(
                {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": 45})}
            )["error"]["code"]
            == "unknown-widget"
        )

    def test_an_unknown_option_fails_the_fence(self, copy: pathlib.Path) -> None:
        with pytest.raises(FenceError, match="unknown option 'model' for widget 'latency'"):
            page(fence("widget: latency", "model: gpt-4o"), copy)
        with pytest.raises(FenceError, match="option 'seconds' of widget 'latency': 'soon' should be a number"):
            page(fence("widget: latency", "seconds: soon"), copy)


# A widget whose op doesn't exist yet: a new answer in the engine, a renderer with a form
# (fields named by data-wm-key, the result in data-wm-swap), one OPERATIONS entry.
BUDGET_WIDGET = """
[widget.budget]
op = "budget"
options = ["model", "set", "monthly_usd", "input_tokens", "output_tokens"]
state = ["model", "monthly_usd"]
defaults = { model = "gpt-3.5-turbo", set = "seed-2024", monthly_usd = 10, input_tokens = 500, output_tokens = 500 }
"""


def _answer_budget(k: Knowledge, r: api.Request) -> dict[str, Any]:
    from decision import costs

    prices = costs.price_set(k, r.text("set", "the price set", None))
    model = costs.model(prices, r.text("model", "the model"))
    monthly = r.number("monthly_usd", "the monthly budget", 0, 1_000_000)
    one = costs.request_cost(
        prices,
        model,
        r.count("input_tokens", "the input tokens", 0, 1_000_000),
        r.count("output_tokens", "the output tokens", 0, 1_000_000),
    )
    requests = int(Decimal(repr(monthly)) / one) if one else None
    return {"set": prices.id, "model": model.id, "name": model.name, "monthly_usd": monthly, "requests": requests}


def _budget_html(result: dict[str, Any]) -> str:
    from decision.formatting import esc

    return (
        f'<form class="wm-form" data-wm-form="budget"><label>Monthly budget <input type="number" '
        f'data-wm-key="monthly_usd" data-wm-type="number" min="0" value="{esc(result["monthly_usd"])}">'
        f'</label></form><p class="wm-result" data-wm-swap="result" role="status">'
        f"{esc(result['requests'])} requests a month on {esc(result['name'])}</p>"
    )


class TestNewWidgetWithItsOwnOp:
    def test_registered_op_renders_answers_and_restores(
        self, data: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append(data / "widgets.toml", BUDGET_WIDGET)
        k = load(data)
        monkeypatch.setitem(api.OPERATIONS, "budget", api.Operation(_answer_budget, _budget_html))
        # $10 at $0.0005 + $0.0015 per 1K tokens, 500 in and 500 out: $0.001 a request, 10,000 requests.
        first = {
            "v": 1,
            "op": "budget",
            "model": "gpt-3.5-turbo",
            "set": "seed-2024",
            "monthly_usd": 10,
            "input_tokens": 500,
            "output_tokens": 500,
        }
        assert ok(first, k)["result"]["requests"] == 10_000
        out = page(fence("widget: budget"), data)
        assert widget_request(out, "budget") == first
        assert "10000 requests a month on GPT-3.5 Turbo" in out
        assert f'<div class="wm-body">{ok({**first, "render": True}, k)["html"]}</div>' in out
        restored = ok({"op": "restore", "widget": "budget", "request": first, "state": saved({"monthly_usd": 25})}, k)
        assert ok(restored["result"]["request"], k)["result"]["requests"] == 25_000
        bad = api.handle(
            {"v": 1, "op": "restore", "widget": "budget", "request": first, "state": saved({"input_tokens": 9})}, k
        )
        assert bad["error"]["code"] == "bad-state"
        monkeypatch.undo()
        with pytest.raises(FenceError, match="Unknown operation"):
            page(fence("widget: budget"), data)
