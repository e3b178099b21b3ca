"""The Embed guide page's snippets, written by the build with the site's own address and measured heights.

content/embed.md marks where a snippet goes with an empty element, `<div data-wm-snippet="KIND"
data-wm-embed="NAME"></div>`; after the build, `fill_guide_page` (called by write_embeds, so by
hooks/embed.py and `whatmatters publish --embeds`) replaces each with code that names the site
at `site_url`, so a fork's Embed page tells readers to embed the fork. Kinds:

    script   the embed.js tag and a div for the embed NAME
    iframe   a plain iframe of NAME, as tall as its first state
    frame    the live iframe of NAME on the Embed page itself, as tall as its first state
    heights  a table of every embed page, its address and the height of its first state
    origin   (a span) the site's origin and path, without the last slash, inside the page's prose

The heights come from embed_heights.json, which `python tools/measure_embeds.py SITE_DIR` writes
from Chromium: each embed page's content height once live, at the width the file names, in the
light theme. tests/browser/test_embed.py measures them again and compares. Build-time code.
"""

from __future__ import annotations

import html
import json
import pathlib
import re
from typing import Any

from ..formatting import esc

HEIGHTS_FILE = pathlib.Path(__file__).with_name("embed_heights.json")
# The address a snippet names when the site has no site_url: plainly a stand-in.
NO_ADDRESS = "https://your-site.example/"
_PLACEHOLDER = re.compile(
    r'<(?P<tag>div|span) data-wm-snippet="(?P<kind>[a-z]+)"(?: data-wm-embed="(?P<name>[\w-]+)")?></(?P=tag)>'
)
FALLBACK_HEIGHT = 600  # for an embed the measurement has not seen (a site's own flow)


class SnippetError(ValueError):
    """A placeholder on the Embed page names a kind or an embed that doesn't exist."""


def heights() -> dict[str, Any]:
    """{"width": px, "theme": "light", "heights": {embed name: px}} as measured last."""
    data: dict[str, Any] = json.loads(HEIGHTS_FILE.read_text(encoding="utf-8"))
    return data


def _code(language: str, text: str) -> str:
    # The shape Pygments gives a code block, so the theme styles it and adds its Copy button.
    code = html.escape(text, quote=False)
    return f'<div class="language-{language} highlight"><pre><span></span><code>{code}</code></pre></div>'


def _embed_attributes(name: str) -> str:
    widget, _, topic = name.partition("-")
    topic_attr = f' data-topic="{topic}"' if widget == "flow" and topic else ""
    return f'data-whatmatters="{widget}"{topic_attr}'


def snippet(kind: str, name: str | None, site: str, titles: dict[str, str], measured: dict[str, int]) -> str:
    """The HTML that stands for one placeholder."""
    if kind in ("script", "iframe", "frame") and name not in titles:
        raise SnippetError(f"the Embed page asks for a {kind} snippet of {name!r}, which is no embed page")
    if kind == "script":
        assert name is not None
        return _code(
            "html",
            f'<script src="{site}embed.js" async></script>\n\n'
            f'<div {_embed_attributes(name)} data-theme="auto">\n'
            f'  <a href="{site}embed/{name}/">{titles[name]}</a>\n</div>',
        )
    if kind == "iframe":
        assert name is not None
        return _code(
            "html",
            f'<iframe src="{site}embed/{name}/?theme=light"\n'
            f'        title="{titles[name]}" width="100%" height="{measured.get(name, FALLBACK_HEIGHT)}" '
            'loading="lazy"\n        allow="clipboard-write"></iframe>',
        )
    if kind == "frame":
        assert name is not None
        return (
            f'<iframe src="../embed/{name}/" title="{esc(titles[name])} (What Matters When)" class="wm-embed-frame" '
            f'height="{measured.get(name, FALLBACK_HEIGHT)}" loading="lazy" allow="clipboard-write"></iframe>'
        )
    if kind == "heights":
        rows = "".join(
            f"<tr><td>{esc(titles[n])}</td><td><code>{esc(site)}embed/{n}/</code></td>"
            f"<td>{measured.get(n, FALLBACK_HEIGHT)}</td></tr>"
            for n in titles
        )
        head = "<thead><tr><th>Widget</th><th>Embed page</th><th>height (px)</th></tr></thead>"
        return f"<table>{head}<tbody>{rows}</tbody></table>"  # the build's own numbers, not an engine table
    if kind == "origin":  # inline, inside the page's own words (its policy table)
        return esc(site.rstrip("/"))
    raise SnippetError(f"the Embed page asks for an unknown snippet {kind!r}")


def fill_guide_page(page: str, site_url: str | None, titles: dict[str, str]) -> str:
    """The Embed guide page with every placeholder replaced; the address is `site_url`'s."""
    site = site_url.rstrip("/") + "/" if site_url else NO_ADDRESS
    measured = heights()["heights"]
    return _PLACEHOLDER.sub(lambda m: snippet(m["kind"], m["name"], site, titles, measured), page)
