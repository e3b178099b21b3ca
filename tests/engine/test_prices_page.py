"""content/ai-costs.md's price tables and cost widget: captions, columns, days and the short table."""

from __future__ import annotations

import html
import html.parser

import markdown
import pytest

from decision.api import handle
from decision.loading import DATA_DIR, knowledge
from decision.refresh import prices as prices_refresh
from helpers.prices import PAGE, WORKLOAD, _table, _Tables, ask, committed, parse


class TestPricesTable:
    @pytest.fixture(scope="class")
    def page(self) -> _Tables:
        """content/ai-costs.md rendered by Python-Markdown with the guide's extension."""
        text = PAGE.read_text(encoding="utf-8")
        return parse(markdown.markdown(text, extensions=["admonition", "pymdownx.details", "whatmatters"]))

    def test_page_has_both_sets_under_their_headings(self) -> None:
        """The page places the current set under "Current prices" and the seed set under the 2024 heading."""
        text = PAGE.read_text(encoding="utf-8")
        current = text.index("## Current prices")
        seed = text.index("## The 2024 quick reference")
        assert current < text.index("set: current") < seed < text.index("set: seed-2024")

    @pytest.mark.parametrize("position, set_id", [(1, "current"), (2, "seed-2024")])
    def test_each_table_shows_every_model_with_its_date(self, page: _Tables, position: int, set_id: str) -> None:
        """Each table lists its set's models, grouped by provider, each row dated by its own price date."""
        prices = knowledge().price_sets[set_id]
        table = page.tables[position]
        head = table["head"]
        name, provider, date = head.index("Model"), head.index("Provider"), head.index("Prices from")
        shown = {row[name]: row for row in table["rows"]}
        assert len(table["rows"]) == len(prices.models)
        for m in prices.models.values():
            assert shown[m.name][date] == (m.effective or f"listed {prices.effective}"), m.id
        providers = [row[provider] for row in table["rows"]]
        assert providers == sorted(providers, key=providers.index), "rows of one provider should be together"

    @pytest.mark.parametrize("set_id", ["current", "seed-2024"])
    def test_sources_are_named(self, page: _Tables, set_id: str) -> None:
        """The page text names each set's source, and the current set's note and date."""
        text = "".join(page.text)
        prices = knowledge().price_sets[set_id]
        assert f"Source: {prices.source}" in text
        assert prices.note in text

    def test_page_explains_the_gpt4_row(self, page: _Tables) -> None:
        """The note says the seed's GPT-4 row carries GPT-4 Turbo's prices, and gives GPT-4's own."""
        text = " ".join("".join(page.text).split())
        assert "GPT-4 Turbo's prices ($0.01 in and $0.03 out per 1K tokens)" in text
        assert "$0.03 in and $0.06 out per 1K" in text

    def test_history_growth_comes_from_the_reference_chat(self, page: _Tables) -> None:
        """The history-growth column is the engine's conversation growth for the chat in ai.toml."""
        ref = knowledge().ai.cost_reference
        for position, set_id in ((1, "current"), (2, "seed-2024")):
            table = page.tables[position]
            column = table["head"].index(f"History growth ({ref.history_turns} turns)")
            by_name = {row[0]: row[column] for row in table["rows"]}
            for m in knowledge().price_sets[set_id].models.values():
                chat = ask(
                    {
                        "op": "conversation",
                        "set": set_id,
                        "model": m.id,
                        "turns": ref.history_turns,
                        "system": ref.history_system,
                        "user": ref.history_user,
                        "reply": ref.history_reply,
                    }
                )
                assert by_name[m.name] == f"{chat['result']['growth']:,.1f}×", m.id

    def test_reference_chat_is_data(self) -> None:
        """The chat behind the column is read from ai.toml's [cost_reference]."""
        import tomllib

        raw = tomllib.loads((DATA_DIR / "ai.toml").read_text(encoding="utf-8"))["cost_reference"]
        ref = knowledge().ai.cost_reference
        assert (ref.history_turns, ref.history_system, ref.history_user, ref.history_reply) == (
            raw["history_turns"],
            raw["history_system"],
            raw["history_user"],
            raw["history_reply"],
        )


