"""Gate 6: valid HTML, no broken link or anchor.

- HTML validity: npm html-validate (pinned in package.json) with the committed
  `.htmlvalidate.json`, over every built page and the HTML the engine renders.
- Links: every internal href/src of every page resolves to a file, and every #anchor
  names an id in its target page.
"""

from __future__ import annotations

import html.parser
import json
import pathlib
import posixpath
import re
import subprocess
import urllib.parse

import pytest

from decision.api import handle
from helpers.corpus import GOOD
from helpers.site import ROOT, Build, copy_site, site_config

HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.json"
# Rules .htmlvalidate.json switches off, each because of markup Material writes, not ours.
DISABLED = {
    # Material's drawer and search toggles are checkboxes with autocomplete="off" on purpose
    # (it stops Firefox restoring them open); test_autocomplete_is_only_materials keeps ours out.
    "valid-autocomplete": "Material's md-toggle checkboxes",
}


# --- HTML validity ---------------------------------------------------------------------


def html_validate(files: list[pathlib.Path], report: pathlib.Path) -> list[tuple[str, int, str, str]]:
    """html-validate's errors for `files`, with the project's config, as (file, line, rule, message)."""
    if not HTML_VALIDATE.exists():
        pytest.fail(f"{HTML_VALIDATE} is missing: run `npm ci` (html-validate is pinned in package.json)")
    done = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(CONFIG), "--formatter", f"json={report}", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.exists(), done.stderr or done.stdout
    results = json.loads(report.read_text(encoding="utf-8") or "[]")
    errors = [
        (r["filePath"], m["line"], m["ruleId"], m["message"])
        for r in results
        for m in r["messages"]
        if m["severity"] == 2
    ]
    assert (done.returncode == 0) == (errors == []), done.stderr
    return errors


def engine_pages(dest: pathlib.Path) -> list[pathlib.Path]:
    """Each good corpus request's rendered HTML, as the body of a minimal page, one file each."""
    dest.mkdir(parents=True, exist_ok=True)
    pages = []
    for i, request in enumerate(r for r in GOOD if r.get("render")):
        response = handle(request)
        assert response["ok"], (request, response)
        page = dest / f"{i:03d}-{request['op']}.html"
        page.write_text(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>engine</title>\n'
            f"</head>\n<body>\n<main>\n{response['html']}\n</main>\n</body>\n</html>\n",
            encoding="utf-8",
        )
        pages.append(page)
    return pages


class TestHtmlValidate:
    def test_the_built_pages_are_valid(self, built_site: Build, tmp_path: pathlib.Path, gate_figure) -> None:
        """html-validate finds no error in any page of the built site."""
        pages = sorted(built_site.site.rglob("*.html"))
        errors = html_validate(pages, tmp_path / "report.json")
        gate_figure("HTML validity (site)", f"{len(errors)} html-validate errors in {len(pages)} pages")
        assert errors == []

    def test_the_engines_html_is_valid(self, tmp_path: pathlib.Path, gate_figure) -> None:
        """html-validate finds no error in the HTML the engine renders for every good corpus request."""
        pages = engine_pages(tmp_path / "engine")
        errors = html_validate(pages, tmp_path / "report.json")
        gate_figure("HTML validity (engine)", f"{len(errors)} html-validate errors in {len(pages)} rendered answers")
        assert pages and errors == []

    @pytest.mark.parametrize(
        "plant, rule",
        [
            ("<div><span>never closed</div>", "close-order"),
            ('<p id="one">a</p><p id="one">b</p>', "no-dup-id"),
            ("<ul><p>not a list item</p></ul>", "element-permitted-content"),
            ('<button type="wrong">x</button>', "attribute-allowed-values"),
        ],
        ids=["close-order", "duplicate-id", "content-model", "attribute-value"],
    )
    def test_invalid_html_fails(self, built_site: Build, tmp_path: pathlib.Path, plant: str, rule: str) -> None:
        """A copy of a built page with one piece of invalid HTML planted in it fails html-validate on that rule."""
        page = tmp_path / "page.html"
        text = (built_site.site / "never-skip" / "index.html").read_text(encoding="utf-8")
        page.write_text(text.replace("</article>", plant + "</article>", 1), encoding="utf-8")
        assert rule in {found[2] for found in html_validate([page], tmp_path / "report.json")}

    def test_config_switches_off_only_documented_rules(self) -> None:
        """The committed config extends html-validate:standard and turns off only the rules listed with a reason."""
        config = json.loads(CONFIG.read_text(encoding="utf-8"))
        assert config["extends"] == ["html-validate:standard"]
        assert {name for name, level in config.get("rules", {}).items() if level == "off"} == set(DISABLED)

    def test_autocomplete_is_only_materials(self, built_site: Build) -> None:
        """The switched-off autocomplete rule hides nothing of ours: only Material's header inputs carry it."""
        carriers = set()
        for page in built_site.site.rglob("*.html"):
            for tag in re.findall(r"<[a-z]+\b[^>]*\bautocomplete=[^>]*>", page.read_text(encoding="utf-8")):
                carriers.add(re.search(r'(?:data-md-toggle|data-md-component)="([^"]*)"', tag)[1])
        assert carriers == {"drawer", "search", "search-query"}


