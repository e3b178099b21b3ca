"""Gate 4 in Chromium: never trust input. Each string of tests/helpers/hostile_strings.txt is set
into every text and number field of every widget (through the DOM, with the input events a reader's
typing fires) and carried in `#wm=` hashes. No dialog may open, no element or attribute may appear
that the engine's renderer doesn't make, echoed text must show literally, the policy must see no
violation, and every engine answer must be a result or a friendly error. (The CPython half is in
test_gate_hostile.py.)
"""

from __future__ import annotations

import html.parser
import pathlib
import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from decision import api
from helpers.browser import PAGE_PROBE
from helpers.corpus import REQUESTS
from helpers.hostile import HOSTILE
from helpers.hostile_scripts import _CHECKS, _FIELDS_RUN, _HASH_RUN, _PLANT, _START
from helpers.site import Build, site_config

LIVE_MS = 60_000
RUN_MS = 240_000
# The engine answers within milliseconds, but a widget waits for typing to pause and a link
# waits for a page to load, so the strings are shared out over tabs that work side by side.
# Field runs: (page, text fields?, number fields?, tabs sharing the strings).
FIELD_TABS = [
    ("ai/", True, False, 2),
    ("ai/", False, True, 1),
    ("decide/", False, True, 1),
    ("stages/", False, True, 1),
]
HASH_TABS = 4
WAVE = 3  # tabs that start their Python runtime at the same time
# Two more, longer than any field or link takes.
PAYLOADS = [*HOSTILE, "A" * 25_000, "<img src=x onerror=alert(1)>" * 1_000]


