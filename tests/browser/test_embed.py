"""Embedding the widgets in other people's docs: embed.js, a plain iframe, the fence, Sphinx.

The host page is served from a second 127.0.0.1 port (another origin) with its own strict
policy; other sites (MkDocs with the plugin, Sphinx) are built into temp dirs. Each browser
test shares one Chromium per module; every embed loads its own engine, one at a time.
"""

from __future__ import annotations

import importlib
import pathlib
import shutil
import subprocess
import sys
import urllib.parse
from typing import Any

import markdown
import pytest

from helpers.browser import LIVE_MS, PAGE_PROBE, wait_for_engine
from helpers.site import BUILD_ENV, ROOT, Build

pytestmark = pytest.mark.browser

PYODIDE = ROOT / "node_modules" / "pyodide"
BY_SCRIPT = [("flow", "caching"), ("stage", ""), ("plan", ""), ("cost", ""), ("conversation", ""), ("screen", "")]
UNAVAILABLE = "This What Matters When widget isn't available."
HOSTILE = [
    "<script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    '"><img src=x onerror="window.__pwned=1">',
    "__proto__",
    "constructor",
    "../../index",
    "FLOW",
    "x" * 100_000,
]
LIVE_JS = "() => document.querySelector('[data-wm-widget]')?.dataset.wmState === 'live'"
CONTENT_HEIGHT_JS = "() => Math.ceil(document.querySelector('.wm-embed').getBoundingClientRect().height)"


def host_page(ours: str, body: str) -> str:
    """An "other docs" page: its policy allows our origin only for embed.js and for frames."""
    origin = ours.rstrip("/")
    policy = f"default-src 'none'; script-src {origin}/embed.js; frame-src {origin}; style-src 'none'"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}"><title>Other docs</title>'
        f'<script src="{ours}embed.js" async></script></head><body><h1>Our runbook</h1>{body}</body></html>'
    )


@pytest.fixture(scope="module")
def origins(built_site: Build, serve: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Our built site on one port, the host's pages on another."""
    ours = serve(built_site.site)
    host_dir = tmp_path_factory.mktemp("host")
    divs = "".join(
        f'<section><h2>{w}</h2><div data-whatmatters="{w}"{f" data-topic={t!r}" if t else ""} data-theme="dark">'
        f'<a href="{ours}embed/">fallback</a></div></section>'
        for w, t in BY_SCRIPT
    )
    frame = f'<section><h2>iframe</h2><iframe id="plain" src="{ours}embed/plan/" title="Plan" height="600" allow="clipboard-write"></iframe></section>'
    (host_dir / "index.html").write_text(host_page(ours, divs + frame), encoding="utf-8")
    hostile = []
    for i, value in enumerate(HOSTILE):
        attr = value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        hostile += [
            f'<div class="h" id="w{i}" data-whatmatters="{attr}"></div>',
            f'<div class="h" id="t{i}" data-whatmatters="flow" data-topic="{attr}"></div>',
            f'<div class="h" id="m{i}" data-whatmatters="cost" data-theme="{attr}"></div>',
        ]
    (host_dir / "hostile.html").write_text(host_page(ours, "".join(hostile)), encoding="utf-8")
    return {"ours": ours, "host": serve(host_dir)}


_OPEN: list[Any] = []


@pytest.fixture(autouse=True)
def _close_contexts() -> Any:
    """Close each test's browser context even when it fails, so no engine keeps running after it."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def open_context(chromium: Any, allowed: list[str], width: int = 1000) -> tuple[Any, list[str], list[str]]:
    """A context that records console errors and blocks any origin but `allowed`."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    _OPEN.append(context)
    context.add_init_script(PAGE_PROBE)
    errors: list[str] = []
    foreign: list[str] = []
    origins = {f"{p.scheme}://{p.netloc}" for p in map(urllib.parse.urlsplit, allowed)}

    def route(handler: Any) -> None:
        parts = urllib.parse.urlsplit(handler.request.url)
        if parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}" in origins:
            handler.continue_()
        else:
            foreign.append(handler.request.url)
            handler.abort()

    context.route("**/*", route)
    context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    context.on("weberror", lambda e: errors.append(str(e.error)))
    return context, errors, foreign


def embed_frame(page: Any, selector: str) -> Any:
    """Scroll an embed into view (a lazy frame loads then) and return its frame once it shows our page."""
    handle = page.locator(selector).element_handle()
    handle.scroll_into_view_if_needed()
    page.wait_for_function("f => f.contentWindow !== null", arg=handle)
    frame = handle.content_frame()
    for _ in range(200):
        if "/embed/" in frame.url:
            break
        page.wait_for_timeout(50)
    frame.wait_for_load_state()
    return frame


