"""What a reader meets in Chromium while Python loads: nothing typed or clicked is lost."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.browser import LIVE_MS, saved, wait_state, watch, widget_notes


class _HeldDownload:
    """Holds the wasm download until released, as a slow line would."""

    def __init__(self, context: Any) -> None:
        self.held: list[Any] = []
        context.route("**/pyodide.asm.wasm", self._hold)

    def _hold(self, route: Any) -> None:
        self.held.append(route)

    def asked(self, page: Any, seconds: float = 30) -> bool:
        """Whether the page asked for the wasm within `seconds` (Playwright's calls run the handler)."""
        for _ in range(int(seconds * 10)):
            if self.held:
                return True
            page.wait_for_timeout(100)
        return False

    def release(self) -> None:
        """Let every held download through; later ones are held again."""
        for route in self.held:
            route.continue_()
        self.held.clear()


@pytest.mark.browser
@pytest.mark.site
class TestLoading:
    def test_status_at_the_top_then_starting(self, chromium, base: str) -> None:
        """While the download is held the status is at the widget's top; once in, it says Python is starting."""
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        try:
            watch(context, base)
            held = _HeldDownload(context)
            page = context.new_page()
            page.goto(base + "stages/", wait_until="load")
            page.locator("#wm-stage").scroll_into_view_if_needed()
            page.wait_for_function("() => document.getElementById('wm-stage').dataset.wmState === 'loading'")
            page.wait_for_function("() => document.querySelector('#wm-stage .wm-status').textContent !== ''")
            tops = page.evaluate(
                """() => [document.querySelector('#wm-stage .wm-status').getBoundingClientRect().top,
                          document.querySelector('#wm-stage .wm-body').getBoundingClientRect().top]"""
            )
            assert tops[0] < tops[1], tops
            assert page.get_attribute("#wm-stage .wm-status", "aria-live") == "polite"
            held.release()
            page.wait_for_function(
                "text => document.querySelector('#wm-stage .wm-status').textContent === text",
                arg=widget_notes()["starting"],
                timeout=LIVE_MS,
            )
            wait_state(page, "wm-stage", "live")
        finally:
            context.close()

    def test_static_answers_and_focus_carry_into_the_live_widget(self, chromium, base: str) -> None:
        """A tick and a flow answer made while the wasm is held are there when the widget goes live,
        and focus stays on the box the reader ticked."""
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            log = watch(context, base)
            held = _HeldDownload(context)
            page = context.new_page()
            page.goto(base + "stages/", wait_until="load")
            box = "#wm-stage input[name=checked][value='1']"
            page.locator(box).scroll_into_view_if_needed()
            page.click(box)
            assert held.asked(page), "the widget never asked for the wasm"
            assert page.get_attribute("#wm-stage", "data-wm-state") == "loading"
            held.release()
            wait_state(page, "wm-stage", "live")
            saved(page, "wm-stage", checked=[1])
            assert page.is_checked(box)
            assert page.evaluate(
                "() => document.activeElement.matches(\"#wm-stage input[name=checked][value='1']\")"
            ), page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")

            # The flow: its first question's first answer opened in the static tree.
            page.goto(base + "later/", wait_until="load")
            flow = "wm-flow-caching"
            first = page.locator(f"#{flow} .wm-tree details[data-wm-carry]").first
            path, value = first.get_attribute("data-wm-carry"), first.get_attribute("data-wm-value")
            first.locator(":scope > summary").click()
            assert held.asked(page), "the flow never asked for the wasm"
            assert page.get_attribute(f"#{flow}", "data-wm-state") == "loading"
            held.release()
            wait_state(page, flow, "live")
            question = path.removeprefix("answers.")
            saved(page, flow, answers={question: value})
            assert page.locator(f"#{flow} .wm-path").count() == 1
            assert not log.errors, log.errors
        finally:
            context.close()

    def test_typed_field_carries_and_an_unanswerable_one_is_marked(self, chromium, base: str) -> None:
        """-5 typed into the static cost widget is kept in its field, marked invalid, once live."""
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            watch(context, base)
            held = _HeldDownload(context)
            page = context.new_page()
            page.goto(base + "ai/", wait_until="load")
            page.locator("#wm-cost").scroll_into_view_if_needed()
            page.fill("#wm-cost input[name=input_tokens]", "-5")
            assert held.asked(page)
            held.release()
            wait_state(page, "wm-cost", "live")
            field = page.locator("#wm-cost input[name=input_tokens]")
            assert field.input_value() == "-5"
            assert field.get_attribute("aria-invalid") == "true"
            # The reader's focus is still in the field they typed into (#28.9), not on <body>.
            assert page.evaluate("() => document.activeElement.name") == "input_tokens"
        finally:
            context.close()
