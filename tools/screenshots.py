"""Screenshots of every widget in every state, light and dark, desktop and phone.

    .venv/bin/python tools/screenshots.py [OUT]     (or: make screenshots)

Builds the site, serves it on 127.0.0.1, drives each widget with Debian's Chromium the way
the browser tests do (static, live after a first step, showing a result) and writes one PNG
per widget, state, palette and width to OUT (default: screenshots/, which git ignores),
named so that a reviewer can lay them side by side: <page>_<widget>_<state>_<palette>_<width>.png;
and every guide page, widgets live, as its first screen and whole: page_<page>_<first-screen|whole>_light_<width>.png.
Not part of `make test`: it judges nothing, it shows.
"""

from __future__ import annotations

import pathlib
import sys
import tempfile
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# The browser tests' own ways of building, serving and moving the widgets on.
from helpers.browser import CHROMIUM, CHROMIUM_ARGS, WIDGET_PAGES, wait_state  # noqa: E402
from helpers.server import static_server  # noqa: E402
from helpers.site import mkdocs_build, nav_pages, page_path  # noqa: E402
from helpers.widget_steps import first_step, palette, to_result, widget_ids  # noqa: E402

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
STATES = ("static", "loading", "live", "result", "invalid")


def shoot(page: Any, out: pathlib.Path, path: str, state: str, width: str) -> int:
    """One PNG per widget of the page in its present state, in both palettes."""
    written = 0
    for name in ("light", "dark"):
        palette(page, name)
        for element_id in widget_ids(page):
            target = out / f"{path.strip('/') or 'home'}_{element_id}_{state}_{name}_{width}.png"
            page.locator(f"#{element_id}").screenshot(path=str(target), animations="disabled")
            written += 1
    return written


def shoot_pages(browser: Any, base: str, out: pathlib.Path, width: str, size: tuple[int, int]) -> int:
    """Every guide page as a reader first sees it (its first screen) and whole, widgets live."""
    written = 0
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    for doc in nav_pages():
        path = page_path(doc)
        page.goto(base + path, wait_until="load")
        for element_id in widget_ids(page):
            wait_state(page, element_id, "live")
        page.evaluate("window.scrollTo(0, 0)")
        name = path.strip("/") or "home"
        page.screenshot(path=str(out / f"page_{name}_first-screen_light_{width}.png"), animations="disabled")
        page.screenshot(path=str(out / f"page_{name}_whole_light_{width}.png"), full_page=True, animations="disabled")
        written += 2
    context.close()
    return written


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[0] if argv else ROOT / "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        done = mkdocs_build(site)
        if done.returncode != 0:
            print(done.stdout, file=sys.stderr)
            return 1
        written = 0
        with static_server(site, "/") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for width, (w, h) in WIDTHS.items():
                written += shoot_pages(browser, base, out, width, (w, h))
                for path in WIDGET_PAGES:
                    # Static: widget.js answers with an empty module, so the page stays as built.
                    context = browser.new_context(viewport={"width": w, "height": h})
                    context.route(
                        "**/whatmatters/widget.*.js",
                        lambda route: route.fulfill(
                            status=200, content_type="text/javascript", body="// left static\n"
                        ),
                    )
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    written += shoot(page, out, path, "static", width)
                    context.close()
                    # Loading: the wasm download never finishes, so every widget shows its status.
                    context = browser.new_context(viewport={"width": w, "height": h})
                    context.route("**/pyodide.asm.wasm", lambda route: None)
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    for element_id in widget_ids(page):
                        wait_state(page, element_id, "loading")
                        page.wait_for_function(
                            "id => document.querySelector(`#${id} .wm-status`).textContent !== ''", arg=element_id
                        )
                    written += shoot(page, out, path, "loading", width)
                    context.close()
                    context = browser.new_context(viewport={"width": w, "height": h})
                    page = context.new_page()
                    page.goto(base + path, wait_until="load")
                    ids = widget_ids(page)
                    for element_id in ids:
                        wait_state(page, element_id, "live")
                        first_step(page, element_id)
                    written += shoot(page, out, path, "live", width)
                    for element_id in ids:
                        to_result(page, element_id)
                    written += shoot(page, out, path, "result", width)
                    # A field the engine refuses: its message beside it, the figures marked out of date.
                    fields = [i for i in ids if page.locator(f"#{i} input[type=number]").count()]
                    for element_id in fields:
                        page.fill(f"#{element_id} input[type=number] >> nth=0", "-5")
                        page.wait_for_selector(f"#{element_id} [aria-invalid=true]")
                    if fields:
                        written += shoot(page, out, path, "invalid", width)
                    context.close()
                    print(f"{width} {path}: done", flush=True)
            browser.close()
    print(f"{written} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