def answer_a_click(frame: Any) -> None:
    """Click the first control the widget declares, or change its first field, and wait for the engine."""
    asked = frame.evaluate("window.__wmProbe.asked")
    body = frame.locator(".wm-body")
    clickable = body.locator("[data-wm-set], input[type=checkbox]")
    if clickable.count():
        clickable.first.click()
    else:
        fields = body.locator("input:not([type=hidden]), textarea")
        field = fields.first
        field.fill("7" if field.get_attribute("type") == "number" else "Ignore all previous instructions.")
        field.dispatch_event("change")
    wait_for_engine(frame, asked)


def frame_height(page: Any, selector: str) -> int:
    return int(page.locator(selector).get_attribute("height"))


class TestOnAnotherOrigin:
    def test_every_widget_goes_live_answers_and_sizes_its_frame(self, chromium: Any, origins: dict[str, Any]) -> None:
        """Each widget by script and one by plain iframe goes live, answers a click, and its frame follows its content."""
        # A phone-wide host: the flow's diagram sits under its questions, so a verdict adds height.
        context, errors, foreign = open_context(chromium, [origins["ours"], origins["host"]], width=560)
        page = context.new_page()
        page.goto(origins["host"], wait_until="load")
        page.wait_for_function("document.querySelectorAll('section iframe').length === 7")
        figures = []
        for i, (widget, _) in enumerate(BY_SCRIPT):
            selector = f"section:nth-of-type({i + 1}) iframe"
            frame = embed_frame(page, selector)
            frame.wait_for_function(LIVE_JS, timeout=LIVE_MS)
            assert frame.evaluate("document.body.dataset.mdColorScheme") == "slate"
            page.wait_for_function(
                "([s, h]) => Number(document.querySelector(s).height) === h",
                arg=[selector, frame.evaluate(CONTENT_HEIGHT_JS)],
            )
            before = frame_height(page, selector)
            if widget == "flow":
                for answer in ("yes", "yes", "yes", "yes"):  # repeated, slow, tuned, a bigger database: try it first
                    asked = frame.evaluate("window.__wmProbe.asked")
                    frame.locator(f".wm-body [data-wm-set^='answers.'][data-wm-value='{answer}']").first.click()
                    wait_for_engine(frame, asked)
                assert frame.locator(".wm-body .wm-verdict").count()
            else:
                answer_a_click(frame)
            page.wait_for_function(
                "([s, h]) => Number(document.querySelector(s).height) === h",
                arg=[selector, frame.evaluate(CONTENT_HEIGHT_JS)],
            )
            after = frame_height(page, selector)
            figures.append(f"{widget} {before}->{after}px")
            if widget == "flow":
                assert after > before, f"the flow's frame didn't grow with its verdict ({before} -> {after})"
        plain = embed_frame(page, "#plain")
        plain.wait_for_function(LIVE_JS, timeout=LIVE_MS)
        answer_a_click(plain)
        assert frame_height(page, "#plain") == 600
        print("embed heights:", ", ".join(figures))
        assert not errors, errors
        assert not foreign, foreign

    def test_copy_works_inside_a_cross_origin_frame(
        self, chromium: Any, origins: dict[str, Any], built_site: Build
    ) -> None:
        """Issue 28, finding 4: the frames embed.js makes, and the documented plain iframe, allow
        clipboard-write and nothing else, so Copy link works in a widget framed by another origin."""
        context, errors, _ = open_context(chromium, [origins["ours"], origins["host"]])
        for origin in (origins["ours"], origins["host"]):
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin.rstrip("/"))
        page = context.new_page()
        page.goto(origins["host"], wait_until="load")
        page.wait_for_function("document.querySelectorAll('section iframe').length === 7")
        for selector in ("section:nth-of-type(2) iframe", "#plain"):
            assert page.locator(selector).get_attribute("allow") == "clipboard-write", selector
            frame = embed_frame(page, selector)
            frame.wait_for_function(LIVE_JS, timeout=LIVE_MS)
            status = frame.locator(".wm-status")
            frame.click("[data-wm-action=copy-link]")
            frame.wait_for_function("el => el.textContent !== ''", arg=status.element_handle(), timeout=LIVE_MS)
            assert status.text_content() == "Copied.", (selector, status.text_content())
            assert "/embed/" in page.evaluate("() => navigator.clipboard.readText()")
        guide = (built_site.site / "embed" / "index.html").read_text(encoding="utf-8")
        assert guide.count('allow="clipboard-write"') >= 2  # the snippet to copy, and the live one
        assert not errors, errors

    def test_only_its_own_frames_messages_of_the_right_shape_resize(
        self, chromium: Any, origins: dict[str, Any]
    ) -> None:
        """A message of the wrong shape, or from another window, leaves the frame's height alone."""
        context, errors, _ = open_context(chromium, [origins["ours"], origins["host"]])
        page = context.new_page()
        page.goto(origins["host"], wait_until="load")
        selector = "section:nth-of-type(3) iframe"
        frame = embed_frame(page, selector)
        frame.wait_for_function(LIVE_JS, timeout=LIVE_MS)
        page.wait_for_function(
            "([s, h]) => Number(document.querySelector(s).height) === h",
            arg=[selector, frame.evaluate(CONTENT_HEIGHT_JS)],
        )
        height = frame_height(page, selector)
        for message in (
            "{source: 'whatmatters', v: 2, height: 77}",
            "{source: 'other', v: 1, height: 77}",
            "{source: 'whatmatters', v: 1, height: '77'}",
            "{source: 'whatmatters', v: 1, height: 1e9}",
            "{source: 'whatmatters', v: 1, height: -5}",
            "'whatmatters'",
        ):
            frame.evaluate(f"parent.postMessage({message}, '*')")
        page.evaluate("window.postMessage({source: 'whatmatters', v: 1, height: 77}, '*')")
        other = embed_frame(page, "section:nth-of-type(2) iframe")
        other.evaluate("parent.postMessage({source: 'whatmatters', v: 1, height: 33}, '*')")
        page.wait_for_timeout(300)
        assert frame_height(page, selector) == height
        assert not errors, errors


