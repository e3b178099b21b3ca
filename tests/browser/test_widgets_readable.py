"""Widgets a reader can read at 1280 px and at 390 px: the chart, the flow diagrams, the forms, the copy notes."""

from __future__ import annotations

from typing import Any

import pytest

from decision import flows
from decision.loading import knowledge
from helpers.browser import saved, wait_state, widget_notes
from helpers.site import Build

pytestmark = [pytest.mark.browser, pytest.mark.site]

K = knowledge()
NOTES = widget_notes()
WIDTHS = {"desktop": 1280, "phone": 390}
SMALLEST_PX = 12

# Every piece of visible text in the element, with its rendered size: an SVG's text is
# scaled with its drawing, so its font size times the drawing's scale is what a reader sees.
SIZES_JS = """el => {
  const found = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const host = node.parentElement;
    if (!node.textContent.trim() || !host) continue;
    const style = getComputedStyle(host);
    if (style.visibility !== "visible" || host.closest("[hidden], details:not([open]) > :not(summary)")) continue;
    const box = host.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let size = parseFloat(style.fontSize);
    const svg = host.closest("svg");
    if (svg) size *= svg.getScreenCTM().a;
    found.push([node.textContent.trim().slice(0, 40), Math.round(size * 10) / 10]);
  }
  return found;
}"""


@pytest.fixture(scope="module", params=list(WIDTHS))
def visit(request: pytest.FixtureRequest, chromium: Any, built_site: Build, serve: Any) -> Any:
    """A tour of the guide in a window as wide as a laptop's or a phone's, clipboard allowed."""
    base = serve(built_site.site)
    context = chromium.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    try:
        yield Visit(context.new_page(), base)
    finally:
        context.close()


class Visit:
    """One window on the guide; pages are opened by address (a phone's sidebar is a closed drawer)."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="load")
        return self.page


def small_text(page: Any, selector: str) -> list[Any]:
    sizes = page.locator(selector).evaluate(SIZES_JS)
    assert sizes, f"no text found in {selector}"
    return [s for s in sizes if s[1] < SMALLEST_PX]


class TestChart:
    def test_ticks_and_text_size(self, visit: Visit) -> None:
        """The chart has at least four tick labels on each axis and no text under 12 px, nor has its widget."""
        page = visit.open("ai/")
        wait_state(page, "wm-cost", "live")
        chart = "#wm-cost svg.wm-chart"
        for axis in ("x", "y"):
            labels = page.locator(f"{chart} .wm-tick--{axis}").all_text_contents()
            assert len(labels) >= 4, (axis, labels)
            assert all(label.strip() for label in labels)
        assert small_text(page, "#wm-cost") == []
        page.click("#wm-cost .wm-chart-numbers summary")
        assert page.locator("#wm-cost .wm-chart-numbers table tbody tr").count() >= 4
        assert small_text(page, "#wm-cost .wm-chart-numbers") == []

    def test_readout_on_hover_and_on_focus(self, visit: Visit) -> None:
        """A turn's figures show beside its point when the pointer is over it and when the keyboard focuses it."""
        page = visit.open("ai/")
        wait_state(page, "wm-cost", "live")
        points = page.locator("#wm-cost .wm-point")
        assert points.count() >= 4
        readout = points.nth(2).locator(".wm-readout")
        assert readout.evaluate("el => getComputedStyle(el).visibility") == "hidden"
        points.nth(2).locator("circle").hover()
        assert readout.evaluate("el => getComputedStyle(el).visibility") == "visible"
        assert readout.text_content().startswith("Turn ")  # type: ignore[union-attr]
        page.mouse.move(0, 0)
        assert readout.evaluate("el => getComputedStyle(el).visibility") == "hidden"
        points.nth(1).focus()
        last = points.nth(1).locator(".wm-readout")
        assert last.evaluate("el => getComputedStyle(el).visibility") == "visible"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('wm-point')")
        assert points.nth(2).locator(".wm-readout").evaluate("el => getComputedStyle(el).visibility") == "visible"
        assert points.nth(2).get_attribute("aria-label").startswith("Turn ")  # type: ignore[union-attr]
        assert small_text(page, "#wm-cost svg.wm-chart .wm-point:focus") == []