# --- links and anchors -----------------------------------------------------------------


class _Links(html.parser.HTMLParser):
    """A page's ids and the URLs it points at."""

    ATTRIBUTES = ("href", "src", "action", "poster", "data", "formaction")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in self.ATTRIBUTES:
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


def read_page(path: pathlib.Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_links(site: pathlib.Path, site_url: str) -> tuple[list[str], int, int]:
    """(broken links and anchors, links checked, anchors checked) for every page of a built site."""
    pages = {p.relative_to(site).as_posix(): read_page(p) for p in sorted(site.rglob("*.html"))}
    base = urllib.parse.urlsplit(site_url)
    broken, links, anchors = [], 0, 0
    for name, page in pages.items():
        for url in page.urls:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "mailto", "blob") or (parts.scheme and parts.netloc != base.netloc):
                continue  # not a file of this site (other origins are test_no_http_url's and the browser's)
            links += 1
            if parts.netloc:  # an absolute URL on the site's own address, such as the canonical link
                path = posixpath.relpath(parts.path or "/", base.path or "/")
            elif parts.path.startswith("/"):
                path = parts.path.lstrip("/")
            else:
                path = posixpath.join(posixpath.dirname(name), urllib.parse.unquote(parts.path))
            path = posixpath.normpath(path) if parts.path or parts.netloc else name
            target = path if path != "." else ""
            if target.startswith(".."):
                broken.append(f"{name}: {url} leaves the site")
                continue
            if not (site / target).is_file():
                target = posixpath.join(target, "index.html") if target else "index.html"
            if not (site / target).is_file():
                broken.append(f"{name}: {url} (no file {target})")
                continue
            if parts.fragment:
                anchors += 1
                fragment = urllib.parse.unquote(parts.fragment)
                if target.endswith(".html") and fragment not in pages[target].ids:
                    broken.append(f"{name}: {url} (no id {fragment!r} in {target})")
    return broken, links, anchors


class TestLinks:
    def test_no_broken_link_or_anchor(self, built_site: Build, gate_figure) -> None:
        """Every internal link, script, stylesheet and image resolves, and every #anchor exists: 0 broken."""
        broken, links, anchors = broken_links(built_site.site, site_config()["site_url"])
        gate_figure(
            "Links",
            f"{len(broken)} broken of {links} internal links ({anchors} with anchors) "
            f"in {len(list(built_site.site.rglob('*.html')))} pages",
        )
        assert links > 100 and anchors > 10 and broken == []

    @pytest.mark.parametrize(
        "plant, problem",
        [
            ('<a href="../nowhere/">x</a>', "no file nowhere/index.html"),
            ('<a href="#no-such-heading">x</a>', "no id 'no-such-heading' in never-skip/index.html"),
            ('<a href="../ai/#no-such-heading">x</a>', "no id 'no-such-heading' in ai/index.html"),
            ('<img src="../assets/missing.png" alt="">', "no file assets/missing.png"),
        ],
        ids=["page", "anchor", "anchor-elsewhere", "image"],
    )
    def test_a_planted_broken_link_fails(
        self, built_site: Build, tmp_path: pathlib.Path, plant: str, problem: str
    ) -> None:
        """In a copy of the site, one broken link or anchor planted in a page is found and named."""
        site = copy_site(built_site.site, tmp_path / "site")
        page = site / "never-skip" / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("</article>", plant + "</article>", 1), encoding="utf-8"
        )
        broken, _, _ = broken_links(site, site_config()["site_url"])
        assert len(broken) == 1 and problem in broken[0]
