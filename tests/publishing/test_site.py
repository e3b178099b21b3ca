"""The built site: a clean strict build, every page there, engine HTML exactly as the engine makes it."""

from __future__ import annotations

import html
import html.parser
import json
import pathlib
import re
import shutil
import tomllib
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from decision import api
from decision.loading import knowledge, load
from helpers.site import ROOT, Build, mkdocs_build, nav_pages, page_path, site_config

pytestmark = pytest.mark.site

CONTENT = ROOT / "content"
DATA = ROOT / "decision" / "data"
# A fence may be indented (inside an admonition or a ??? details block): its closing line matches.
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})[ \t]*whatmatters[ \t]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")


def page_html(site: pathlib.Path, page: str) -> pathlib.Path:
    """Where MkDocs writes a page: a.md -> a/index.html, index.md -> index.html."""
    return site / page_path(page) / "index.html"


def div_inner(text: str, start: int) -> str:
    """The HTML inside the <div> whose opening tag ends at `start`, up to its matching </div>."""
    depth = 1
    for tag in DIV_TAG.finditer(text, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return text[start : tag.start()]
    raise AssertionError(f"unclosed <div> at offset {start}")


def fences(markdown_text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, name, options) for each ```whatmatters fence in a page's Markdown, in order."""
    found = []
    # A fence shown as an example inside a longer code fence is code, not a widget.
    shown = re.sub(r"^(?P<mark>`{4,}|~{4,}).*?^(?P=mark)[ \t]*$", "", markdown_text, flags=re.M | re.S)
    for match in FENCE.finditer(shown):
        options = {}
        for line in match.group(3).splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
        kind = "table" if "table" in options else "widget"
        found.append((kind, options.pop(kind), options))
    return found


def as_value(text: str, like: Any) -> Any:
    """A fence option's text read as the type the widget's request holds it in."""
    if isinstance(like, bool):
        return {"true": True, "false": False}.get(text, text)
    if isinstance(like, (int, float)):
        return type(like)(text.replace("_", "").replace(",", ""))
    return text


def divs(text: str, css_class: str) -> Iterator[tuple[dict[str, str], str]]:
    """(attributes, inner HTML) of each <div> with a given class, in document order."""
    for tag in DIV_TAG.finditer(text):
        attrs = {k: html.unescape(v) for k, v in ATTRIBUTE.findall(tag.group(0))}
        if not tag.group(1) and css_class in attrs.get("class", "").split():
            yield attrs, div_inner(text, tag.end())


def generated_tables(page: str) -> list[tuple[str, str]]:
    """(name, inner HTML) of each generated table on a built page, in order."""
    return [(attrs["data-wm-table"], inner) for attrs, inner in divs(page, "wm-generated")]


def widgets(page: str) -> list[tuple[str, dict[str, Any], str]]:
    """(name, request, inner HTML of its .wm-body) of each widget on a built page, in order."""
    found = []
    for attrs, element in divs(page, "wm-widget"):
        bodies = [inner for _, inner in divs(element, "wm-body")]
        assert bodies, f"widget '{attrs.get('data-wm-widget')}' has no .wm-body"
        found.append((attrs["data-wm-widget"], json.loads(attrs["data-wm-request"]), bodies[0]))
    return found


def engine_html(
    request: dict[str, Any], data: pathlib.Path | None = None, render: dict[str, bool] | None = None
) -> str:
    """The HTML the engine's one door renders for a request (with the widget's render options, if any)."""
    response = api.handle({**request, "render": render or True}, load(data) if data else None)
    assert response["ok"], f"the engine refused {request}: {response.get('error')}"
    return response["html"]


def pages_with_fences() -> list[str]:
    """The content pages that place at least one table or widget."""
    return sorted(
        p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.md") if FENCE.search(p.read_text(encoding="utf-8"))
    )


class _ForeignRefs(html.parser.HTMLParser):
    """Collects src/href values of elements that load something, pointing at another origin."""

    LOADERS: ClassVar[set[str]] = {
        "script",
        "link",
        "img",
        "iframe",
        "source",
        "video",
        "audio",
        "embed",
        "track",
        "object",
    }

    def __init__(self, canonical: str) -> None:
        super().__init__()
        self.canonical = canonical
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.LOADERS:
            return
        values = dict(attrs)
        for name in ("src", "href", "data", "poster", "srcset"):
            value = (values.get(name) or "").strip()
            if not re.match(r"(?i)(https?:)?//", value):
                continue
            is_canonical = tag == "link" and values.get("rel") == "canonical" and value.startswith(self.canonical)
            if not is_canonical:
                self.found.append(f"<{tag} {name}={value!r}>")


