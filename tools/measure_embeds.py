"""Measure each embed page's first state in Chromium and write decision/integrations/embed_heights.json.

    python tools/measure_embeds.py SITE_DIR     # a site built with `mkdocs build` (or published with --embeds)

Each page under SITE_DIR/embed/<name>/ is opened on its own at WIDTH pixels, in the light theme,
and measured once its widget is live: the height of its content (`.wm-embed`), which is what the
page reports to embed.js and what a plain iframe needs. The Embed guide page's snippets carry
these numbers (decision/integrations/embed_snippets.py); tests/browser/test_embed.py measures
again and compares. Rerun it after a change to a widget's first state or to the widget CSS.
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from decision.integrations.embed import embeds  # noqa: E402
from decision.integrations.embed_snippets import HEIGHTS_FILE  # noqa: E402
from decision.loading import knowledge  # noqa: E402
from helpers.browser import CHROMIUM, CHROMIUM_ARGS, LIVE_MS  # noqa: E402
from helpers.server import static_server  # noqa: E402

WIDTH = 720  # a docs site's content column
HEIGHT_JS = "() => Math.ceil(document.querySelector('.wm-embed').getBoundingClientRect().height)"
LIVE_JS = "() => document.querySelector('[data-wm-widget]')?.dataset.wmState === 'live'"


def measure(site: pathlib.Path, names: list[str], width: int = WIDTH) -> dict[str, int]:
    """{embed name: content height in px once live} for the embed pages of a built site."""
    from playwright.sync_api import sync_playwright

    found = {}
    with static_server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
        for name in names:
            page = context.new_page()
            page.goto(f"{base}embed/{name}/?theme=light")
            page.wait_for_function(LIVE_JS, timeout=LIVE_MS)
            found[name] = page.evaluate(HEIGHT_JS)
            page.close()
        browser.close()
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (pathlib.Path(argv[0]) / "embed").is_dir():
        print("usage: python tools/measure_embeds.py SITE_DIR (a built site with embed pages)", file=sys.stderr)
        return 2
    names = list(embeds(knowledge()))
    heights = measure(pathlib.Path(argv[0]), names)
    data = {"width": WIDTH, "theme": "light", "heights": heights}
    HEIGHTS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    for name, height in heights.items():
        print(f"{name:24} {height:5} px")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
