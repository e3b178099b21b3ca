"""The ```whatmatters fence: golden HTML for every table and widget, and clear errors for bad fences."""

from __future__ import annotations

import pathlib
import re
import shutil
import sys

import markdown
import pytest

from decision.integrations.markdown import FenceError
from decision.loading import knowledge
from decision.table_registry import TABLES
from helpers.site import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "tools"))
import regen_golden

GOLDEN = ROOT / "tests" / "integrations" / "golden"
SOURCES = sorted(GOLDEN.glob("*.md"))
NAMED = re.compile(r"^(table|widget):\s*(\S+)\s*$", re.M)


def convert(source: str, *extensions: str) -> str:
    """Markdown to HTML with the whatmatters extension plus any others named."""
    return markdown.markdown(source, extensions=["whatmatters", *extensions])


class TestGolden:
    @pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
    def test_html_matches_golden_file(self, source: pathlib.Path) -> None:
        """Each golden Markdown file renders to exactly the HTML stored beside it."""
        golden = source.with_suffix(".html")
        assert golden.is_file(), f"{golden.name} is missing: run `python tools/regen_golden.py`"
        rendered = regen_golden.render(source.read_text(encoding="utf-8"))
        assert rendered == golden.read_text(encoding="utf-8"), (
            f"{source.name} renders differently from {golden.name}; if the change is intended, "
            "run `python tools/regen_golden.py` and review the diff"
        )

    def test_no_golden_html_without_its_markdown(self) -> None:
        """Every golden .html file has the .md it was made from."""
        assert [p.name for p in GOLDEN.glob("*.html") if not p.with_suffix(".md").exists()] == []

    def test_every_table_and_widget_has_a_golden_file(self) -> None:
        """Each table the extension knows and each widget in the data appears in some golden file."""
        named = {m.groups() for p in SOURCES for m in NAMED.finditer(p.read_text(encoding="utf-8"))}
        wanted = {("table", t) for t in TABLES} | {("widget", w) for w in knowledge().widgets}
        assert wanted - named == set()


class TestOtherFences:
    PYTHON = 'def handle(request):\n    return {"ok": True, "html": "<p>not ours</p>"}\n'

    def test_python_fence_is_left_alone(self) -> None:
        """A ```python fence beside whatmatters fences comes out as an ordinary code block."""
        html = regen_golden.render((GOLDEN / "mixed.md").read_text(encoding="utf-8"))
        escaped = self.PYTHON.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        assert f'<pre><code class="language-python">{escaped}</code></pre>' in html
        assert "<pre><code>a plain fence: stays as it is\n</code></pre>" in html

    def test_site_fences_work_beside_superfences(self) -> None:
        """With the site's pymdownx.superfences, whatmatters fences render and all three code fences stay code."""
        html = convert((GOLDEN / "mixed.md").read_text(encoding="utf-8"), "pymdownx.superfences")
        assert html.count('class="wm-widget"') == 1
        assert html.count('data-wm-table="checklist"') == 1
        assert html.count('<div class="highlight">') == 3 and "&lt;p&gt;not ours&lt;/p&gt;" in html
        assert "```" not in html and "whatmatters\n" not in html

    def test_plain_code_fence_named_whatmatters_in_text_is_not_a_fence(self) -> None:
        """Only a line that is exactly a whatmatters fence opens one; inline mentions stay text."""
        html = convert("Write `` ```whatmatters `` on a line of its own.\n")
        assert "wm-" not in html and "whatmatters" in html

    def test_example_fence_inside_a_longer_fence_stays_code(self) -> None:
        """A whatmatters fence shown as an example inside a ````markdown fence is printed, not rendered."""
        source = "````markdown\n```whatmatters\ntable: not-a-table\n```\n````\n"
        html = convert(source, "fenced_code")
        assert "table: not-a-table" in html and "wm-" not in html


class TestDataDir:
    def test_data_dir_option_renders_from_a_copy(self, tmp_path: pathlib.Path) -> None:
        """With `data_dir` set, a table shows the copy's data, not the package's."""
        data = tmp_path / "data"
        shutil.copytree(ROOT / "decision" / "data", data)
        stages = data / "stages.toml"
        text = stages.read_text(encoding="utf-8")
        first_name = re.search(r'^name = "([^"]+)"', text, re.M)
        assert first_name, "stages.toml has no stage name to change"
        stages.write_text(text.replace(first_name.group(0), 'name = "Napkin sketch"', 1), encoding="utf-8")
        source = "```whatmatters\ntable: stages\n```\n"
        copied = markdown.markdown(
            source,
            extensions=["whatmatters"],
            extension_configs={"whatmatters": {"data_dir": str(data)}},
        )
        assert "Napkin sketch" in copied and "Napkin sketch" not in convert(source)


