"""Shared by the GitHub Pages tests: the check that a built site points at its own address everywhere."""

from __future__ import annotations

import pathlib
import re
import urllib.parse
import xml.etree.ElementTree as ET

from decision.publishing import pages as publish


def check_address(site: pathlib.Path, site_url: str) -> None:
    """robots.txt, the sitemap, canonical links and the 404 page all name `site_url`."""
    assert (site / "robots.txt").read_text(encoding="utf-8") == publish.robots_txt(site_url)
    assert f"Sitemap: {site_url}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    locs = [
        e.text
        for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert locs and all(loc.startswith(site_url) for loc in locs)
    for loc in locs:
        page = site / loc[len(site_url) :] / "index.html"
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', page.read_text(encoding="utf-8"))
        assert canonical == [loc], page
    # Each embed page names the guide page its widget lives on as its canonical address, not noindex.
    embeds = sorted((site / "embed").glob("*/index.html"))
    assert len(embeds) >= 12
    for page in embeds:
        text = page.read_text(encoding="utf-8")
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', text)
        assert len(canonical) == 1 and canonical[0] in locs and "noindex" not in text, page
        host = (site / canonical[0][len(site_url) :] / "index.html").read_text(encoding="utf-8")
        widget = page.parent.name
        assert f'id="wm-{widget}"' in host or (canonical[0] == f"{site_url}embed/" and widget in host), page
    base = urllib.parse.urlsplit(site_url).path
    absolute = re.findall(r'(?:href|src)="(/[^"]*)"', (site / "404.html").read_text(encoding="utf-8"))
    assert absolute and all(url.startswith(base) for url in absolute)
