"""Browser figures for our cost widget and each peer, interleaved run by run in headless Chromium.

For each run and each contender: a fresh persistent profile (empty HTTP cache and code cache, on
disk as a reader's browser has them) loads the page cold and waits for the first live answer;
the same profile loads it again (`warm`: HTTP cache, and Chromium's wasm and script code caches,
which incognito contexts never use); for our site, an instant-navigation click to a second widget
page follows the cold visit, and a fresh context meets the page as a reader scrolling down at
reading pace would (`reader`). Long tasks come from a
buffered PerformanceObserver, and who their time went to from Long Animation Frames
(`attribute`: Material's bundle, our scripts, other scripts, rendering, the rest); bytes from
every finished response (raw body, and gzip -6 of the same file as GitHub Pages would send it).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import pathlib
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LONGTASKS = """
window.__lt = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lt.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
// Who the long frames' time went to (Long Animation Frames: scripts by file, then rendering).
window.__loaf = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const end = e.startTime + e.duration;
      window.__loaf.push({ duration: e.duration, render: e.renderStart ? end - e.renderStart : 0,
        scripts: e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration,
                                         forced: s.forcedStyleAndLayoutDuration })) });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
} catch {}
"""
# Long-frame time by source: Material's bundle, our scripts (widget, embed), the page's inline
# scripts and anything else run as script, rendering (style, layout, paint) outside scripts,
# and the rest (HTML parsing, tasks with no script).
SOURCES = (("material", "/assets/javascripts/"), ("ours", "/whatmatters/"))
TIMEOUT = 120_000


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        # Material navigates instantly only to URLs its sitemap lists, port included: the site is
        # built with site_url http://127.0.0.1/site/ and its sitemap is handed out with our port.
        if not self.path.endswith("/sitemap.xml"):
            super().do_GET()
            return
        local = pathlib.Path(self.directory) / self.path.lstrip("/")
        port = self.server.server_address[1]
        body = local.read_bytes().replace(b"http://127.0.0.1/site/", f"http://127.0.0.1:{port}/site/".encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(root: pathlib.Path, handler: type[Handler] = Handler) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1 with `handler` (raw bytes; lighthouse.GzipHandler gzips)."""
    handler.extensions_map = {**handler.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@functools.cache
def gz_size(path: pathlib.Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6)) if path.is_file() else 0


class Meter:
    """Bytes of every finished response, raw and gzipped, split at marks."""

    def __init__(self, page: Any, root: pathlib.Path) -> None:
        self.root, self.done = root, []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        path = urllib.parse.urlparse(request.url).path
        local = self.root / path.lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        try:
            raw = max(0, request.sizes()["responseBodySize"])  # -1 for one a service worker answered
        except Exception:
            raw = 0
        self.done.append((raw, gz_size(local) if raw else 0))

    def total(self) -> tuple[int, int]:
        return sum(r for r, _ in self.done), sum(g for _, g in self.done)


STATIC_RESULT = """document.addEventListener("DOMContentLoaded", () => {
  window.__static = document.querySelector("#wm-cost [data-wm-swap=result]")?.innerHTML;
});"""


def restored(page: Any) -> None:
    """The cost widget opened from a shared link: live, its result no longer the build's (STATIC_RESULT)."""
    page.wait_for_function(
        """() => { const w = document.getElementById("wm-cost");
          return w.dataset.wmState === "live" && w.querySelector("[data-wm-swap=result]").innerHTML !== window.__static; }""",
        timeout=TIMEOUT,
    )


def shared_link(chromium: Any, url: str) -> str:
    """The address the cost widget shares once a reader has typed 7 turns into it (its hash)."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        _answered(page, True)
        page.wait_for_function("() => location.hash.startsWith('#wm=cost.')", timeout=TIMEOUT)
        return str(page.evaluate("() => location.hash"))
    finally:
        context.close()


def _ask_turns(page: Any) -> None:
    """Once the cost widget is live, type 7 turns, commit with Tab (no typing pause), wait for the answer."""
    page.wait_for_function("() => document.getElementById('wm-cost').dataset.wmState === 'live'", timeout=TIMEOUT)
    before = page.inner_html("#wm-cost [data-wm-swap=result]")
    page.fill("#wm-cost input[name=turns]", "7")
    page.press("#wm-cost input[name=turns]", "Tab")  # the reader commits the value (no typing pause)
    page.wait_for_function(
        "b => document.querySelector('#wm-cost [data-wm-swap=result]').innerHTML !== b", arg=before, timeout=TIMEOUT
    )


def _answered(page: Any, ours: bool) -> None:
    if page.url.endswith("/mdexec/"):  # the fence runs when its Run button is pressed, once Pyodide is up
        page.wait_for_function("() => document.querySelector('.pyodide-output')?.textContent === ''", timeout=TIMEOUT)
        page.click("span[id$=run]")
        page.wait_for_function(
            "() => document.querySelector('.pyodide-output').textContent.length > 200", timeout=TIMEOUT
        )
        return
    if not ours:
        page.wait_for_function("() => document.body.dataset.answered === '1'", timeout=TIMEOUT)
        return
    page.locator("#wm-cost").scroll_into_view_if_needed()
    _ask_turns(page)


def attribute(frames: list[dict[str, Any]]) -> dict[str, float]:
    """Sum long animation frames' time by source (see SOURCES); forced style/layout stays with its script."""
    out = dict.fromkeys(("lf_total", "lf_material", "lf_ours", "lf_script", "lf_render", "lf_other"), 0.0)
    for frame in frames:
        out["lf_total"] += frame["duration"]
        scripts = 0.0
        for script in frame["scripts"]:
            group = next((name for name, part in SOURCES if part in (script["url"] or "")), "script")
            out[f"lf_{group}"] += script["duration"]
            scripts += script["duration"]
        out["lf_render"] += frame["render"]
        out["lf_other"] += max(0.0, frame["duration"] - scripts - frame["render"])
    return out