class _Vocabulary(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


@pytest.fixture(scope="module")
def vocabulary(built_site: Build) -> dict[str, list[str]]:
    """Every tag and attribute the widgets' HTML can hold: the built pages' widgets plus the
    engine's rendering of every request in the shared corpus (tests/helpers/corpus.py)."""
    reader, widgets = _Vocabulary(), 0
    for page in built_site.site.rglob("*.html"):
        for widget in re.findall(
            r'<div class="wm-widget".*?<p class="wm-status"[^>]*></p></div>', page.read_text(encoding="utf-8"), re.S
        ):
            reader.feed(widget)
            widgets += 1
    assert widgets, "no widget found in the built pages"
    for request in REQUESTS:
        response = api.handle(request)
        if response["ok"] and response.get("html"):
            reader.feed(response["html"])
    reader.feed('<button type="button" class="wm-load">')  # widget.js's Save-Data offer
    reader.feed("<a data-wm-issue-title data-wm-issue-body>")  # the screener's report link, made from its <span>
    # widget.js's field errors and out-of-date marks, and the static tree's "opened last" counter.
    reader.feed(
        '<span class="wm-field-error" id="e"></span><input aria-invalid="true" aria-describedby="e" '
        'data-wm-described-before=""><p class="wm-outdated-note" data-wm-outdated="kept" data-wm-opened="1"></p>'
    )
    # Attributes the browser or Material's scripts add to focused elements.
    attributes = reader.attributes | {"data-focus-visible-added"}
    return {"tags": sorted(reader.tags), "attributes": sorted(attributes)}


def share_out(items: list[str], parts: int) -> list[list[str]]:
    """`items` dealt round-robin into `parts` lists."""
    return [items[i::parts] for i in range(parts)]


def link_targets(site: pathlib.Path, base: str) -> list[dict[str, Any]]:
    """The first widget of each kind on each page, with its saved fields, and a page without widgets."""
    targets, seen = [], set()
    widget = re.compile(r'id="wm-([^"]+)" data-wm-widget="([^"]+)"[^>]*data-wm-state-keys="([^"]*)"')
    for page in sorted(site.rglob("*.html")):
        path = page.parent.relative_to(site).as_posix() + "/"
        if path.startswith("embed/"):
            # The embed pages stand alone, outside instant navigation, and the Embed guide page shows live
            # iframes on purpose: tests/browser/test_embed.py attacks both (hostile options, messages, links).
            continue
        for key, kind, keys in widget.findall(page.read_text(encoding="utf-8")):
            if (kind, path) not in seen:
                seen.add((kind, path))
                targets.append(
                    {"key": key, "path": path, "url": base + path, "stateKeys": keys.split(), "plain": False}
                )
    plain = {"key": "", "path": "never-skip/", "url": base + "never-skip/", "stateKeys": [], "plain": True}
    return [*targets, plain]


@pytest.fixture(scope="module")
def attacked(built_site: Build, serve, chromium, vocabulary) -> dict[str, Any]:
    """Both runs, in tabs working side by side; every dialog is counted and dismissed."""
    base = serve(built_site.site)
    site_url = site_config()["site_url"]
    context = chromium.new_context()
    context.add_init_script(PAGE_PROBE)
    # Material's instant navigation matches the sitemap's URLs by host, not port: hand out
    # a sitemap for the test server's address, as the real domain would serve its own.
    context.route(
        base + "sitemap.xml",
        lambda route: route.fulfill(
            body=route.fetch().text().replace(site_url, base), headers={"content-type": "application/xml"}
        ),
    )
    foreign: list[str] = []
    context.route(
        lambda url: not url.startswith(base) and not url.startswith(("data:", "blob:")),
        lambda route: (foreign.append(route.request.url), route.abort()),
    )
    dialogs: list[str] = []
    tabs = []
    try:
        for share in share_out(PAYLOADS, HASH_TABS):
            tabs.append(("links", "stages/", {"payloads": share, "targets": link_targets(built_site.site, base)}))
        for path, text, numbers, count in FIELD_TABS:
            for share in share_out(PAYLOADS, count):
                tabs.append(("fields", path, {"payloads": share, "text": text, "numbers": numbers}))
        # Every tab comes alive first, a few at a time (cold Pyodide starts at once, or next to
        # busy runs, starve each other); then all the runs start and work side by side.
        running = []
        for wave in range(0, len(tabs), WAVE):
            pages = []
            for _kind, path, _arg in tabs[wave : wave + WAVE]:
                page = context.new_page()
                page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
                page.goto(base + path, wait_until="load")
                for widget in page.locator("[data-wm-widget]").all():
                    widget.scroll_into_view_if_needed()
                pages.append(page)
            for page in pages:
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-wm-widget]')].every("
                    "(w) => w.dataset.wmState === 'live')",
                    timeout=LIVE_MS,
                )
            running += pages
        for (kind, _path, arg), page in zip(tabs, running, strict=False):
            run = _FIELDS_RUN if kind == "fields" else _HASH_RUN
            page.evaluate(_START.format(checks=_CHECKS, run=run), {**arg, "vocab": vocabulary})
        reports = []
        for (kind, path, arg), page in zip(tabs, running, strict=False):
            try:
                page.wait_for_function("() => window.__gate !== null", timeout=RUN_MS, polling=500)
            except PlaywrightTimeout:
                where = page.evaluate(
                    "() => [location.href, window.__gate === undefined ? 'the page reloaded' : "
                    "window.__gateStep, window.__wmProbe.asked, window.__wmProbe.answered]"
                )
                pytest.fail(f"a {kind} run on {path} didn't finish: {where}")
            report = page.evaluate("() => window.__gate")
            reports.append({"kind": kind, "path": path, "strings": len(arg["payloads"]), **report})
    finally:
        context.close()
    return {"reports": reports, "dialogs": dialogs, "foreign": foreign}


def problems(attacked: dict[str, Any], *signs: str) -> list[str]:
    """The problems the runs reported whose text holds one of `signs`."""
    return [p for r in attacked["reports"] for p in r.get("problems", []) if any(s in p for s in signs)]


