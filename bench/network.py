"""`make bench-network`: the first answer as a reader on a real line meets it, and with no line at all.

Served as GitHub Pages serves (gzip on the wire, `Cache-Control: max-age=600`: lighthouse.GzipHandler),
at localhost and through DevTools' network emulation at 20 Mbit/s (40 ms round trips) and 5 Mbit/s
(80 ms), each contender in a fresh browser context, contenders interleaved, medians of BENCH_RUNS:

- ours, link: the AI page opened from a link to the cost widget that carries 7 turns (the address
  a widget writes when a reader shares it), so the widget is in the first viewport and asks the
  floor's very request;
- ours, link, no bundle (localhost only): the same with Material's bundle taken out of the
  page (no search, no instant navigation), to show which long tasks and how much of the first
  paint are Material's;
- ours, scroll: the AI page opened at the top, the cost widget (below the fold) scrolled into
  view after load, 7 turns typed, the answer: a reader finding the widget;
- the floor: a bare worker page that loads exactly the files our site ships (peers.py, floor-ours)
  and answers the same request: what any page would need to do the same;
- offline: ours again in a context that visited once, with the network taken away
  (`set_offline`): the service worker answers.

Per row: time from navigation to the answer, its ratio to the floor, main-thread long tasks, the
bytes on the wire, and the peak memory of the page's renderer process (page and worker; Linux
/proc). The floor at each speed is the physical one: the floor row's bytes on the wire divided by
the bandwidth, plus the bare worker's start-up at localhost. Prints one table; writes nothing.
"""

from __future__ import annotations

import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import browser
import lighthouse as lh
import peers
from run import ENV, ROOT

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# name: (bits per second, round trip in ms); None is the machine's own loopback.
LINES: dict[str, tuple[float, float] | None] = {
    "localhost": None,
    "20 Mbit/s": (20e6, 40),
    "5 Mbit/s": (5e6, 80),
}
# name: (path, our page?); LINK is filled in by main() with the address the widget shares.
CONTENDERS = {
    "ours, link": ("/site/ai/LINK", True),
    "ours, link, no bundle": ("/site/ai/no-bundle.htmlLINK", True),
    "ours, scroll": ("/site/ai/", True),
    "floor": ("/floor-ours/", False),
}
LOCAL_ONLY = ("ours, link, no bundle",)
BUNDLE_TAG = re.compile(r'<script defer src="[^"]*/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')
KEPT_JS = """async () => {
  for (const name of await caches.keys()) {
    const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
    if (urls.some((u) => u.endsWith("pyodide.asm.mjs")) && urls.some((u) => u.endsWith("/site/ai/"))) return true;
  }
  return false;
}"""


FIRST_PAINT_JS = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"


def without_bundle(page: pathlib.Path) -> pathlib.Path:
    """`page` with Material's bundle taken out, beside it (the same relative addresses)."""
    text, n = BUNDLE_TAG.subn("", page.read_text(encoding="utf-8"))
    assert n == 1, f"expected one bundle tag in {page}, found {n}"
    out = page.with_name("no-bundle.html")
    out.write_text(text, encoding="utf-8")
    return out


def renderers() -> set[int]:
    """Chromium's renderer processes now running."""
    found = set()
    for proc in pathlib.Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if b"--type=renderer" in (proc / "cmdline").read_bytes():
                    found.add(int(proc.name))
            except OSError:
                continue
    return found