def _now(page: Any) -> float:
    return float(page.evaluate("() => performance.now()"))


def emulate(context: Any, page: Any, bits: float, rtt: float) -> None:
    """A line of `bits` per second down (a quarter of it up) with `rtt` ms round trips, for the page
    and its worker's fetches (DevTools emulation)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"offline": False, "latency": rtt, "downloadThroughput": bits / 8, "uploadThroughput": bits / 32}
    cdp.send("Network.emulateNetworkConditions", conditions)


def visit(context: Any, root: pathlib.Path, url: str, ours: bool, throttle: bool = False) -> dict[str, float]:
    page = context.new_page()
    meter = Meter(page, root)
    if throttle:  # a 20 Mbit/s line with 40 ms round trips
        emulate(context, page, 20e6, 40)
    page.goto(url, wait_until="load")
    fcp = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime")
    before_touch = meter.total()  # at the load event: for ours, the widget is not yet in view
    touch = _now(page)
    _answered(page, ours)
    answer = _now(page)
    time.sleep(0.2)
    long_tasks = page.evaluate("() => window.__lt")
    frames = page.evaluate("() => window.__loaf")
    after = meter.total()
    out = {
        **attribute(frames),
        "fcp": fcp,
        "answer": answer,
        "longtask_total": sum(long_tasks),
        "longtask_max": max(long_tasks, default=0.0),
        "bytes_touch_raw": before_touch[0],
        "bytes_touch_gz": before_touch[1],
        "bytes_answer_raw": after[0],
        "bytes_answer_gz": after[1],
        "first_usable": fcp if ours else answer,
        "from_touch": answer - touch if ours else answer,
    }
    if ours:  # instant navigation to a second widget page, same worker
        page.click("a[href$='decide/']")
        start = _now(page)
        page.wait_for_function("() => location.pathname.endsWith('/decide/')", timeout=TIMEOUT)
        # Material swaps the page in after the address changes: look up the widget on every poll.
        page.wait_for_function(
            "() => { const w = document.querySelector('[data-wm-widget]'); w?.scrollIntoView();"
            " return w?.dataset.wmState === 'live'; }",
            timeout=TIMEOUT,
        )
        out["second_page"] = _now(page) - start
    page.close()
    return out


# A reader scrolling from the top of the page half a screen at a time, this often (seconds).
READING_STEP_S = 1.0


def reader(context: Any, url: str) -> float:
    """Ms from the cost widget reaching mid-screen to its first answer, for a reader scrolling down at
    READING_STEP_S per half screen: what starting a widget before it shows saves a reader."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    top = "() => document.getElementById('wm-cost').getBoundingClientRect().top > innerHeight / 2"
    while page.evaluate(top):
        page.evaluate("() => window.scrollBy(0, innerHeight / 2)")
        time.sleep(READING_STEP_S)
    arrival = _now(page)
    _ask_turns(page)
    answered = _now(page)
    page.close()
    return answered - arrival


CONTENDERS = {
    "ours (cost widget)": ("/site/ai/", True),
    "floor (bare worker)": ("/floor/", False),
    "floor, trimmed stdlib": ("/floor-trim/", False),
    "floor, our runtime files": ("/floor-ours/", False),
    "PyScript 0.7.31": ("/pyscript-page/", False),
    "markdown-exec 1.12.6": ("/mdexec/", False),
}


# Between the cold and the warm visit: Chromium writes its code caches (wasm and script) in the
# background after the cold visit; the pause lets them land before the warm visit, for every contender.
WARM_PAUSE_S = 2.0
THROTTLED = ("ours (cost widget)", "floor (bare worker)", "floor, trimmed stdlib", "floor, our runtime files")


def measure(root: pathlib.Path, runs: int, skip: set[str], throttled: int) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {name: [] for name in CONTENDERS if name not in skip}
    with serve(root) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for run in range(runs):
            for name in results:
                path, ours = CONTENDERS[name]
                profile = tempfile.TemporaryDirectory(prefix="bench-profile-")
                context = p.chromium.launch_persistent_context(
                    profile.name, executable_path=CHROMIUM, args=ARGS, headless=True
                )
                context.add_init_script(LONGTASKS)
                try:
                    cold = visit(context, root, base + path, ours)
                    time.sleep(WARM_PAUSE_S)
                    warm = visit(context, root, base + path, ours)
                    row = {**cold, "warm": warm["answer"]}
                    if ours:  # cold again, in a fresh context, as a reader scrolling down would meet it
                        context.close()
                        context = browser.new_context()
                        row["from_arrival"] = reader(context, base + path)
                    results[name].append(row)
                except Exception as error:
                    print(f"  {name} run {run + 1}: failed: {str(error).splitlines()[0]}", flush=True)
                finally:
                    context.close()
                    profile.cleanup()
            print(f"  browser run {run + 1}/{runs} done", flush=True)
        for run in range(throttled):
            for name in THROTTLED:
                path, ours = CONTENDERS[name]
                context = browser.new_context()
                context.add_init_script(LONGTASKS)
                try:
                    row = visit(context, root, base + path, ours, throttle=True)
                    results.setdefault(name + " @20 Mbit/s", []).append(row)
                except Exception as error:
                    print(f"  {name} throttled run {run + 1}: failed: {str(error).splitlines()[0]}", flush=True)
                finally:
                    context.close()
            print(f"  throttled run {run + 1}/{throttled} done", flush=True)
        browser.close()
    return results
