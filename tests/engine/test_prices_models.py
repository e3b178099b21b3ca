"""Which models a price set holds and how: unknown ids, retired models, scheduled changes, reasoning rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from decision import costs
from decision.api import handle
from decision.cli import commands as cli
from decision.loading import knowledge
from decision.refresh import prices as prices_refresh
from helpers.prices import PAGE, WORKLOAD, _table, ask, committed


class TestUnknownModel:
    def test_never_prices_an_unknown_id(self) -> None:
        """An id no set knows is an error with a sentence, never a $0 answer."""
        response = ask({"op": "cost", "model": "not-a-model-at-all", **WORKLOAD})
        assert not response["ok"]
        assert response["error"]["code"] == "unknown-model"
        assert "not-a-model-at-all" in response["error"]["message"]

    def test_squashed_id_is_the_real_one(self) -> None:
        """'gpt4o' is gpt-4o written without its hyphen: it is answered as gpt-4o."""
        assert ask({"op": "cost", "model": "gpt4o", **WORKLOAD})["result"]["model"]["id"] == "gpt-4o"

    def test_misspelt_id_suggests_the_real_one_first(self) -> None:
        """'gtp4o' fits no model, and the first suggestion is gpt-4o."""
        message = ask({"op": "cost", "model": "gtp-4o", **WORKLOAD})["error"]["message"]
        assert "Did you mean gpt-4o," in message

    def test_words_suggest_the_models_holding_them(self) -> None:
        """'claude sonnet' suggests only Claude Sonnet ids."""
        message = ask({"op": "cost", "model": "claude sonnet", **WORKLOAD})["error"]["message"]
        suggested = message.split("Did you mean ", 1)[1].rstrip("?").split(", ")
        assert len(suggested) >= 3
        assert all("claude" in s and "sonnet" in s for s in suggested), suggested

    def test_dated_form_suggests_its_base_model(self) -> None:
        """A dated or -latest id the set lacks suggests the undated model first."""
        prices = knowledge().price_sets["current"]
        assert costs.suggestions(prices, "claude-sonnet-4-6-latest")[0] == "claude-sonnet-4-6"
        assert costs.suggestions(prices, "gpt-5.4-mini-2026-03-17")[0] == "gpt-5.4-mini"

    def test_letter_case_and_spaces_are_forgiven(self) -> None:
        """'GPT-4o ' is gpt-4o: only letter case and surrounding spaces are forgiven."""
        result = ask({"op": "cost", "model": "GPT-4o ", **WORKLOAD})["result"]
        assert result["model"]["id"] == "gpt-4o"

    def test_compare_refuses_unknown_ids_too(self) -> None:
        """A comparison that names an unknown model fails the same way."""
        response = ask({"op": "compare", "models": ["gpt-4o", "gtp-4o-mini"], **WORKLOAD})
        assert response["error"]["code"] == "unknown-model"
        assert "gpt-4o-mini" in response["error"]["message"]


class TestRetired:
    def test_no_retired_or_open_weight_model_in_the_current_set(self) -> None:
        """The current set holds models a reader can still call from their maker: none retired, no open-weight rows."""
        ids = {row["id"] for row in committed()["model"]}
        assert not ids & set(prices_refresh.retired_models())
        assert not any(row["id"].startswith("gpt-oss") for row in committed()["model"])
        for model_id in ("claude-2", "claude-3-sonnet", "gpt-4.5-preview", "o1-preview", "gemini-1.5-flash"):
            assert model_id not in ids

    def test_every_retirement_is_dated_and_sourced(self) -> None:
        """Each retired model names the day it stopped answering and its provider's page, over HTTPS."""
        retired = prices_refresh.retired_models()
        assert len(retired) >= 10
        for model_id, entry in retired.items():
            assert datetime.date.fromisoformat(entry["retired"]) <= datetime.date(2026, 11, 26), model_id
            assert entry["source"].startswith("https://"), model_id
            assert entry["name"], model_id

    def test_retired_ids_are_genai_prices_ids(self, genai_prices: Any) -> None:
        """Every retired id is one genai-prices lists, so a typo can't leave a retired model in the set."""
        from genai_prices.data import providers

        taken = prices_refresh.providers_config()["providers"]
        known = {m.id for p in providers if p.id in taken for m in p.models}
        assert set(prices_refresh.retired_models()) <= known

    def test_no_two_rows_share_a_name(self) -> None:
        """A reader can tell every row apart: no provider lists two models under one name."""
        names = [(row["provider"], row["name"].lower()) for row in committed()["model"]]
        assert len(names) == len(set(names))

    def test_a_duplicate_name_fails_the_refresh(self) -> None:
        """The refresh refuses to write two rows a reader couldn't tell apart."""
        rows = {
            "a": {"id": "a", "provider": "Google", "name": "Gemini 1.5 Flash"},
            "b": {"id": "b", "provider": "Google", "name": "gemini 1.5 flash"},
        }
        with pytest.raises(ValueError, match="both listed"):
            prices_refresh._check_names(rows)


