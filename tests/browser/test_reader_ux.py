"""What a reader meets, measured in Chromium: pages that fit a phone, errors at their field,
nothing lost while Python loads, ticks that survive a reload, a home page that says where to
start, and feedback links that send nothing until clicked."""

from __future__ import annotations

import datetime
import re
import urllib.parse
from typing import Any

import pytest

from decision import api
from decision.loading import knowledge
from helpers.browser import LIVE_MS, saved, wait_state, watch, widget_notes
from helpers.site import Build, nav_pages, page_path, site_config

K = knowledge()
REPO = site_config()["repo_url"].rstrip("/")


def live_everywhere(page: Any) -> None:
    """Bring every widget of the page to life, one after the other."""
    for element_id in page.eval_on_selector_all("[data-wm-widget]", "ws => ws.map((w) => w.id)"):
        wait_state(page, element_id, "live")


def widest(page: Any) -> dict[str, Any]:
    """How wide the page is against the window, and the element that sticks out furthest."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          let worst = null;
          for (const el of document.querySelectorAll("body *")) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5 && (!worst || box.right > worst.right)) {
              let clipped = false;  // inside a box that scrolls or clips on its own
              for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                const o = getComputedStyle(up).overflowX;
                if (o !== "visible" && up.getBoundingClientRect().right <= width + 0.5) { clipped = true; break; }
              }
              if (!clipped) worst = { right: box.right, what: el.tagName + "." + el.className };
            }
          }
          return { scroll: document.documentElement.scrollWidth, width, worst };
        }"""
    )


@pytest.mark.browser
@pytest.mark.site
class TestPhones:
    @pytest.mark.parametrize("width", [320, 390])
    def test_no_page_scrolls_sideways_with_every_widget_live(self, chromium, base: str, width: int) -> None:
        """At 320 and 390 px no guide page is wider than the screen, widgets live (the screener's box too)."""
        context = chromium.new_context(viewport={"width": width, "height": 800})
        try:
            log = watch(context, base)
            page = context.new_page()
            wide = {}
            for doc in nav_pages():
                page.goto(base + page_path(doc), wait_until="load")
                live_everywhere(page)
                seen = widest(page)
                if seen["scroll"] > seen["width"]:
                    wide[doc] = seen
            assert not wide, wide
            assert not log.errors, log.errors
        finally:
            context.close()

    def test_tick_boxes_and_widget_buttons_are_24_px_or_more(self, chromium, base: str) -> None:
        """Every tick box (checklists page, stage finder) and every widget button is at least 24 by 24 px."""
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            small = []
            for path in ("checklists/", "never-skip/", "stages/", "later/"):
                page.goto(base + path, wait_until="load")
                for element_id in page.eval_on_selector_all("[data-wm-widget]", "ws => ws.map((w) => w.id)"):
                    wait_state(page, element_id, "live")
                sizes = page.eval_on_selector_all(
                    ".wm-checklist input[type=checkbox], [data-wm-widget] button:not([hidden]), .wm-tree summary",
                    "els => els.filter((e) => e.offsetParent).map((e) => "
                    "[e.outerHTML.slice(0, 80), e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
                )
                assert sizes, path
                small += [(path, *s) for s in sizes if s[1] < 24 or s[2] < 24]
            assert not small, small
        finally:
            context.close()

    def test_stages_table_shows_leave_for_later_on_a_phone(self, chromium, base: str) -> None:
        """On a phone every stage's "Leave for later" cell is on screen, labelled, not cut off."""
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            page.goto(base + "stages/", wait_until="load")
            cells = page.eval_on_selector_all(
                ".wm-stages td[data-label='Leave for later']",
                """cells => cells.map((c) => { const b = c.getBoundingClientRect();
                   return [b.left, b.right, getComputedStyle(c, '::before').content]; })""",
            )
            assert len(cells) == len(K.stages)
            for left, right, label in cells:
                assert left >= 0 and right <= 390 and "Leave for later" in label
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.site
class TestHomePage:
    @pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)])
    def test_first_800_px_link_to_the_three_starts(self, chromium, base: str, viewport: tuple[int, int]) -> None:
        """Above 800 px down: links to the stage finder, the plan and the cost calculator."""
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        try:
            page = context.new_page()
            page.goto(base, wait_until="load")
            links = page.eval_on_selector_all(
                "article a[href]",
                """links => links.filter((a) => { const b = a.getBoundingClientRect();
                     return b.height > 0 && b.bottom <= 800; }).map((a) => a.href)""",
            )
            for target in ("stages/#which-stage-are-you-in", "decide/#your-plan", "ai/#costs-and-tokens"):
                assert base + target in links, (target, links)
        finally:
            context.close()


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