class TestHostileOptions:
    def test_script_attributes_are_never_reflected(self, chromium: Any, origins: dict[str, Any]) -> None:
        """Hostile widget names, topics and themes give a neutral note or a known page, never markup."""
        context, errors, _ = open_context(chromium, [origins["ours"], origins["host"]])
        page = context.new_page()
        page.goto(origins["host"] + "hostile.html", wait_until="load")
        page.wait_for_function("[...document.querySelectorAll('.h')].every((d) => d.children.length === 1)")
        ours = origins["ours"]
        for i, value in enumerate(HOSTILE):
            for kind in "wtm":
                inner = page.locator(f"#{kind}{i}").inner_html()
                child = page.evaluate(f"document.querySelector('#{kind}{i}').firstElementChild.outerHTML")
                assert value not in inner and "javascript:" not in inner and "onerror" not in inner
                if kind == "m":
                    assert page.locator(f"#{kind}{i} iframe").get_attribute("src") == f"{ours}embed/cost/", child
                else:
                    assert page.locator(f"#{kind}{i}").inner_text() == UNAVAILABLE, child
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 1
        assert not errors, errors

    def test_query_values_are_never_reflected(self, chromium: Any, origins: dict[str, Any]) -> None:
        """Hostile query values on an embed page change nothing but an allowlisted theme."""
        context, errors, _ = open_context(chromium, [origins["ours"]])
        page = context.new_page()
        for value in (v[:8000] for v in HOSTILE):  # an address of 8 KB; servers refuse much longer ones
            query = urllib.parse.urlencode({"theme": value, "widget": value, "topic": value, value[:200]: value})
            page.goto(f"{origins['ours']}embed/flow-caching/?{query}", wait_until="load")
            html = page.content()
            assert value not in html and "__pwned" not in html
            assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
            assert page.evaluate("window.__pwned") is None
        assert not errors, errors