class TestScheduled:
    def test_scheduled_changes_are_read(self) -> None:
        """Gemini 3.8 Flash's announced change is in the engine's data with its day and rates."""
        m = knowledge().price_sets["current"].models["gemini-3.8-flash"]
        assert [(c.starts, c.input, c.output) for c in m.scheduled] == [("2027-01-01", 1.5, 7.5)]

    def test_every_scheduled_change_is_shown_in_the_table(self) -> None:
        """Each row with a scheduled change says what happens on which day."""
        day = committed()["effective"]
        prices = costs.price_set(knowledge(), "current", day)
        _, table = _table({"set": "current", "date": day})
        notes = table["notes"]
        changing = [m for m in prices.models.values() if m.scheduled]
        assert changing
        for m in changing:
            for c in m.scheduled:
                assert f"on {c.starts}, to ${c.input:.2f} input" in notes[m.name], m.id
        assert "Doubles on 2027-01-01, to $1.50 input, $0.15 cached, $7.50 output" in notes["Gemini 3.8 Flash"]

    def test_the_page_states_the_change_the_data_holds(self) -> None:
        """The prose's example of a scheduled change is the one in the data."""
        m = knowledge().price_sets["current"].models["gemini-3.8-flash"]
        assert "Gemini 3.8 Flash's prices double on 2027-01-01" in PAGE.read_text(encoding="utf-8")
        assert m.scheduled[0].starts == "2027-01-01" and m.scheduled[0].input == 2 * m.input

    def test_a_change_whose_day_has_come_is_charged(self) -> None:
        """Gemini 4 Argon rose to $4/$20 on 2026-12-01: asked for 2026-11-30 it costs the old $2/$10, from
        2026-12-01 on the new price, and the table dates the row from that day."""
        base = {"op": "cost", "model": "gemini-4-argon", "input_tokens": 1_000_000, "output_tokens": 1_000_000}
        before = ask({**base, "date": "2026-11-30"})["result"]
        after = ask({**base, "date": "2026-12-01"})["result"]
        assert (before["per_request_usd"], after["per_request_usd"]) == (12.0, 24.0)
        assert after["model"]["prices_from"] == "2026-12-01"
        assert any("2026-12-01" in n and "prices in force on 2026-11-30" in n for n in before["notes"])

    def test_cost_widget_and_cli_say_the_price_will_change(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Pricing a model with a scheduled change tells the reader, in the widget and in the terminal."""
        day = committed()["effective"]
        response = handle({"v": 1, "op": "cost", "model": "gemini-3.8-flash", **WORKLOAD, "date": day, "render": True})
        assert "doubles on 2027-01-01" in response["html"]
        args = ["cost", "--model", "gemini-3.8-flash", "--input-tokens", "500", "--output-tokens", "500"]
        assert cli.main([*args, "--date", day]) == 0
        assert "doubles on 2027-01-01" in " ".join(capsys.readouterr().out.split())


class TestReasoning:
    def test_reasoning_models_are_marked_as_data(self) -> None:
        """The o-series and GPT-5-class rows carry `reasons`; older chat models don't."""
        models = knowledge().price_sets["current"].models
        assert all(models[i].reasons for i in ("gpt-5.4-mini", "gpt-6.1-sol", "claude-opus-5-5", "gemini-3.5-flash"))
        assert not any(models[i].reasons for i in ("claude-sonnet-4-0", "command-r", "grok-3"))

    def test_reasoning_rows_say_so_in_the_table(self) -> None:
        _, table = _table({"set": "current"})
        notes = table["notes"]
        assert "Bills hidden reasoning as output tokens." in notes["GPT-5.4 mini"]
        assert "reasoning" not in notes.get("Command R", "")

    @pytest.mark.parametrize("model_id", ["gpt-5.4-mini", "claude-opus-5-5", "gpt-6.1-sol"])
    def test_reasoning_tokens_cost_exactly_what_output_tokens_do(self, model_id: str) -> None:
        """N reasoning tokens change the figure exactly as N more output tokens would, in cost and compare."""
        base = {"model": model_id, "input_tokens": 800, "requests": 1000, "requests_per_day": 100}
        thinking = ask({"op": "cost", **base, "output_tokens": 300, "reasoning_tokens": 2000})["result"]
        plain = ask({"op": "cost", **base, "output_tokens": 2300})["result"]
        for key in ("per_request_usd", "total_usd", "per_day_usd", "per_month_usd"):
            assert thinking[key] == plain[key], key
        assert thinking["reasoning_tokens"] == 2000
        work = {"models": [model_id], "input_tokens": 800, "requests": 1000}
        a = ask({"op": "compare", **work, "output_tokens": 300, "reasoning_tokens": 2000})["result"]
        b = ask({"op": "compare", **work, "output_tokens": 2300})["result"]
        assert a["rows"][0]["total_usd"] == b["rows"][0]["total_usd"]

    def test_models_that_dont_reason_bill_no_reasoning(self) -> None:
        """A chat model without hidden reasoning costs the same whatever figure is given, and says why."""
        base = {"model": "command-r", "input_tokens": 800, "output_tokens": 300}
        plain = ask({"op": "cost", **base})["result"]
        given = ask({"op": "cost", **base, "reasoning_tokens": 2000})["result"]
        assert plain["total_usd"] == given["total_usd"]
        assert any("isn't marked as a reasoning model" in n for n in given["notes"])

    def test_reasoning_tokens_are_validated(self) -> None:
        for bad in (-1, 1.5, "many", True, 10**9):
            response = handle({"v": 1, "op": "cost", "model": "gpt-5.4-mini", **WORKLOAD, "reasoning_tokens": bad})
            assert not response["ok"] and "reasoning tokens" in response["error"]["message"], bad

    def test_shown_in_widget_record_and_cli(self, capsys: pytest.CaptureFixture[str]) -> None:
        response = handle(
            {"v": 1, "op": "cost", "model": "gpt-5.4-mini", **WORKLOAD, "reasoning_tokens": 1500, "render": True}
        )
        assert 'data-wm-key="reasoning_tokens"' in response["html"] and 'value="1500"' in response["html"]
        assert "1,500 reasoning" in response["record"]
        args = ["cost", "--model", "gpt-5.4-mini", "--input-tokens", "500", "--output-tokens", "500"]
        assert cli.main([*args, "--reasoning-tokens", "1500"]) == 0
        assert "1,500 reasoning" in capsys.readouterr().out