@pytest.mark.browser
@pytest.mark.site
class TestInChromium:
    def test_every_string_reached_every_field_and_link(self, attacked: dict[str, Any], gate_figure) -> None:
        """Each run finished; every string went into every field and into widget links."""
        reports = attacked["reports"]
        assert [r["crashed"] for r in reports if "crashed" in r] == []
        fields = [r for r in reports if r["kind"] == "fields"]
        links = [r for r in reports if r["kind"] == "links"]
        inputs = sum(r["inputs"] for r in fields)
        per_page = {r["path"]: r["fields"] for r in fields}
        gate_figure(
            "Hostile input (Chromium)",
            f"{len(PAYLOADS)} strings ({len(HOSTILE)} from the corpus): {inputs} field inputs into "
            f"{sum(per_page.values())} fields, {sum(r['restores'] for r in links)} shared links; "
            f"{sum(r['answers'] for r in reports)} engine answers; {len(attacked['dialogs'])} dialogs, "
            f"{len(problems(attacked, 'appeared'))} injected elements or attributes, "
            f"{sum(len(r['violations']) for r in reports)} CSP violations",
        )
        assert inputs >= len(PAYLOADS) * sum(per_page.values())
        assert sum(r["restores"] for r in links) >= 2 * len(PAYLOADS)

    def test_no_dialog_opens(self, attacked: dict[str, Any]) -> None:
        """No string makes the page open an alert, confirm, prompt or print dialog."""
        assert attacked["dialogs"] == []

    def test_nothing_appears_that_the_widget_did_not_make(self, attacked: dict[str, Any]) -> None:
        """After every step, every element and attribute in every widget is one the engine's renderer makes;
        no event handler, script, frame or media element appears anywhere in the page."""
        assert problems(attacked, "appeared", "in the page", "scripts") == []

    def test_text_shows_literally(self, attacked: dict[str, Any]) -> None:
        """Typed and linked text comes back exactly as it was, and quoted matches are the reader's own words."""
        assert problems(attacked, "text box", "quoted") == []
        assert all(r["echoed"] for r in attacked["reports"] if r["kind"] == "links" or r.get("text"))

    def test_every_answer_is_a_result_or_a_friendly_error(self, attacked: dict[str, Any]) -> None:
        """Every engine answer is a result or an error with a code and a sentence; the status line shows sentences."""
        assert problems(attacked, "unfriendly", "catch-all", "status", "never read") == []

    def test_no_policy_violation_and_no_request_elsewhere(self, attacked: dict[str, Any]) -> None:
        """Nothing the strings do trips the Content-Security-Policy or asks another origin for anything."""
        assert [v for r in attacked["reports"] for v in r.get("violations", [])] == []
        assert attacked["foreign"] == []

    def test_the_checks_catch_an_injection(self, built_site: Build, serve, chromium, vocabulary) -> None:
        """Markup slipped into a live widget (as a renderer that forgot to escape would) is reported,
        and the policy blocks its handler."""
        base = serve(built_site.site)
        context = chromium.new_context()
        context.add_init_script(PAGE_PROBE)
        try:
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
            page.goto(base + "ai/", wait_until="load")
            page.locator("#wm-screen").scroll_into_view_if_needed()
            page.wait_for_function(
                "() => document.querySelector('#wm-screen').dataset.wmState === 'live'", timeout=LIVE_MS
            )
            report = page.evaluate(
                _PLANT.format(checks=_CHECKS), {"html": '<img src="x" onerror="alert(1)">', "vocab": vocabulary}
            )
            page.wait_for_function("() => window.__wmProbe.violations.length > 0")
            violations = page.evaluate("() => window.__wmProbe.violations")
        finally:
            context.close()
        assert "planted: <img> appeared in #wm-screen" in report
        assert any("onerror" in p for p in report)
        assert len(violations) == 1 and violations[0].startswith("script-src-attr blocked inline")
        assert dialogs == []
