"""Issue 24, item 6: the Embed page's iframe heights are each widget's real first-state height.

tools/measure_embeds.py measured them into decision/integrations/embed_heights.json; here
Chromium measures every embed page of the built site again, the same way, and the built Embed
page must carry exactly the recorded numbers, with the site's own address in every snippet.
"""

from __future__ import annotations

import html
import pathlib
import re
import sys

import pytest

from decision.integrations import embed_snippets
from decision.integrations.embed import embeds
from decision.loading import knowledge
from helpers.site import ROOT, Build, site_config

sys.path.insert(0, str(ROOT / "tools"))
import measure_embeds

pytestmark = pytest.mark.browser

TOLERANCE = 3  # px: a font's rounding between two runs, never a changed widget
IFRAME = re.compile(r'&lt;iframe src="([^"]+)embed/([\w-]+)/\?theme=light"\s+title="[^"]*" width="100%" height="(\d+)"')
ROW = re.compile(r"<tr><td>[^<]*</td><td><code>([^<]+)embed/([\w-]+)/</code></td><td>(\d+)</td></tr>")


def off(measured: dict[str, int], recorded: dict[str, int]) -> list[str]:
    """Every embed whose recorded height is more than TOLERANCE px from the measured one."""
    return [
        f"{name}: recorded {recorded.get(name)} px, measured {height} px"
        for name, height in measured.items()
        if recorded.get(name) is None or abs(recorded[name] - height) > TOLERANCE
    ]


@pytest.fixture(scope="module")
def guide(built_site: Build) -> str:
    return (built_site.site / "embed" / "index.html").read_text(encoding="utf-8")


def test_the_recorded_heights_are_the_rendered_ones(built_site: Build) -> None:
    """Chromium's height of every embed page, live, at the recorded width, is the recorded one within 3 px."""
    recorded = embed_snippets.heights()
    assert recorded["width"] == measure_embeds.WIDTH and recorded["theme"] == "light"
    names = list(embeds(knowledge()))
    assert sorted(recorded["heights"]) == sorted(names)
    measured = measure_embeds.measure(built_site.site, names, recorded["width"])
    print("embed heights:", ", ".join(f"{n} {h}" for n, h in measured.items()))
    assert off(measured, recorded["heights"]) == []


def test_a_stale_height_is_caught() -> None:
    """A widget that grew by a line fails the comparison; a pixel of rounding doesn't."""
    assert off({"cost": 1984, "stage": 1101}, {"cost": 1940, "stage": 1100}) == [
        "cost: recorded 1940 px, measured 1984 px"
    ]


def test_the_page_carries_the_recorded_heights_and_the_sites_address(guide: str) -> None:
    """The plain-iframe snippet, the table of every embed page and the live frame use the recorded numbers."""
    recorded = embed_snippets.heights()["heights"]
    site = site_config()["site_url"].rstrip("/") + "/"
    snippets = IFRAME.findall(guide)
    assert snippets and all(address == site and int(h) == recorded[n] for address, n, h in snippets)
    rows = ROW.findall(guide)
    assert sorted(n for _, n, _ in rows) == sorted(recorded)
    assert all(html.unescape(address) == site and int(h) == recorded[n] for address, n, h in rows)
    (live,) = re.findall(r'<iframe src="\.\./embed/([\w-]+)/"[^>]* height="(\d+)"', guide)
    assert int(live[1]) == recorded[live[0]]
    assert "data-wm-snippet" not in guide  # every placeholder was filled
    width = embed_snippets.heights()["width"]
    assert f"{width} pixels wide" in (ROOT / "content" / "embed.md").read_text(encoding="utf-8")


def test_a_fork_names_its_own_address(tmp_path: pathlib.Path) -> None:
    """Filled for another site_url, no snippet names ours; with none, a plain stand-in."""
    page = (ROOT / "content" / "embed.md").read_text(encoding="utf-8")
    titles = {name: title for name, (title, _) in embeds(knowledge()).items()}
    ours = site_config()["site_url"].rstrip("/")
    fork = embed_snippets.fill_guide_page(page, "https://fork.example/handbook", titles)
    assert "https://fork.example/handbook/embed.js" in fork and "frame-src https://fork.example/handbook" in fork
    assert ours not in fork and "data-wm-snippet" not in fork
    assert embed_snippets.NO_ADDRESS + "embed.js" in embed_snippets.fill_guide_page(page, None, titles)
    with pytest.raises(embed_snippets.SnippetError, match="no embed page"):
        embed_snippets.fill_guide_page('<div data-wm-snippet="iframe" data-wm-embed="nope"></div>', None, titles)


def test_the_mkdocs_example_keeps_search() -> None:
    """The two lines of mkdocs.yml list MkDocs' search beside ours: a plugins list replaces the default."""
    page = (ROOT / "content" / "embed.md").read_text(encoding="utf-8")
    assert "```yaml\nplugins: [search, whatmatters]\n```" in page


def test_no_address_of_ours_is_typed_into_the_page() -> None:
    """The Embed page's snippets are all generated: the Markdown names no published address."""
    page = (ROOT / "content" / "embed.md").read_text(encoding="utf-8")
    assert site_config()["site_url"].rstrip("/") not in page
