"""What an LLM feature costs: the seed's table, exact money, and the arithmetic's properties."""

from __future__ import annotations

import dataclasses
import math
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision import api, costs
from decision.loading import knowledge
from helpers.fuzz import examples

K = knowledge()
SEED = "seed-2024"
PRICES = K.price_sets[SEED]
MODELS = sorted(PRICES.models)
ALL_MODELS = [(s.id, m) for s in K.price_sets.values() for m in s.models]
PROPERTY = settings(max_examples=examples(int(os.environ.get("WHATMATTERS_PROPERTY_EXAMPLES", "150"))), deadline=None)

# The seed's "cost of 10K requests" column (500 input + 500 output tokens each), in USD:
# facts quoted from the original guide, not asked of the engine.
SEED_RANGES = {
    "gpt-3.5-turbo": (10, 30),
    "gpt-4": (200, 400),
    "gpt-4-turbo": (200, 400),
    "claude-3-sonnet": (90, 180),
    "claude-3-haiku": (7, 15),
}


def ask(op: str, **fields: Any) -> dict[str, Any]:
    response = api.handle({"v": 1, "op": op, **fields})
    assert response["ok"], response
    return response["result"]


def cost(
    model: str, input_tokens: int, output_tokens: int, requests: int = 1, price_set: str = SEED, **extra: Any
) -> dict[str, Any]:
    return ask(
        "cost",
        set=price_set,
        model=model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        requests=requests,
        **extra,
    )