@pytest.mark.browser
@pytest.mark.site
class TestTicks:
    def test_checklist_ticks_survive_a_reload(self, chromium, base: str) -> None:
        """A box ticked on the Stage checklists page is still ticked after a reload."""
        context = chromium.new_context()
        try:
            page = context.new_page()
            page.goto(base + "checklists/", wait_until="load")
            box = page.locator(".wm-checklist input[type=checkbox]").nth(2)
            box.check()
            page.reload(wait_until="load")
            page.wait_for_function("() => document.querySelector('ul[data-wm-kept]') !== null")
            assert page.locator(".wm-checklist input[type=checkbox]").nth(2).is_checked()
            assert page.locator(".wm-checklist input[type=checkbox]:checked").count() == 1
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.site
class TestFeedback:
    def test_every_guide_page_has_the_pair_and_sends_nothing_before_a_click(self, chromium, base: str) -> None:
        """Yes/No open a pre-filled issue on repo_url's repository with the page title and address;
        no request leaves for it until the reader clicks."""
        context = chromium.new_context()
        try:
            log = watch(context, base)
            page = context.new_page()
            for doc in nav_pages():
                page.goto(base + page_path(doc), wait_until="load")
                # The page's title as the site names it: its entry in the navigation.
                title = page.inner_text(".md-sidebar--primary .md-nav__link--active").strip()
                for kind in ("yes", "no"):
                    href = page.get_attribute(f"[data-wm-feedback={kind}]", "href")
                    parts = urllib.parse.urlsplit(href)
                    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REPO + "/issues/new", href
                    query = urllib.parse.parse_qs(parts.query)
                    assert title in query["title"][0] and title in query["body"][0], (doc, query)
                    assert site_config()["site_url"].rstrip("/") in query["body"][0]
                comments = page.get_attribute("[data-wm-feedback=comments]", "href")
                assert comments.startswith(REPO + "/discussions"), comments
                assert REPO.split("/", 3)[3] in page.inner_text(".wm-page-foot")  # says where it goes
            assert log.foreign == [], log.foreign
            page.click("[data-wm-feedback=no]")
            page.wait_for_function("() => true")
            assert any(url.startswith(REPO + "/issues/new") for url in log.foreign), log.foreign
        finally:
            context.close()

    def test_every_page_says_when_it_was_built_and_links_its_source(self, built_site: Build) -> None:
        """ "Last updated" is the build's day; the source link names the page's own file."""
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        for doc in nav_pages():
            html = (built_site.site / page_path(doc) / "index.html").read_text(encoding="utf-8")
            assert f'<time datetime="{today}">' in html, doc
            assert f'href="{REPO}/blob/main/content/{doc}"' in html, doc


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


@pytest.mark.site
def test_a_fork_gets_its_own_feedback_links(built_site: Build, tmp_path, monkeypatch) -> None:
    """Built with another repo_url, every page's feedback and source links go to that repository."""
    from helpers import site

    fork = "https://github.com/someone-else/their-fork"
    monkeypatch.setattr(site, "BUILD_ENV", {**site.BUILD_ENV, "REPO_URL": fork})
    done = site.mkdocs_build(tmp_path / "site")
    assert done.returncode == 0, done.stdout
    for doc in nav_pages():
        html = (tmp_path / "site" / page_path(doc) / "index.html").read_text(encoding="utf-8")
        assert f'href="{fork}/issues/new?title=' in html and f'href="{fork}/discussions?' in html, doc
        assert REPO not in html, doc
        assert "someone-else/their-fork" in html, doc  # the sentence saying where feedback goes