class TestFlowDiagrams:
    def test_every_topic_shows_its_diagram_and_the_path_lights_up(self, visit: Visit) -> None:
        """Each flow on Later has its picture beside it; answering lights the answers given, readable at this width."""
        page = visit.open("later/")
        later = [t for t in K.flows if page.locator(f"#wm-flow-{t}").count()]
        assert len(later) >= 5
        for topic in later:
            assert page.locator(f"#wm-flow-{topic} svg.wm-diagram-svg").count() == 1
        wid = "wm-flow-caching"
        wait_state(page, wid, "live")
        path = max(flows.paths(K.flows["caching"]), key=len)
        for step, (question, answer) in enumerate(path, 1):
            page.click(f"#{wid} [data-wm-set='answers.{question}'][data-wm-value='{answer}']")
            saved(page, wid, answers=dict(path[:step]))
            lit = page.locator(f"#{wid} .wm-d-answer.wm-d-on").all_text_contents()
            assert lit == [K.flows["caching"].questions[q].option(a).label for q, a in path[:step]]  # type: ignore[union-attr]
        assert page.locator(f"#{wid} .wm-d-verdict.wm-d-on").count() == 1
        assert small_text(page, f"#{wid} svg.wm-diagram-svg") == []


class TestForms:
    def test_stage_checkbox_sits_with_its_label(self, visit: Visit) -> None:
        """Each of the stage finder's checkboxes and its words share one row."""
        page = visit.open("stages/")
        for name in ("depends", "pays"):
            box = page.locator(f"#wm-stage input[name={name}]").bounding_box()
            holder = page.locator(f"#wm-stage label.wm-check:has(input[name={name}])")
            label = holder.bounding_box()
            assert box and label, name
            assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
            words = holder.evaluate(
                "el => { const r = document.createRange(); r.selectNodeContents(el.lastChild); "
                "const b = r.getBoundingClientRect(); return [b.top, b.bottom]; }"
            )
            # The words' line and the box overlap vertically, and the words start to the right of the box.
            assert words[0] < box["y"] + box["height"] and box["y"] < words[1]
            assert words[1] - words[0] < 2 * box["height"] + 10  # one line, not wrapped under the box
            starts = holder.evaluate(
                "el => { const r = document.createRange(); r.selectNodeContents(el.lastChild); "
                "return r.getBoundingClientRect().left; }"
            )
            assert starts >= box["x"] + box["width"]

    def test_cost_fields_say_what_they_take(self, visit: Visit) -> None:
        """Token fields explain a token, the cache share is a percentage, and the chosen model's prices show."""
        page = visit.open("ai/")
        assert "¾ of a word" in page.locator("#wm-cost input[name=input_tokens] >> xpath=..").inner_text()
        assert page.get_attribute("#wm-cost input[name=cached_share]", "max") == "100"
        assert "per million tokens" in page.locator("#wm-cost .wm-rates").inner_text()


class TestCopyNotes:
    def test_copied_is_announced(self, visit: Visit) -> None:
        """Copy link says "Copied." in a visible aria-live status."""
        page = visit.open("stages/")
        wait_state(page, "wm-stage", "live")
        status = page.locator("#wm-stage .wm-status")
        assert status.get_attribute("aria-live") == "polite"
        page.click("#wm-stage [data-wm-action=copy-link]")
        page.wait_for_function("el => el.textContent !== ''", arg=status.element_handle())
        assert status.text_content() == NOTES["copied"] and status.is_visible()

    def test_a_blocked_clipboard_is_said(self, visit: Visit) -> None:
        """When the browser refuses the clipboard, the status says so instead."""
        page = visit.open("stages/")
        wait_state(page, "wm-stage", "live")
        page.evaluate(
            "() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('no', 'NotAllowedError')); }"
        )
        status = page.locator("#wm-stage .wm-status")
        page.click("#wm-stage [data-wm-action=copy-record]")
        page.wait_for_function(
            "([el, want]) => el.textContent === want", arg=[status.element_handle(), NOTES["notCopied"]]
        )
        assert status.is_visible()
