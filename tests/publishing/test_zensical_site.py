"""Issue 24: `zensical build` of this repository, then `whatmatters publish`, gives a site whose widgets go live.

The project is copied into a temp dir (Zensical keeps `site_dir` inside the project's folder, so
the repository's own `site/` is never written): zensical.toml, content/, overrides/ and the CLI
page's golden samples that pymdownx.snippets includes. Then the post-build command does what
MkDocs' hooks do, the folder is served from 127.0.0.1 and Chromium opens pages with widgets.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest

from helpers.browser import LIVE_MS, wait_state, watch
from helpers.site import ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser]

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
# What `zensical build` reads from the repository.
PROJECT = ("zensical.toml", "content", "overrides", "tests/cli/golden")
# The command zensical.toml's comment gives for our own site.
PUBLISH = re.search(r"^#\s+(whatmatters publish site .*)$", (ROOT / "zensical.toml").read_text("utf-8"), re.M)[1]
# A page per kind of host: a guide page with a flow, one with the cost calculator, an embed page.
LIVE = {"later/": "wm-flow-caching", "ai/": "wm-cost", "embed/screen/": "wm-screen"}


def run(args: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    project = tmp_path_factory.mktemp("zensical")
    for name in PROJECT:
        source, target = ROOT / name, project / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    built = run(["-m", "zensical", "build", "--clean"], project)
    assert built.returncode == 0, built.stdout + built.stderr
    published = run(
        ["-m", "decision", *PUBLISH.split()[1:], "--pyodide", str(ROOT / "node_modules" / "pyodide")],
        project,
    )
    assert published.returncode == 0, published.stdout + published.stderr
    assert published.stdout.startswith("Published site as build-"), published.stdout
    return project / "site"


def test_every_guide_page_is_built_with_its_widgets(zensical_site: pathlib.Path) -> None:
    """Each page of the nav is there, its fences are widgets (no code block left), and it carries the policy."""
    for path in ("", "stages/", "later/", "ai/", "decide/", "cli/", "embed/", "about/"):
        page = (zensical_site / path / "index.html").read_text(encoding="utf-8")
        assert "language-whatmatters" not in page and "<code>widget:" not in page, path
        assert '<meta http-equiv="Content-Security-Policy"' in page, path
    later = (zensical_site / "later" / "index.html").read_text(encoding="utf-8")
    assert 'id="wm-flow-caching"' in later and 'data-wm-build="build-' in later
    assert "whatmatters cost" in (zensical_site / "cli" / "index.html").read_text(encoding="utf-8")  # the snippets
    assert (zensical_site / "embed.js").is_file() and (zensical_site / "embed" / "cost" / "index.html").is_file()
    guide = (zensical_site / "embed" / "index.html").read_text(encoding="utf-8")
    assert "https://whatmatterswhen.dev/embed.js" in guide and "data-wm-snippet" not in guide
    assert "Sitemap: https://whatmatterswhen.dev/sitemap.xml" in (zensical_site / "robots.txt").read_text("utf-8")
    palettes = sorted((zensical_site / "assets" / "stylesheets").glob("**/palette.*.css"))
    assert palettes and not any("[data-md-color-switching]" in p.read_text("utf-8") for p in palettes)


def test_widgets_go_live_in_chromium(zensical_site: pathlib.Path, serve: Any, chromium: Any) -> None:
    """Served as a static host would, every sampled widget starts its engine and goes live, with no console error."""
    base = serve(zensical_site, "/")
    context = chromium.new_context()
    log = watch(context, base)
    try:
        for path, element in LIVE.items():
            page = context.new_page()
            page.goto(base + path)
            wait_state(page, element, "live", LIVE_MS)
            page.close()
    finally:
        context.close()
    # Zensical's search writes its styles as a <style> in a shadow root, which our policy's
    # style-src 'self' refuses (its hash isn't in any page); the widgets need nothing of it.
    errors = [e for e in log.errors if "Applying inline style violates" not in e]
    assert errors == [] and log.foreign == []