class TestCostWidget:
    def test_starts_from_the_current_set(self) -> None:
        """The cost widget's worked example prices a current model from the current snapshot."""
        defaults = knowledge().widgets["cost"].defaults
        assert defaults["set"] == "current"
        assert defaults["model"] in knowledge().price_sets["current"].models

    def test_model_search_offers_every_model_with_provider_and_date(self) -> None:
        """The model field suggests every model of the set, each labelled with its provider and price date."""
        defaults = dict(knowledge().widgets["cost"].defaults)
        page = handle({"v": 1, "op": "cost", **defaults, "render": True})["html"]
        prices = knowledge().price_sets["current"]
        assert (
            '<input type="search" name="model" data-wm-key="model" data-wm-type="text" list="wm-models-current"' in page
        )
        assert f'value="{defaults["model"]}"' in page
        for m in prices.models.values():
            label = f"{m.name} ({m.provider}, {m.effective or prices.effective})"
            assert f'<option value="{m.id}" label="{html.escape(label)}">' in page

    def test_every_compared_price_is_dated_and_sourced(self) -> None:
        """The comparison rows each show their price date, and the result names the set's source."""
        prices = knowledge().price_sets["current"]
        response = handle({"v": 1, "op": "cost", "set": "current", "model": "gpt-5.4", **WORKLOAD, "render": True})
        table = parse(response["html"]).tables[0]
        date = table["head"].index("Prices from")
        assert table["rows"], "the comparison should show some models"
        assert any(
            row[0].endswith("(yours)") and row[date] == (prices.models["gpt-5.4"].effective or prices.effective)
            for row in table["rows"]
        )
        for row in table["rows"]:
            name = row[0].removesuffix(" (yours)")
            m = next(x for x in prices.models.values() if x.name == name)
            assert row[date] == (m.effective or prices.effective)
        assert f"Source: {prices.source}" in response["html"]


class TestCaptionMatchesColumns:
    @pytest.mark.parametrize("set_id", ["current", "seed-2024"])
    def test_caption_describes_each_rate_column_and_no_other(self, set_id: str) -> None:
        """Cached input and higher tiers are in the caption exactly when the table has those columns."""
        _, table = _table({"set": set_id})
        head, caption = table["head"], table["caption"]
        result, _ = _table({"set": set_id})
        for present, words in (
            (result["has_tiers"], "each higher tier's threshold and rates"),
            (result["has_notes"], "Notes under the table give price changes"),
        ):
            assert present == (words in caption), (set_id, words)
        assert bool(table["notes"]) == (result["has_tiers"] or result["has_notes"])
        has_cached = any(h.startswith("Cached input per") for h in head)
        assert has_cached == ("cached input (the cache-read price" in caption)
        unit = "1M tokens" if set_id == "current" else "1K tokens"
        assert f"Rates in USD per {unit}" in caption and f"Input per {unit}" in head

    def test_current_set_shows_cached_input_and_tiers(self) -> None:
        """GPT-5.4's row has its cached price and its tier above 272K tokens ($5 in, $22.50 out), as the page says."""
        _, table = _table({"set": "current", "date": committed()["effective"]})
        row = next(r for r in table["rows"] if r[0] == "GPT-5.4")
        cell = dict(zip(table["head"], row, strict=True))
        assert cell["Input per 1M tokens"] == "$2.50" and cell["Output per 1M tokens"] == "$15.00"
        assert cell["Cached input per 1M tokens"] == "$0.25"
        assert "Above 272K input tokens: $5.00 input, $0.50 cached, $22.50 output" in table["notes"]["GPT-5.4"]
        assert "GPT-5.4, for one, goes from $2.50 to $5 per million input tokens" in PAGE.read_text(encoding="utf-8")

    def test_every_tiered_model_shows_its_tiers(self) -> None:
        """No tiered model's higher rates are left out of its row."""
        result, table = _table({"set": "current"})
        for m in result["rows"]:
            assert table["notes"].get(m["name"], "").count("Above ") == len(m["tier_rates"]), m["id"]

    def test_the_set_note_agrees_with_the_table(self) -> None:
        """The note the refresh writes names what the table does: the cache-read price and later changes."""
        note = knowledge().price_sets["current"].note
        assert "Cached input is the cache-read price" in note and "price in force on its day" in note
        assert prices_refresh.NOTE.split("{", 1)[0] in note


class TestPriceDates:
    def test_dated_rows_show_their_effective_dates(self) -> None:
        """A row whose price has a start day shows that day; the others say they are only the listing day."""
        prices = knowledge().price_sets["current"]
        dated = [m for m in prices.models.values() if m.effective]
        assert len(dated) >= 5
        _, table = _table({"set": "current"})
        column = table["head"].index("Prices from")
        shown = {row[0]: row[column] for row in table["rows"]}
        for m in prices.models.values():
            assert shown[m.name] == (m.effective if m.effective else f"listed {prices.effective}"), m.id
        assert "listed" in table["caption"]


class TestShortTable:
    def test_page_leads_with_a_short_table_and_folds_the_long_one(self) -> None:
        """The first prices table on the page is a few current models per provider; the full list is folded."""
        text = PAGE.read_text(encoding="utf-8")
        short = text.index("models: ")
        fold = text.index('??? "All current models"')
        assert short < fold < text.index("    table: prices\n    set: current")

    def test_short_table_lists_the_chosen_models_of_every_provider(self) -> None:
        result, table = _table({"set": "current", "models": "gpt-6.1-sol, claude-opus-5-5, gemini-4-argon"})
        assert [r[0] for r in table["rows"]] == ["Claude Opus 5.5", "Gemini 4 Argon", "GPT-6.1 Sol"]
        assert f"3 of the set's {result['of']} models" in table["caption"]
        assert not ask({"op": "table", "name": "prices", "models": "gpt-9000"})["ok"]