BAD_FENCES = {
    "unknown-table": ("table: nope", ["unknown table 'nope'", "prices"]),
    "unknown-widget": ("widget: nope", ["unknown widget 'nope'", "flow"]),
    "unknown-option": ("table: prices\ncolour: red", ["unknown option 'colour'", "table 'prices'"]),
    "unknown-widget-option": ("widget: plan\nusers: 5", ["unknown option 'users'", "widget 'plan'"]),
    "missing-required-table-option": ("table: checklist", ["table 'checklist' needs the option 'stage'"]),
    "missing-required-widget-option": ("widget: flow", ["widget 'flow' needs the option 'topic'"]),
    "bad-number": ("widget: cost\nrequests: lots", ["option 'requests'", "'lots' should be a number"]),
    "bad-flag": ("widget: stage\ndepends: maybe", ["option 'depends'", "should be true or false"]),
    "duplicate-key": ("table: checklist\nstage: mvp\nstage: beta", ["option 'stage' is given twice"]),
    "malformed-line": ("table: stages\njust some words", ["'just some words' should look like 'key: value'"]),
    "no-table-or-widget": ("stage: mvp", ["exactly one 'table:' or 'widget:' line"]),
    "both-table-and-widget": ("table: stages\nwidget: plan", ["exactly one 'table:' or 'widget:' line"]),
    "empty": ("", ["exactly one 'table:' or 'widget:' line"]),
    "unknown-stage": ("table: checklist\nstage: nope", ["table 'checklist'", "no stage 'nope'"]),
    "unknown-topic": ("widget: flow\ntopic: nope", ["widget 'flow'", "'nope'"]),
}


class TestBadFences:
    @pytest.mark.parametrize("body, expected", BAD_FENCES.values(), ids=BAD_FENCES.keys())
    def test_bad_fence_fails_with_a_clear_message(self, body: str, expected: list[str]) -> None:
        """A fence the engine can't render raises FenceError naming the fence's line and the problem."""
        with pytest.raises(FenceError) as failure:
            convert(f"# Title\n\n```whatmatters\n{body}\n```\n")
        message = str(failure.value)
        assert re.match(r"whatmatters fence at line [3-6]: ", message), message
        for part in expected:
            assert part in message

    def test_error_points_at_the_fence_line(self) -> None:
        """The message gives the line where the bad fence opens."""
        with pytest.raises(FenceError, match=r"fence at line 5: unknown table 'nope'"):
            convert("# Title\n\nText.\n\n```whatmatters\ntable: nope\n```\n")

    def test_error_points_at_a_malformed_line(self) -> None:
        """A line that isn't `key: value` is named by its own line number."""
        with pytest.raises(FenceError, match=r"line 4: 'oops' should look like 'key: value'"):
            convert("Text.\n\n```whatmatters\noops\n```\n")

    def test_unclosed_fence_fails(self) -> None:
        """A whatmatters fence that never closes stops the render and says so."""
        with pytest.raises(FenceError, match=r"line 3: the whatmatters fence is never closed"):
            convert("# Title\n\n```whatmatters\ntable: stages\n\nMore text.\n")

    def test_fence_closes_only_with_its_own_marker(self) -> None:
        """A ~~~ fence is not closed by ```, so a mismatched close is an unclosed fence."""
        with pytest.raises(FenceError, match="never closed"):
            convert("~~~whatmatters\ntable: stages\n```\n")

    @pytest.mark.site
    def test_mkdocs_build_names_the_page_and_the_option(self, tmp_path: pathlib.Path) -> None:
        """An MkDocs build with a bad fence fails, and its output names the page and the option."""
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "index.md").write_text("# Fine\n\n```whatmatters\ntable: stages\n```\n", encoding="utf-8")
        (docs / "bad.md").write_text("# Bad\n\n```whatmatters\ntable: prices\ncolour: red\n```\n", encoding="utf-8")
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            "site_name: Bad fence\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
            "markdown_extensions:\n  - whatmatters\n",
            encoding="utf-8",
        )
        done = mkdocs_build(tmp_path / "site", config=config)
        assert done.returncode != 0
        assert "Error reading page 'bad.md'" in done.stdout
        assert "unknown option 'colour'" in done.stdout


def widget_ids(html: str) -> list[str]:
    return re.findall(r'<div class="wm-widget" id="([^"]+)"', html)


def inside(html: str, outer: str) -> str:
    """The HTML after the first `outer` opening tag (where a nested widget must appear)."""
    assert outer in html, f"{outer} not in the output"
    return html.split(outer, 1)[1]


