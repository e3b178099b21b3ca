"""What a reader meets, measured in Chromium: pages that fit a phone, ticks that survive a reload,
a home page that says where to start, and feedback links that send nothing until clicked.
Loading is in test_reader_ux_loading.py; the cost widget, model names and price tables (errors at
their field among them) in test_reader_ux_prices.py."""

from __future__ import annotations

import datetime
import urllib.parse
from typing import Any

import pytest

from decision.loading import knowledge
from helpers.browser import wait_state, watch
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