class TestBuild:
    def test_strict_build_has_no_warnings(self, built_site: Build) -> None:
        """`mkdocs build --strict` prints no WARNING line."""
        warnings = [line for line in built_site.output.splitlines() if "WARNING" in line]
        assert warnings == []

    def test_every_nav_page_is_built(self, built_site: Build) -> None:
        """Each page in mkdocs.yml's nav has its HTML in the site."""
        pages = nav_pages()
        assert pages, "mkdocs.yml has no nav pages"
        missing = [p for p in pages if not page_html(built_site.site, p).is_file()]
        assert missing == []

    def test_every_content_page_is_in_the_nav(self) -> None:
        """No Markdown file in content/ is left out of the nav."""
        in_nav = set(nav_pages())
        on_disk = {p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.md")}
        assert on_disk - in_nav == set()


class TestGeneratedHtml:
    @pytest.mark.parametrize("page", pages_with_fences())
    def test_tables_are_the_engines(self, built_site: Build, page: str) -> None:
        """Each generated table is exactly the engine's HTML for the request its fence makes."""
        source = fences((CONTENT / page).read_text(encoding="utf-8"))
        built = generated_tables(page_html(built_site.site, page).read_text(encoding="utf-8"))
        wanted = [(name, options) for kind, name, options in source if kind == "table"]
        assert [name for name, _ in built] == [name for name, _ in wanted]
        for (name, inner), (_, options) in zip(built, wanted, strict=False):
            assert inner == engine_html({"v": 1, "op": "table", "name": name, **options})

    @pytest.mark.parametrize("page", pages_with_fences())
    def test_widgets_start_with_the_engines_first_state(self, built_site: Build, page: str) -> None:
        """Each widget carries its fence's request and shows exactly the engine's HTML for it."""
        specs = knowledge().widgets
        source = fences((CONTENT / page).read_text(encoding="utf-8"))
        built = widgets(page_html(built_site.site, page).read_text(encoding="utf-8"))
        wanted = [(name, options) for kind, name, options in source if kind == "widget"]
        assert [name for name, _, _ in built] == [name for name, _ in wanted]
        for (name, request, inner), (_, options) in zip(built, wanted, strict=False):
            assert request["v"] == 1 and request["op"] == specs[name].op
            assert {key: request.get(key) for key in options} == {
                key: as_value(text, request.get(key)) for key, text in options.items()
            }
            assert inner == engine_html(request, render=dict(specs[name].render))

    def test_the_site_places_tables_and_widgets(self, built_site: Build) -> None:
        """The guide's pages carry both generated tables and widgets, one per fence."""
        pages = [page_html(built_site.site, p).read_text(encoding="utf-8") for p in pages_with_fences()]
        sources = [fences((CONTENT / p).read_text(encoding="utf-8")) for p in pages_with_fences()]
        assert (
            sum(len(generated_tables(p)) for p in pages)
            == sum(kind == "table" for s in sources for kind, _, _ in s)
            > 0
        )
        assert sum(len(widgets(p)) for p in pages) == sum(kind == "widget" for s in sources for kind, _, _ in s) > 0


class TestDataDrivesThePage:
    NEW_PRICE = "0.07"  # per 1K input tokens, a figure no model in the seed has

    def test_a_changed_price_changes_the_price_table(self, built_site: Build, tmp_path: pathlib.Path) -> None:
        """With a copy of the data where one price changed, the AI costs page shows the new price."""
        data = tmp_path / "data"
        shutil.copytree(DATA, data)
        prices = data / "prices" / "seed-2024.toml"
        text, count = re.subn(
            r'(id = "gpt-4"\n(?:(?!\[\[).*\n)*?input = )[0-9.]+',
            rf"\g<1>{self.NEW_PRICE}",
            prices.read_text(encoding="utf-8"),
        )
        assert count == 1, "couldn't find GPT-4's input price in the seed price set"
        prices.write_text(text, encoding="utf-8")
        changed = {m["id"]: m for m in tomllib.loads(text)["model"]}["gpt-4"]
        assert str(changed["input"]) == self.NEW_PRICE

        done = mkdocs_build(tmp_path / "site", data_dir=data)
        assert done.returncode == 0, done.stdout
        # ai-costs.md shows the current prices first, then the seed's 2024 table this test edits
        (_, before) = generated_tables(page_html(built_site.site, "ai-costs.md").read_text(encoding="utf-8"))[-1]
        (_, after) = generated_tables(page_html(tmp_path / "site", "ai-costs.md").read_text(encoding="utf-8"))[-1]
        assert after != before
        assert f"${self.NEW_PRICE}<" in after and f"${self.NEW_PRICE}<" not in before
        assert after == engine_html({"v": 1, "op": "table", "name": "prices", "set": "seed-2024"}, data)


class TestSelfContained:
    def test_no_page_loads_anything_from_another_origin(self, built_site: Build) -> None:
        """No script, stylesheet, image or frame on any page comes from another origin."""
        canonical = site_config().get("site_url", "") or "\0"
        found = {}
        for page in sorted(built_site.site.rglob("*.html")):
            parser = _ForeignRefs(canonical)
            parser.feed(page.read_text(encoding="utf-8"))
            if parser.found:
                found[page.relative_to(built_site.site).as_posix()] = parser.found
        assert found == {}

    def test_theme_fonts_are_off(self, built_site: Build) -> None:
        """`theme.font` is false and nothing in the site mentions Google Fonts."""
        assert site_config()["theme"].get("font") is False
        mentions = [
            p.name
            for p in built_site.site.rglob("*")
            if p.suffix in (".html", ".css", ".js")
            and "fonts.googleapis" in p.read_text(encoding="utf-8", errors="replace")
        ]
        assert mentions == []
