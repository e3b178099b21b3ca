"""Prices as a reader meets them in Chromium: the cost widget, model names, and the price tables."""

from __future__ import annotations

import re

import pytest

from decision import api
from decision.loading import knowledge
from helpers.browser import saved, wait_state, watch, widget_notes

K = knowledge()


@pytest.mark.browser
@pytest.mark.site
class TestCostWidget:
    def test_names_and_errors_at_their_field(self, chromium, base: str) -> None:
        """A display name is answered; -5 tokens marks that field with its message beside it, and the
        summary says its figures are for earlier entries until the field is fixed."""
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            log = watch(context, base)
            page = context.new_page()
            page.goto(base + "ai/", wait_until="load")
            wait_state(page, "wm-cost", "live")
            page.fill("#wm-cost input[name=model]", "Claude Sonnet 4.6")
            saved(page, "wm-cost", model="claude-sonnet-4-6")
            assert page.inner_text("#wm-cost .wm-result .wm-title").startswith("Claude Sonnet 4.6")
            before = page.inner_text("#wm-cost .wm-facts")

            page.fill("#wm-cost input[name=input_tokens]", "-5")
            field = page.locator("#wm-cost input[name=input_tokens]")
            page.wait_for_function(
                "() => document.querySelector('#wm-cost input[name=input_tokens]').ariaInvalid === 'true'"
            )
            described = field.get_attribute("aria-describedby")
            note = page.locator(f"#{described}")
            assert "input tokens" in note.inner_text().lower() and "('" not in note.inner_text()
            # Beside the input: the next thing after it, inside its label.
            assert page.evaluate("id => document.getElementById(id).previousElementSibling.name", described) == (
                "input_tokens"
            )
            result = page.locator('#wm-cost [data-wm-swap="result"]')
            assert result.get_attribute("data-wm-outdated") == "kept"
            assert widget_notes()["outdated"] in result.inner_text()
            assert page.inner_text("#wm-cost .wm-status") == ""  # not at the bottom of the widget

            page.fill("#wm-cost input[name=input_tokens]", "900")
            saved(page, "wm-cost", input_tokens=900)
            assert field.get_attribute("aria-invalid") is None and field.get_attribute("aria-describedby") is None
            assert result.get_attribute("data-wm-outdated") is None
            assert page.inner_text("#wm-cost .wm-facts") != before

            page.fill("#wm-cost input[name=model]", "claude sonn")
            page.wait_for_function("() => document.querySelector('#wm-cost input[name=model]').ariaInvalid === 'true'")
            message = page.inner_text("#wm-cost .wm-field-error")
            assert "Did you mean" in message and "Claude Sonnet 4.6" in message
            assert not log.errors, log.errors
        finally:
            context.close()


class TestModelNames:
    @pytest.mark.parametrize("set_id", list(K.price_sets))
    def test_every_listed_display_name_is_answered(self, set_id: str) -> None:
        """Each model's display name, as the page lists it, prices that model."""
        for m in K.price_sets[set_id].models.values():
            for typed in (m.name, m.name.lower(), m.id):
                response = api.handle(
                    {"v": 1, "op": "cost", "set": set_id, "model": typed, "input_tokens": 1, "output_tokens": 1}
                )
                assert response["ok"], (typed, response)
                assert response["result"]["model"]["id"] == m.id, typed

    def test_an_ambiguous_part_is_refused_with_names(self) -> None:
        """'claude sonn' fits several models: the field's sentence suggests them by name."""
        error = api.handle({"v": 1, "op": "cost", "model": "claude sonn", "input_tokens": 1, "output_tokens": 1})[
            "error"
        ]
        assert error["field"] == "model" and "Claude Sonnet" in error["say"]

    def test_out_of_range_names_the_field_without_its_key(self) -> None:
        error = api.handle({"v": 1, "op": "cost", "model": "gpt-4", "input_tokens": -5, "output_tokens": 1})["error"]
        assert error["field"] == "input_tokens"
        assert "('input_tokens')" in error["message"] and "input_tokens" not in error["say"]


@pytest.mark.browser
@pytest.mark.site
class TestPriceTables:
    def test_the_full_table_sorts_and_filters_and_stays_a_table(self, chromium, base: str) -> None:
        """A column head sorts by its figures (blanks last), the filter hides what doesn't match,
        and every row is still in the static table."""
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(base + "ai-costs/", wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            table = page.locator(".wm-prices[data-wm-sortable]").nth(1)
            rows = table.locator("tbody tr")
            count = rows.count()
            assert count == len(K.price_sets["current"].models)
            column = table.locator("thead th").all_inner_texts().index("Input per 1M tokens")
            table.locator("thead th").nth(column).locator("button").click()
            figures = [
                float(t.strip("$").replace(",", ""))
                for t in rows.locator(f"td:nth-child({column + 1})").all_inner_texts()
            ]
            assert figures == sorted(figures) and len(figures) == count
            assert table.locator("thead th").nth(column).get_attribute("aria-sort") == "ascending"
            table.locator("thead th").nth(column).locator("button").click()
            again = [
                float(t.strip("$").replace(",", ""))
                for t in rows.locator(f"td:nth-child({column + 1})").all_inner_texts()
            ]
            assert again == sorted(figures, reverse=True)
            page.locator(".wm-table-tools input").nth(1).fill("claude sonnet")
            shown = [r for r in rows.all() if r.is_visible()]
            assert shown and all("Claude Sonnet" in r.inner_text() for r in shown) and len(shown) < count
            assert rows.count() == count  # filtered rows are hidden, never removed
        finally:
            context.close()

    def test_numbers_are_right_aligned_and_the_caption_is_two_sentences(self, chromium, base: str) -> None:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(base + "ai-costs/", wait_until="load")
            aligned = page.eval_on_selector_all(
                ".wm-prices td.wm-num", "cs => cs.map((c) => getComputedStyle(c).textAlign)"
            )
            assert aligned and set(aligned) == {"right"}
            lead = page.locator(".wm-prices + .wm-caption > p").first.inner_text()
            assert len(re.findall(r"[.!?](?:\s|$)", lead)) == 2, lead
            assert page.locator(".wm-prices + .wm-caption > details").count() >= 1
        finally:
            context.close()

    @pytest.mark.parametrize("width", [1280, 390])
    def test_every_price_table_fits(self, chromium, base: str, width: int) -> None:
        """At 1280 px every price table's columns fit its column of text; on a phone each model is a
        card whose figures are all on screen."""
        context = chromium.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto(base + "ai-costs/", wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            sizes = page.eval_on_selector_all(
                ".wm-prices",
                """boxes => boxes.map((b) => [b.querySelector('table').scrollWidth, b.clientWidth,
                    Math.max(...[...b.querySelectorAll('td')].map((c) => c.getBoundingClientRect().right))])""",
            )
            assert len(sizes) >= 3
            for table_width, room, rightmost in sizes:
                assert table_width <= room and rightmost <= width, sizes
        finally:
            context.close()