def build_other_mkdocs(root: pathlib.Path) -> pathlib.Path:
    """A team's handbook on MkDocs: the plugin, its own rules (MVP ends at 10 users), fences in an admonition and a list."""
    shutil.copytree(ROOT / "decision" / "data", root / "rules")
    stages = root / "rules" / "stages.toml"
    text = stages.read_text(encoding="utf-8")
    assert text.count("max_users = 100\n") == 1
    stages.write_text(text.replace("max_users = 100\n", "max_users = 10\n"), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(
        '# Handbook\n\n!!! note "Where are we?"\n\n    ```whatmatters\n    widget: stage\n    users: 5\n    ```\n\n'
        "1. First, caching:\n\n    ```whatmatters\n    widget: flow\n    topic: caching\n    ```\n",
        encoding="utf-8",
    )
    (root / "mkdocs.yml").write_text(
        "site_name: Handbook\ntheme:\n  name: material\n  font: false\nmarkdown_extensions:\n  - admonition\n"
        f"plugins:\n  - whatmatters:\n      data_dir: rules\n      pyodide_dir: {PYODIDE}\n",
        encoding="utf-8",
    )
    site = root / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return site


class TestOtherSites:
    def test_an_mkdocs_site_with_its_own_rules(self, chromium: Any, serve: Any, tmp_path: pathlib.Path) -> None:
        """The plugin's site goes live in Chromium and answers from its own changed threshold."""
        site = build_other_mkdocs(tmp_path)
        html = (site / "index.html").read_text(encoding="utf-8")
        assert 'class="admonition note"' in html and "<li>" in html and html.count('data-wm-widget="') == 2
        base = serve(site)
        context, errors, foreign = open_context(chromium, [base])
        page = context.new_page()
        page.goto(base, wait_until="load")
        page.locator("#wm-stage").scroll_into_view_if_needed()
        page.wait_for_function("document.getElementById('wm-stage').dataset.wmState === 'live'", timeout=LIVE_MS)
        asked = page.evaluate("window.__wmProbe.asked")
        page.fill("#wm-stage input[name=users]", "50")
        wait_for_engine(page, asked)
        # 50 users: MVP by the package's rules (up to 100), Alpha by this site's (MVP ends at 10).
        page.wait_for_function("document.querySelector('#wm-stage [data-wm-stage]').dataset.wmStage === 'alpha'")
        assert not errors, errors
        assert not foreign, foreign

    def test_zensical_equivalent_conversion(self, built_site: Build) -> None:
        """Python-Markdown set up as Zensical reads mkdocs.yml gives the same widget HTML as our MkDocs build."""
        fence = "```whatmatters\nwidget: flow\ntopic: caching\n```\n"

        def dotted(name: str) -> Any:
            module, _, attr = name.rpartition(".")
            return getattr(importlib.import_module(module), attr)

        custom = {
            "name": "whatmatters",
            "class": "whatmatters",
            "format": dotted("decision.fence.format"),
            "validator": dotted("decision.fence.validator"),
        }
        built = (built_site.site / "later" / "index.html").read_text(encoding="utf-8")
        import re

        built = re.sub(r' data-wm-build="build-[0-9a-f]+"', "", built)
        for extensions in (["whatmatters", "pymdownx.superfences"], ["pymdownx.superfences"]):
            md = markdown.Markdown(
                extensions=["admonition", *extensions],
                extension_configs={"pymdownx.superfences": {"custom_fences": [custom]}},
            )
            html = md.convert(fence)
            widget = html[html.index("<div") : html.rindex("</div>") + len("</div>")]
            assert 'id="wm-flow-caching"' in widget
            assert widget in built, extensions

    def test_a_sphinx_project(self, chromium: Any, serve: Any, tmp_path: pathlib.Path) -> None:
        """A Sphinx project with one reST and one MyST page: both render the widget, which goes live."""
        src = tmp_path / "src"
        src.mkdir()
        (src / "conf.py").write_text(
            f'project = "Handbook"\nextensions = ["decision.sphinx", "myst_parser"]\n'
            f"whatmatters_pyodide_dir = {str(PYODIDE)!r}\n",
            encoding="utf-8",
        )
        (src / "index.rst").write_text(
            "Handbook\n========\n\n.. toctree::\n\n   costs\n\n.. whatmatters::\n\n   widget: flow\n   topic: caching\n",
            encoding="utf-8",
        )
        (src / "costs.md").write_text("# Costs\n\n```{whatmatters}\nwidget: stage\nusers: 5\n```\n", encoding="utf-8")
        out = tmp_path / "out"
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert 'data-wm-widget="stage"' in (out / "costs.html").read_text(encoding="utf-8")
        base = serve(out)
        context, errors, foreign = open_context(chromium, [base])
        page = context.new_page()
        for path, wid in (("index.html", "wm-flow-caching"), ("costs.html", "wm-stage")):
            page.goto(base + path, wait_until="load")
            page.locator(f"#{wid}").scroll_into_view_if_needed()
            page.wait_for_function(f"document.getElementById('{wid}').dataset.wmState === 'live'", timeout=LIVE_MS)
        assert not errors, errors
        assert not foreign, foreign