def peak_kb(pid: int) -> int:
    try:
        for line in (pathlib.Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def visit(
    context: Any, root: pathlib.Path, url: str, ours: bool, line: tuple[float, float] | None, before: set[int]
) -> dict[str, float]:
    """One visit in `context`; `before` are the renderers that ran before the context (not its own)."""
    page = context.new_page()
    meter = browser.Meter(page, root)
    if line is not None:
        browser.emulate(context, page, *line)
    page.goto(url, wait_until="load")
    if "#wm=" in url:
        browser.restored(page)
    else:
        browser._answered(page, ours)
    answer = float(page.evaluate("() => performance.now()"))
    time.sleep(0.2)
    mine = renderers() - before  # the context's own renderer, the worker's thread inside it
    row = {
        "answer": answer,
        "longtasks": sum(page.evaluate("() => window.__lt")),
        "paint": float(page.evaluate(FIRST_PAINT_JS)),
        "wire": meter.total()[0],
        "peak_mb": max((peak_kb(pid) for pid in mine), default=0) / 1024,
    }
    page.close()
    return row


def offline(chromium: Any, root: pathlib.Path, base: str) -> dict[str, float]:
    """One visit online, then the same page with no network: the service worker answers."""
    before = renderers()
    context = chromium.new_context()
    context.add_init_script(browser.LONGTASKS)
    try:
        visit(context, root, base + "/site/ai/", True, None, before)  # scrolled to, typed: the widget shares
        page = context.new_page()
        page.goto(base + "/site/", wait_until="load")
        until = time.monotonic() + 60
        while not page.evaluate(KEPT_JS):
            if time.monotonic() > until:
                raise RuntimeError("the runtime was not kept within 60 s")
            time.sleep(0.25)
        page.close()
        context.set_offline(True)
        return visit(context, root, base + "/site/ai/", True, None, before)
    finally:
        context.close()


def med(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rows) if rows else float("nan")


def table(results: dict[str, list[dict[str, float]]]) -> str:
    out = [
        "| Line | Contender | Answer from navigation | vs floor | Physical floor | vs physical | First paint "
        "| Long tasks | On the wire | Renderer peak |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    start = med(results.get("localhost floor", []), "answer")
    for line in LINES:
        floor = med(results.get(f"{line} floor", []), "answer")
        spec = LINES[line]
        for name in CONTENDERS:
            rows = results.get(f"{line} {name}", [])
            if not rows:
                continue
            physical = start if spec is None else med(rows, "wire") * 8 / spec[0] * 1000 + start
            answer = med(rows, "answer")
            out.append(
                f"| {line} | {name} | {answer / 1000:.2f} s | {answer / floor:.2f}x | {physical / 1000:.2f} s | "
                f"{answer / physical:.2f}x | {med(rows, 'paint'):.0f} ms | {med(rows, 'longtasks'):.0f} ms | {med(rows, 'wire') / 1e6:.2f} MB | "
                f"{med(rows, 'peak_mb'):.0f} MB |"
            )
    rows = results.get("offline ours", [])
    if rows:
        out.append(
            f"| offline (second visit) | ours, scroll | {med(rows, 'answer') / 1000:.2f} s | - | - | - | "
            f"{med(rows, 'paint'):.0f} ms | "
            f"{med(rows, 'longtasks'):.0f} ms | {med(rows, 'wire') / 1e6:.2f} MB | {med(rows, 'peak_mb'):.0f} MB |"
        )
    return "\n".join(out)


def main() -> None:
    from playwright.sync_api import sync_playwright

    from decision.packing.archive import build_archive
    from decision.packing.stdlib import write_trimmed_stdlib

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        site = work / "site"
        mkdocs = [str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "--strict", "-d", str(site)]
        subprocess.run(mkdocs, cwd=ROOT, env=ENV, check=True)
        archive = build_archive(work / "engine")
        stdlib = write_trimmed_stdlib(peers.PYODIDE / "python_stdlib.zip", work / "stdlib")
        root = work / "root"
        peers.lay_out(root, site, archive, stdlib)
        without_bundle(root / "site" / "ai" / "index.html")
        results: dict[str, list[dict[str, float]]] = {}
        with browser.serve(root, lh.GzipHandler) as base, sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.ARGS, headless=True)
            link = browser.shared_link(chromium, base + "/site/ai/")
            contenders = {name: (path.replace("LINK", link), ours) for name, (path, ours) in CONTENDERS.items()}
            for run in range(RUNS):
                for line, spec in LINES.items():
                    for name, (path, ours) in contenders.items():
                        if name in LOCAL_ONLY and spec is not None:
                            continue
                        before = renderers()
                        context = chromium.new_context()
                        context.add_init_script(browser.LONGTASKS)
                        context.add_init_script(browser.STATIC_RESULT)
                        try:
                            row = visit(context, root, base + path, ours, spec, before)
                            results.setdefault(f"{line} {name}", []).append(row)
                        finally:
                            context.close()
                results.setdefault("offline ours", []).append(offline(chromium, root, base))
                print(f"  network run {run + 1}/{RUNS} done", flush=True)
            chromium.close()
    print(f"\nThe first answer on a line, served as Pages serves (gzip, max-age=600); medians of {RUNS} runs.\n")
    print(table(results))
    print(f"\nTook {time.perf_counter() - started:,.0f} s.")


if __name__ == "__main__":
    main()