class TestSeedTable:
    def test_reference_workload_is_the_seeds(self) -> None:
        """The price table's reference column assumes the seed's workload: 10,000 requests of 500 + 500 tokens."""
        ref = K.ai.cost_reference
        assert (ref.requests, ref.input_tokens, ref.output_tokens) == (10_000, 500, 500)

    def test_seed_models_are_all_there(self) -> None:
        """The seed price set has exactly the seed's five models."""
        assert set(PRICES.models) == set(SEED_RANGES)

    @pytest.mark.parametrize("model", ["gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "claude-3-sonnet"])
    def test_low_end_of_the_range(self, model: str) -> None:
        """10,000 requests cost exactly the low end of the range the seed quotes."""
        low, _ = SEED_RANGES[model]
        assert cost(model, 500, 500, 10_000)["total_usd"] == low
        assert costs.request_cost(PRICES, PRICES.models[model], 500, 500) * 10_000 == Decimal(low)

    def test_haiku(self) -> None:
        """Claude 3 Haiku costs $7.50, which the seed writes as the low end of "~$7-15"."""
        total = cost("claude-3-haiku", 500, 500, 10_000)["total_usd"]
        low, high = SEED_RANGES["claude-3-haiku"]
        # The seed rounds $7.50 down to $7 in its range.
        assert math.floor(total) == low
        assert low <= total <= high
        assert costs.request_cost(PRICES, PRICES.models["claude-3-haiku"], 500, 500) * 10_000 == Decimal("7.5")

    def test_compare_orders_the_seed_models(self) -> None:
        """The comparison of the seed workload lists the models cheapest first, with the seed's low ends."""
        result = ask("compare", set=SEED, input_tokens=500, output_tokens=500, requests=10_000)
        totals = [r["total_usd"] for r in result["rows"]]
        assert totals == sorted(totals)
        assert {r["id"]: math.floor(r["total_usd"]) for r in result["rows"]} == {
            m: low for m, (low, _) in SEED_RANGES.items()
        }


class TestCost:
    def test_exact_money(self) -> None:
        """Money is exact: per-request cost times requests is the total, with no float dust."""
        for model in MODELS:
            one = cost(model, 123, 457)["per_request_usd"]
            many = cost(model, 123, 457, 1000)["total_usd"]
            assert Decimal(repr(many)) == Decimal(repr(one)) * 1000

    def test_per_day_and_month(self) -> None:
        """Daily cost is requests per day times one request, and a month is the engine's days per month."""
        result = cost(MODELS[0], 500, 500, 10, requests_per_day=1000)
        one = Decimal(repr(result["per_request_usd"]))
        assert Decimal(repr(result["per_day_usd"])) == one * 1000
        assert Decimal(repr(result["per_month_usd"])) == one * 1000 * result["days_per_month"]

    def test_no_daily_figures_without_a_daily_rate(self) -> None:
        """Without requests per day there is no daily or monthly figure."""
        result = cost(MODELS[0], 500, 500)
        assert result["per_day_usd"] is None and result["per_month_usd"] is None

    def test_model_id_in_any_case(self) -> None:
        """A model id typed in another letter case is the same model at the same price."""
        model = MODELS[0]
        assert cost(model.upper(), 500, 500, 10)["total_usd"] == cost(model, 500, 500, 10)["total_usd"]
        assert cost(model.upper(), 500, 500)["model"]["id"] == model

    def test_zero_tokens_cost_nothing(self) -> None:
        """Zero tokens cost $0 on a known model (the only way to get $0)."""
        assert cost(MODELS[0], 0, 0, 100)["total_usd"] == 0

    def test_cached_share_without_a_cached_price(self) -> None:
        """A model with no cached-input price bills all input at the full rate and says so."""
        model = next((m for m in PRICES.models.values() if m.cached_input is None), None)
        assert model is not None, "the seed set has no cached prices, so one of its models must lack them"
        full = cost(model.id, 1000, 10)
        cached = cost(model.id, 1000, 10, cached_share=50)
        assert cached["total_usd"] == full["total_usd"]
        assert cached["notes"] and model.name in cached["notes"][0]

    def test_cached_share_with_a_cached_price(self) -> None:
        """Where a cached-input price exists, the cached share of the input is billed at it."""
        m = dataclasses.replace(PRICES.models[MODELS[0]], cached_input=PRICES.models[MODELS[0]].input / 10)
        full = costs.request_cost(PRICES, m, 1000, 10)
        half = costs.request_cost(PRICES, m, 1000, 10, Decimal("0.5"))
        rate = Decimal(repr(m.input)) / 1000 if PRICES.unit == "per-1k" else Decimal(repr(m.input)) / 1_000_000
        cached_rate = Decimal(repr(m.cached_input)) / (1000 if PRICES.unit == "per-1k" else 1_000_000)
        assert full - half == 500 * (rate - cached_rate)

    def test_comparison_inside_cost(self) -> None:
        """A cost result compares the same work on every model of its set, with the chosen model as baseline."""
        result = cost(MODELS[0], 500, 500, 10_000)
        comp = result["comparison"]
        assert comp["baseline"] == MODELS[0]
        assert {r["id"] for r in comp["rows"]} == set(MODELS)


class TestCompare:
    def test_rows_and_saving(self) -> None:
        """Rows go cheapest first, the cheapest is 1x, and the saving is baseline minus cheapest."""
        result = ask("compare", set=SEED, input_tokens=800, output_tokens=300, requests=5000, baseline=MODELS[0])
        rows = result["rows"]
        assert [r["total_usd"] for r in rows] == sorted(r["total_usd"] for r in rows)
        assert rows[0]["id"] == result["cheapest"] and rows[0]["times_cheapest"] == 1
        base = next(r for r in rows if r["id"] == MODELS[0])
        assert result["saving_usd"] == pytest.approx(base["total_usd"] - rows[0]["total_usd"])
        assert all(r["times_cheapest"] >= 1 for r in rows)

    def test_chosen_models_only(self) -> None:
        """Naming models compares only those."""
        result = ask("compare", set=SEED, models=MODELS[:2], input_tokens=10, output_tokens=10)
        assert {r["id"] for r in result["rows"]} == set(MODELS[:2])

    def test_nothing_to_compare(self) -> None:
        """Zero requests cost nothing everywhere; no ratio is invented."""
        result = ask("compare", set=SEED, input_tokens=10, output_tokens=10, requests=0)
        assert all(r["total_usd"] == 0 and r["times_cheapest"] is None for r in result["rows"])
        assert result["saving_usd"] == 0 and result["saving_share"] == 0


class TestConversation:
    def test_first_turn_is_one_request(self) -> None:
        """A one-turn conversation costs what one request of system + user tokens costs."""
        result = ask("conversation", set=SEED, model=MODELS[0], turns=1, system=300, user=60, reply=250)
        assert result["input_tokens"] == 360
        assert result["total_usd"] == cost(MODELS[0], 360, 250)["total_usd"]
        assert result["growth"] == 1

    def test_history_makes_it_grow(self) -> None:
        """Resending history makes a long chat cost more than the same turns without it."""
        result = ask("conversation", set=SEED, model=MODELS[0], turns=20, system=300, user=60, reply=250)
        assert result["total_usd"] > result["without_history_usd"]
        assert result["growth"] > 1
        inputs = [t["input_tokens"] for t in result["series"]]
        assert inputs == sorted(inputs) and len(set(inputs)) == 20

    def test_unknown_model(self) -> None:
        """A conversation on an unknown model is an error, never $0."""
        response = api.handle(
            {
                "v": 1,
                "op": "conversation",
                "set": SEED,
                "model": "gpt-4o-mini",
                "turns": 3,
                "system": 1,
                "user": 1,
                "reply": 1,
            }
        )
        assert response["ok"] is False and response["error"]["code"] == "unknown-model"


# --- properties ------------------------------------------------------------------------

tokens = st.integers(min_value=0, max_value=100_000)
models = st.sampled_from(ALL_MODELS)
shares = st.sampled_from([Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal(1)])


class TestProperties:
    @PROPERTY
    @given(
        models,
        tokens,
        tokens,
        st.integers(min_value=0, max_value=10**9),
        st.integers(min_value=0, max_value=1000),
        shares,
    )
    def test_request_cost_is_the_datas_prices(
        self, sm: tuple[str, str], i: int, o: int, n: int, k: int, share: Decimal
    ) -> None:
        """One request costs its tokens times the prices written in the data, at the tier its prompt reaches;
        with caching on, the input not read from the cache is written to it at the cache-write price."""
        s = K.price_sets[sm[0]]
        m = s.models[sm[1]]
        rates: Any = m
        for tier in m.tiers:
            if i > tier.above_input_tokens:
                rates = tier
        per = Decimal(1000 if s.unit == "per-1k" else 1_000_000)
        cached_price = rates.cached_input if rates.cached_input is not None else rates.input
        fresh_price = rates.cache_write if share and rates.cache_write is not None else rates.input
        cached = Decimal(i) * share
        expected = (
            (Decimal(i) - cached) * Decimal(repr(fresh_price))
            + cached * Decimal(repr(cached_price))
            + Decimal(o) * Decimal(repr(rates.output))
        ) / per
        assert costs.request_cost(s, m, i, o, share) == expected

    @PROPERTY
    @given(
        st.sampled_from(MODELS),
        tokens,
        tokens,
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=100),
    )
    def test_linear_in_requests_through_handle(self, model: str, i: int, o: int, n: int, k: int) -> None:
        """Through the door, the cost of k*n requests is exactly k times the cost of n (seed prices are exact)."""
        total_n = cost(model, i, o, n)["total_usd"]
        total_kn = cost(model, i, o, k * n)["total_usd"]
        assert Decimal(repr(total_kn)) == k * Decimal(repr(total_n))

    @PROPERTY
    @given(models, tokens, tokens, st.integers(min_value=0, max_value=100_000), shares)
    def test_monotone_in_input_tokens(self, sm: tuple[str, str], i: int, o: int, more: int, share: Decimal) -> None:
        """More input tokens never cost less."""
        s = K.price_sets[sm[0]]
        m = s.models[sm[1]]
        assert costs.request_cost(s, m, i + more, o, share) >= costs.request_cost(s, m, i, o, share)

    @PROPERTY
    @given(models, tokens, tokens, st.integers(min_value=0, max_value=100_000), shares)
    def test_monotone_in_output_tokens(self, sm: tuple[str, str], i: int, o: int, more: int, share: Decimal) -> None:
        """More output tokens never cost less."""
        s = K.price_sets[sm[0]]
        m = s.models[sm[1]]
        assert costs.request_cost(s, m, i, o + more, share) >= costs.request_cost(s, m, i, o, share)

    @PROPERTY
    @given(
        st.sampled_from(MODELS),
        tokens,
        tokens,
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=1, max_value=1000),
    )
    def test_monotone_through_handle(self, model: str, i: int, o: int, more: int, n: int) -> None:
        """Through the door, total cost doesn't fall as input or output tokens grow."""
        base = cost(model, i, o, n)["total_usd"]
        assert cost(model, i + more, o, n)["total_usd"] >= base
        assert cost(model, i, o + more, n)["total_usd"] >= base

    @PROPERTY
    @given(
        models,
        st.integers(min_value=1, max_value=api.MAX_TURNS),
        st.integers(min_value=0, max_value=5000),
        st.integers(min_value=0, max_value=2000),
        st.integers(min_value=0, max_value=2000),
    )
    def test_conversation_input_tokens(self, sm: tuple[str, str], n: int, s: int, u: int, a: int) -> None:
        """A conversation's input tokens are n*s + n*u + (u+a)*n(n-1)/2, the sum of its series."""
        result = ask("conversation", set=sm[0], model=sm[1], turns=n, system=s, user=u, reply=a)
        closed = n * s + n * u + (u + a) * n * (n - 1) // 2
        assert result["input_tokens"] == closed
        assert sum(t["input_tokens"] for t in result["series"]) == closed
        assert result["output_tokens"] == n * a == sum(t["output_tokens"] for t in result["series"])
        assert len(result["series"]) == n

    @PROPERTY
    @given(
        models,
        st.integers(min_value=1, max_value=60),
        st.integers(min_value=0, max_value=5000),
        st.integers(min_value=0, max_value=2000),
        st.integers(min_value=0, max_value=2000),
        st.sampled_from([0, 25, 50, 100]),
    )
    def test_conversation_total_is_the_last_cumulative(
        self, sm: tuple[str, str], n: int, s: int, u: int, a: int, share: float
    ) -> None:
        """total_usd is the series' last cumulative figure, and the cumulative never falls."""
        result = ask("conversation", set=sm[0], model=sm[1], turns=n, system=s, user=u, reply=a, cached_share=share)
        cumulative = [t["cumulative_usd"] for t in result["series"]]
        assert result["total_usd"] == cumulative[-1]
        assert cumulative == sorted(cumulative)
        assert sum(Decimal(repr(t["cost_usd"])) for t in result["series"]) == pytest.approx(
            Decimal(repr(result["total_usd"])), rel=Decimal("1e-12"), abs=Decimal("1e-15")
        )
