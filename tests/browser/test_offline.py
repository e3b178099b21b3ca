"""A second visit with no network: the service worker keeps what a visit used, and a new release replaces it.

The site is the guide as published (hashed runtime files, one build id, whatmatters-sw.js at the
root). Each test opens a fresh Chromium context, the way a first-time reader arrives, lets the
widgets go live, waits until the release's cache holds the page and every runtime file, then
takes the network away with Playwright's `set_offline` and opens the page again.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import time
from typing import Any

import pytest

from helpers.browser import CHROMIUM, CHROMIUM_ARGS, LIVE_MS, runtime_file, wait_state, watch
from helpers.site import ROOT, mkdocs_build

pytestmark = [pytest.mark.browser, pytest.mark.site]

# What a first answer needs, by the end of each file's address: the page's and the worker's
# scripts, the manifest, the engine, the stdlib and Pyodide's three files.
NEEDED = (
    "widget.",
    "worker.",
    "runtime.",
    "/page.js",
    "/serve.js",
    "/engine/",
    "/stdlib/",
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
)
CACHED_JS = """async () => {
  const names = (await caches.keys()).filter((n) => n.startsWith("whatmatters "));
  const urls = [];
  for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
  return {names, urls};
}"""


def cached(page: Any) -> dict[str, list[str]]:
    return page.evaluate(CACHED_JS)


def wait_kept(page: Any, url: str, timeout: float = 60) -> dict[str, list[str]]:
    """Until the page at `url` and every file of NEEDED are in the cache (polled: Cache Storage has no event)."""
    until = time.monotonic() + timeout
    while True:
        now = cached(page)
        missing = [n for n in NEEDED if not any(n in u.split("?")[0] for u in now["urls"])]
        missing += [] if url in now["urls"] else [url]
        if not missing:
            return now
        if time.monotonic() > until:
            raise AssertionError(f"not kept after {timeout} s: {missing}; cached: {now}")
        time.sleep(0.25)


def answers_stage(page: Any, users: str, stage: str) -> None:
    """Type a number of users into the live stage finder and wait until it names `stage`."""
    page.fill("#wm-stage input[name=users]", users)
    page.locator("#wm-stage input[name=users]").dispatch_event("change")
    page.wait_for_function(
        "(s) => document.querySelector('#wm-stage [data-wm-stage]')?.dataset.wmStage === s", arg=stage, timeout=10_000
    )


def test_a_second_visit_answers_with_no_network(built_site, fresh, base) -> None:
    context, page, log = fresh
    page.goto(base + "stages/", wait_until="load")
    wait_state(page, "wm-stage", "live", LIVE_MS)
    kept = wait_kept(page, base + "stages/")
    assert len(kept["names"]) == 1 and kept["names"][0] == f"whatmatters {base} {build_of(built_site.site)}"
    context.set_offline(True)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.reload(wait_until="load")
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    wait_state(page, "wm-stage", "live", LIVE_MS)
    answers_stage(page, "50000", "beta")  # the engine answers, offline
    answers_stage(page, "3", "mvp")
    # Chromium asks for the favicon past any service worker, so only it fails offline.
    assert {u.rsplit("/", 1)[-1] for u in failed} <= {"favicon.png"}, failed
    assert log.errors == ["console: Failed to load resource: net::ERR_FAILED"] * len(failed), log.errors


def build_of(site: pathlib.Path) -> str:
    """A published site's build id, as its runtime manifest names it."""
    return json.loads(runtime_file(site, "runtime.json").read_text(encoding="utf-8"))["build"]


def test_a_page_never_opened_is_not_there_offline_and_no_python_is_kept_without_a_widget(fresh, base) -> None:
    """A page with no widget keeps only itself and its page files; an unvisited page fails offline."""
    context, page, _log = fresh
    page.goto(base + "never-skip/", wait_until="load")
    until = time.monotonic() + 30
    while base + "never-skip/" not in cached(page)["urls"]:
        assert time.monotonic() < until, cached(page)
        time.sleep(0.25)
    time.sleep(1)  # the rest of the page's files
    urls = cached(page)["urls"]
    assert not [u for u in urls if "pyodide" in u or "/engine/" in u or "/stdlib/" in u], urls
    context.set_offline(True)
    page.reload(wait_until="load")
    assert page.locator("h1").count() == 1
    with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        page.goto(base + "ai-costs/", wait_until="load")