class TestPlacement:
    """A fence works wherever a fence can stand, and gets an id of its own."""

    def test_inside_an_admonition(self) -> None:
        """An indented fence in an admonition renders the widget inside the admonition, not a code block."""
        html = convert(
            '!!! tip "Try it"\n    ```whatmatters\n    widget: flow\n    topic: caching\n    ```\n', "admonition"
        )
        assert 'data-wm-widget="flow"' in inside(html, '<div class="admonition tip">')
        assert "<code" not in html

    def test_inside_a_content_tab(self) -> None:
        """In a pymdownx.tabbed tab the widget lands in the tab's content."""
        html = convert(
            '=== "Cost"\n\n    ```whatmatters\n    widget: cost\n    ```\n\n=== "Stage"\n\n'
            "    ```whatmatters\n    widget: stage\n    ```\n",
            "pymdownx.tabbed",
        )
        tabs = inside(html, 'class="tabbed-set')
        assert 'data-wm-widget="cost"' in tabs and 'data-wm-widget="stage"' in tabs
        assert "<code" not in html

    def test_inside_a_list_item(self) -> None:
        """A fence indented under a list item renders inside that item."""
        html = convert(
            "1. Find your stage:\n\n    ```whatmatters\n    widget: stage\n    users: 40\n    ```\n\n"
            "2. Then read its checklist.\n"
        )
        item = inside(html, "<li>")
        assert item.index('data-wm-widget="stage"') < item.index("</li>")
        assert "&quot;users&quot;:40" in html

    def test_two_widgets_of_one_kind_get_their_own_ids(self) -> None:
        """Two cost widgets on a page are wm-cost and wm-cost-2: separate elements, separate link state."""
        fence = "```whatmatters\nwidget: cost\n```\n"
        html = convert(
            f"{fence}\nText.\n\n{fence}\n!!! note\n    ```whatmatters\n    widget: cost\n    ```\n", "admonition"
        )
        assert widget_ids(html) == ["wm-cost", "wm-cost-2", "wm-cost-3"]

    def test_ids_start_afresh_on_the_next_page(self) -> None:
        """One Markdown instance converting page after page (as MkDocs and Zensical may) resets the ids."""
        md = markdown.Markdown(extensions=["whatmatters"])
        fence = "```whatmatters\nwidget: cost\n```\n"
        assert widget_ids(md.convert(fence + "\n" + fence)) == ["wm-cost", "wm-cost-2"]
        md.reset()
        assert widget_ids(md.convert(fence)) == ["wm-cost"]

    def test_a_fence_in_a_block_quote_fails_naming_the_line(self) -> None:
        """A fence the extension can't place stops the build with its line, never a silent code block."""
        with pytest.raises(FenceError, match=r"line 3: a fence in a block quote"):
            convert("# Title\n\n> ```whatmatters\n> widget: cost\n> ```\n")

    def test_an_indented_fence_whose_block_ends_first_fails(self) -> None:
        """An indented fence cut off by text at the margin is never closed, and says where it opened."""
        with pytest.raises(FenceError, match=r"line 2: the whatmatters fence is never closed"):
            convert("!!! tip\n    ```whatmatters\n    widget: cost\nOut of the admonition.\n    ```\n", "admonition")

    def test_superfences_custom_fence_gives_the_same_html(self) -> None:
        """Configured as a pymdownx.superfences custom fence by its dotted names (as Zensical resolves
        mkdocs.yml), the fence renders the same widget HTML, nested in an admonition too."""
        from decision.integrations import markdown as extension

        fence = {
            "name": "whatmatters",
            "class": "whatmatters",
            "format": extension.fence_format,
            "validator": extension.fence_validator,
        }
        source = "```whatmatters\nwidget: flow\ntopic: kubernetes\n```\n"
        ours = convert(source)
        theirs = markdown.markdown(
            source,
            extensions=["pymdownx.superfences"],
            extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
        )
        assert theirs == ours
        nested = markdown.markdown(
            "!!! tip\n\n    " + source.replace("\n", "\n    "),
            extensions=["admonition", "pymdownx.superfences"],
            extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
        )
        assert 'data-wm-widget="flow"' in inside(nested, '<div class="admonition tip">')

    @pytest.mark.site
    def test_mkdocs_build_names_the_page_and_line_of_a_misplaced_fence(self, tmp_path: pathlib.Path) -> None:
        """An MkDocs build with a fence in a block quote fails, naming the page and the line."""
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "index.md").write_text(
            "# Fine\n\n!!! tip\n    ```whatmatters\n    widget: cost\n    ```\n", encoding="utf-8"
        )
        (docs / "quoted.md").write_text(
            "# Quoted\n\nIntro.\n\n> ```whatmatters\n> widget: cost\n> ```\n", encoding="utf-8"
        )
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            "site_name: Misplaced\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
            "markdown_extensions:\n  - admonition\n  - whatmatters\n",
            encoding="utf-8",
        )
        done = mkdocs_build(tmp_path / "site", config=config)
        assert done.returncode != 0
        assert "Error reading page 'quoted.md'" in done.stdout
        assert "line 5" in done.stdout
