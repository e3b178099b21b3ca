"""Gate 2: HTTPS only, nothing from other hosts (gate 6, valid HTML and links, is test_gate_html.py).

- Plain HTTP: every HTML, CSS, JSON, XML and script file the site serves is read for
  `http://`. XML namespace names (`http://www.w3.org/2000/svg` and the like) are
  identifiers no browser fetches, so they are allowed by exact value.
- Third parties: no page or stylesheet loads anything from another host (the browser
  test in test_browser_site.py counts the requests pages actually make).
"""

from __future__ import annotations

import html.parser
import pathlib
import re
import urllib.parse

import pytest

from helpers.browser import runtime_file
from helpers.site import Build, copy_site, site_config

# XML namespace names: fixed http:// identifiers from the SVG, XLink, XHTML and sitemap specs.
NAMESPACES = frozenset(
    {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
        "http://www.w3.org/1999/xhtml",
        "http://www.sitemaps.org/schemas/sitemap/0.9",
    }
)
TEXT_FILES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".webmanifest")
# Material's vendored search scripts (lunr and its language packs) carry http:// only in their
# licence comments, which no browser requests; test_browser_site proves no request leaves the site.
VENDORED = re.compile(r"^assets/javascripts/")
PLAIN_HTTP = re.compile(r"http://[^\s\"'<>)\\]*", re.IGNORECASE)


# --- plain HTTP ------------------------------------------------------------------------


class _Urls(html.parser.HTMLParser):
    """Every http:// in a page's attributes (namespace declarations aside) and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and not (name == "xmlns" or name.startswith("xmlns:")):
                self.found += [f"<{tag} {name}> {url}" for url in PLAIN_HTTP.findall(value)]

    def handle_data(self, data: str) -> None:
        self.found += [f"text: {url}" for url in PLAIN_HTTP.findall(data) if url not in NAMESPACES]

    def handle_comment(self, data: str) -> None:
        self.handle_data(data)


def plain_http(site: pathlib.Path) -> tuple[dict[str, list[str]], int]:
    """({file: [plain-HTTP URLs]}, files read) for a built site."""
    found, read = {}, 0
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or path.suffix not in TEXT_FILES or VENDORED.match(name):
            continue
        read += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            parser = _Urls()
            parser.feed(text)
            parser.close()
            urls = parser.found
        else:
            urls = [url for url in PLAIN_HTTP.findall(text) if url not in NAMESPACES]
        if urls:
            found[name] = urls
    return found, read


class TestNoPlainHttp:
    def test_no_http_url_in_the_built_site(self, built_site: Build, gate_figure) -> None:
        """No page, stylesheet, script or data file of the site holds an http:// URL."""
        found, read = plain_http(built_site.site)
        gate_figure("HTTPS", f"{sum(map(len, found.values()))} http:// URLs in {read} files read")
        assert read > 10 and found == {}

    def test_the_site_url_is_https(self) -> None:
        """The canonical address the site publishes under starts with https://."""
        assert site_config()["site_url"].startswith("https://")

    @pytest.mark.parametrize(
        "where, plant",
        [
            ("never-skip/index.html", ("</article>", '<a href="http://example.com/">x</a></article>')),
            ("never-skip/index.html", ("</article>", "<p>see http://example.com/ for more</p></article>")),
            ("assets/whatmatters/whatmatters.css", ("", "\n.x { background: url(http://example.com/a.png) }\n")),
            ("assets/whatmatters/widget.js", ("", '\nconst X = "http://example.com/";\n')),
        ],
        ids=["attribute", "text", "css", "script"],
    )
    def test_a_planted_http_url_fails(
        self, built_site: Build, tmp_path: pathlib.Path, where: str, plant: tuple[str, str]
    ) -> None:
        """In a copy of the site, one http://example.com planted in a page, stylesheet or script is found."""
        site = copy_site(built_site.site, tmp_path / "site")
        target = (
            runtime_file(site, where.rsplit("/", 1)[1]) if where.startswith("assets/whatmatters/") else site / where
        )
        where = target.relative_to(site).as_posix()  # the runtime's files carry a content hash
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(*plant, 1) if plant[0] else text + plant[1], encoding="utf-8")
        found, _ = plain_http(site)
        assert list(found) == [where] and len(found[where]) == 1 and "http://example.com/" in found[where][0]


# --- no third-party resources ----------------------------------------------------------

# What a page loads by itself, as opposed to links a reader may follow.
LOADING_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
        "manifest",
    }
)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


class _Resources(html.parser.HTMLParser):
    """The URLs a page loads: sources, posters, objects, stylesheets and icons, inline CSS urls."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster", "data"):
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]
        if tag == "link" and LOADING_RELS & set(values.get("rel", "").lower().split()):
            self.urls.append(values.get("href", ""))
        self.urls += CSS_URL.findall(values.get("style", ""))


def third_parties(site: pathlib.Path, site_url: str) -> tuple[list[str], int]:
    """([file: URL] for every resource the site loads from another host, resources checked)."""
    own = urllib.parse.urlsplit(site_url).netloc
    found, checked = [], 0
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            parser = _Resources()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            urls = parser.urls
        elif path.suffix == ".css":
            urls = CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace"))
        else:
            continue
        for url in urls:
            checked += 1
            parts = urllib.parse.urlsplit(url)
            if parts.netloc and parts.netloc != own:
                found.append(f"{path.relative_to(site).as_posix()}: {url}")
    return found, checked


class TestNoThirdPartyResources:
    def test_nothing_is_loaded_from_another_host(self, built_site: Build, gate_figure) -> None:
        """No page or stylesheet loads a script, style, image, font or frame from any host but the site's."""
        found, checked = third_parties(built_site.site, site_config()["site_url"])
        gate_figure("No third parties (built pages)", f"{len(found)} of {checked} resources from other hosts")
        assert checked > 50 and found == []

    @pytest.mark.parametrize(
        "where, plant",
        [
            ("never-skip/index.html", ("</head>", '<script src="https://cdn.example.com/x.js"></script></head>')),
            ("never-skip/index.html", ("</head>", '<link rel="stylesheet" href="//fonts.example.com/a.css"></head>')),
            ("assets/whatmatters/whatmatters.css", ("", "\n@import 'https://fonts.example.com/b.css';\n")),
        ],
        ids=["script", "stylesheet", "css-import"],
    )
    def test_a_planted_third_party_fails(
        self, built_site: Build, tmp_path: pathlib.Path, where: str, plant: tuple[str, str]
    ) -> None:
        """In a copy of the site, one script, stylesheet or import from another host is found."""
        site = copy_site(built_site.site, tmp_path / "site")
        target = (
            runtime_file(site, where.rsplit("/", 1)[1]) if where.startswith("assets/whatmatters/") else site / where
        )
        where = target.relative_to(site).as_posix()  # the runtime's files carry a content hash
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(*plant, 1) if plant[0] else text + plant[1], encoding="utf-8")
        found, _ = third_parties(site, site_config()["site_url"])
        assert len(found) == 1 and found[0].startswith(where) and "example.com" in found[0]