@pytest.fixture(scope="module")
def next_release(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Release N+1: the guide with one threshold changed (Alpha starts at 3 users, not 101), so another build id."""
    data = tmp_path_factory.mktemp("data-next")
    shutil.copytree(ROOT / "decision" / "data", data, dirs_exist_ok=True)
    stages = data / "stages.toml"
    text = stages.read_text(encoding="utf-8")
    assert text.count("max_users = 100\n") == 1
    stages.write_text(text.replace("max_users = 100\n", "max_users = 2\n"), encoding="utf-8")
    site = tmp_path_factory.mktemp("site-next")
    done = mkdocs_build(site, data_dir=data, engine=True)
    assert done.returncode == 0, done.stdout
    return site


def test_release_n_plus_1_replaces_the_cache_of_release_n(built_site, next_release, serve, chromium, tmp_path) -> None:
    """A reader holding N's cache opens the page once N+1 is out: N+1 live (or the reload note), N's cache gone."""
    live = tmp_path / "live"
    live.symlink_to(built_site.site, target_is_directory=True)
    base = serve(live, "/")
    new_build = build_of(next_release)
    assert build_of(built_site.site) != new_build
    context = chromium.new_context()
    try:
        log = watch(context, base)
        page = context.new_page()
        page.goto(base + "stages/", wait_until="load")
        wait_state(page, "wm-stage", "live", LIVE_MS)
        wait_kept(page, base + "stages/")
        answers_stage(page, "5", "mvp")
        page.close()
        live.unlink()
        live.symlink_to(next_release, target_is_directory=True)
        page = context.new_page()
        page.goto(base + "stages/", wait_until="load")
        page.locator("#wm-stage").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => ['live', 'stale', 'error'].includes(document.getElementById('wm-stage').dataset.wmState)",
            timeout=LIVE_MS,
        )
        state = page.evaluate("() => document.getElementById('wm-stage').dataset.wmState")
        assert state in ("live", "stale"), (state, log.errors)
        assert page.evaluate("() => document.getElementById('wm-stage').dataset.wmBuild") == new_build
        if state == "live":
            answers_stage(page, "5", "alpha")  # N+1's threshold
        else:
            assert "reload" in page.inner_text("#wm-stage").lower()  # the reload note, over the static widget
        until = time.monotonic() + 30
        while cached(page)["names"] != [f"whatmatters {base} {new_build}"]:
            assert time.monotonic() < until, cached(page)["names"]
            time.sleep(0.25)
        assert not log.errors, log.errors
    finally:
        context.close()


@pytest.fixture
def framing_chromium(chromium):
    """A Chromium that lets a page the test answers itself frame our loopback server.

    A route's answer has no address, so Chromium's local network access check takes the other
    site's page for a public one and blocks its frame to 127.0.0.1 (a real site frames a real host)."""
    browser = chromium.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"]
    )
    try:
        yield browser
    finally:
        browser.close()


def test_an_embed_in_another_sites_frame_answers_offline_too(built_site, serve, framing_chromium) -> None:
    """Another site frames our stage widget: after one visit, the frame answers with no network.

    The other site's page comes from the test itself (a route, which answers offline too): what
    is tested is our frame, not the other site's own offline copy."""
    chromium = framing_chromium
    ours = serve(built_site.site, "/")
    host = "http://127.0.0.1:9/docs/"  # another origin: a port nobody listens on, the route answers
    page_html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Other docs</title></head><body>'
        f'<h1>Runbook</h1><iframe id="f" src="{ours}embed/stage/" title="Stage" height="700" width="900"></iframe>'
        "</body></html>"
    )
    context = chromium.new_context()
    try:
        context.route(host, lambda route: route.fulfill(status=200, content_type="text/html", body=page_html))
        errors: list[str] = []
        context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page = context.new_page()
        page.goto(host, wait_until="load")
        page.frame_locator("#f").locator("#wm-stage").scroll_into_view_if_needed()
        inner = next(f for f in page.frames if "/embed/stage/" in f.url)
        inner.wait_for_function("() => document.getElementById('wm-stage').dataset.wmState === 'live'", timeout=LIVE_MS)
        wait_kept(inner, ours + "embed/stage/")
        context.set_offline(True)
        page.reload(wait_until="load")
        inner = next(f for f in page.frames if "/embed/stage/" in f.url)
        inner.wait_for_function("() => document.getElementById('wm-stage').dataset.wmState === 'live'", timeout=LIVE_MS)
        answers_stage(inner, "50000", "beta")
        assert not [e for e in errors if "favicon" not in e and "ERR_FAILED" not in e], errors
    finally:
        context.close()


@pytest.mark.parametrize(
    ("status", "body"),
    [(404, "not here"), (200, "throw new Error('sentinel-sw');")],
    ids=["missing", "throws"],
)
def test_a_broken_service_worker_costs_only_the_offline_visit(fresh, base, status, body) -> None:
    """The service worker's script missing or throwing: the widgets still go live (a first visit
    never waits for it), nothing shows on the page, the console only warns (and Chromium names the 404)."""
    context, page, log = fresh
    context.route(
        "**/whatmatters-sw.js*",
        lambda route: route.fulfill(status=status, content_type="text/javascript", body=body),
    )
    page.goto(base + "stages/", wait_until="load")
    wait_state(page, "wm-stage", "live", LIVE_MS)
    answers_stage(page, "50000", "beta")
    assert page.locator("#wm-stage .wm-status").text_content() == ""
    own = "console: A bad HTTP response code (404) was received when fetching the script."
    assert [e for e in log.errors if e != own] == [], log.errors


def test_storage_refused_costs_only_the_offline_visit(fresh, base) -> None:
    """A browser that gives the site no room (a quota of one byte): every copy is refused, the widgets answer anyway."""
    context, page, log = fresh
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base.rstrip("/"), "quotaSize": 1})
    warnings: list[str] = []
    context.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(base + "stages/", wait_until="load")
    wait_state(page, "wm-stage", "live", LIVE_MS)
    answers_stage(page, "50000", "beta")
    page.wait_for_timeout(2000)  # the copies the worker and the service worker tried
    assert not [u for u in cached(page)["urls"] if "/pyodide/" in u], "a copy went in with no quota"
    assert any("offline cop" in w for w in warnings), warnings
    assert page.locator("#wm-stage .wm-status").text_content() == ""
    assert not log.errors, log.errors
