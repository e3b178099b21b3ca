"""axe-core finds no WCAG 2.2 AA problem in any widget, in any state, in either palette.

Every widget page is audited with its widgets static (no script), live (after a first
interaction), showing a result, and fallen back after a failed start, each time in
Material's light and dark palettes. The audit covers the widgets, not the theme around them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from helpers.browser import WIDGET_PAGES, Tour, wait_state, watch
from helpers.site import ROOT, Build
from helpers.widget_steps import PALETTES, first_step, palette, to_result, widget_ids

pytestmark = [pytest.mark.browser, pytest.mark.site]

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__audit__/axe.min.js"  # served by the test, never by the site
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STATES = ["static", "live", "result", "error"]

# axe over the page's widgets only; each finding filed under the widget it is in.
AUDIT_JS = """async (tags) => {
  const ids = [...document.querySelectorAll("[data-wm-widget]")].map((w) => w.id);
  const found = Object.fromEntries(ids.map((id) => [id, []]));
  const result = await axe.run({ include: ids.map((id) => ["#" + id]) }, { runOnly: { type: "tag", values: tags } });
  for (const rule of result.violations) for (const node of rule.nodes) {
    const id = document.querySelector(node.target[0])?.closest("[data-wm-widget]")?.id ?? "elsewhere";
    (found[id] = found[id] || []).push(`${rule.id} at ${node.target.join(" ")}: ${node.failureSummary}`);
  }
  return found;
}"""


def audit(page: Any, state: str, findings: dict[tuple[str, str, str], dict[str, list[str]]], path: str) -> None:
    """Run axe on the page in both palettes and file what it finds under (page, state, palette)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # From the site's own origin, so the page's Content-Security-Policy lets it run.
        page.add_script_tag(url=AXE_URL)
    for name in PALETTES:
        palette(page, name)
        findings[path, state, name] = page.evaluate(AUDIT_JS, TAGS)


@pytest.fixture(scope="module")
def findings(chromium, built_site: Build, serve, gate_figure: Callable[[str, str], None]):
    """axe's findings for every widget page, state and palette, by widget id."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the project root")
    base = serve(built_site.site)
    found: dict[tuple[str, str, str], dict[str, list[str]]] = {}

    def visit(state: str, prepare: Callable[[Any], None]) -> None:
        context = chromium.new_context()
        try:
            log = watch(context, base)
            # Registered after watch's route, so these answer first.
            context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE_JS, content_type="text/javascript"))
            prepare(context)
            page = context.new_page()
            page.goto(base, wait_until="load")
            page.evaluate("window.__wmVisit = 1")
            tour = Tour(page, base, log)
            for path in WIDGET_PAGES:
                page = tour.open(path)
                run(page, path, state)
        finally:
            context.close()

    def run(page: Any, path: str, state: str) -> None:
        ids = widget_ids(page)
        if state == "static":
            states = {page.get_attribute(f"#{element_id}", "data-wm-state") for element_id in ids}
            assert states == {"static"}, f"widgets on {path} didn't stay static: {states}"
            audit(page, "static", found, path)
        elif state == "error":
            for element_id in ids:
                wait_state(page, element_id, "error")
            audit(page, "error", found, path)
        else:
            for element_id in ids:
                wait_state(page, element_id, "live")
                first_step(page, element_id)
            audit(page, "live", found, path)
            for element_id in ids:
                to_result(page, element_id)
            audit(page, "result", found, path)

    # Static: widget.js answers with an empty module, so nothing starts.
    visit(
        "static",
        lambda context: context.route(
            "**/whatmatters/widget.*.js",
            lambda route: route.fulfill(
                status=200, content_type="text/javascript", body="// left static for the audit\n"
            ),
        ),
    )
    visit("live", lambda context: None)
    # Error: Pyodide can't be fetched, so every widget falls back.
    visit("error", lambda context: context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404)))
    total = sum(len(v) for by_widget in found.values() for v in by_widget.values())
    gate_figure("axe (widgets, WCAG 2.2 AA)", f"{total} violations in {len(found)} audits")
    return found


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_no_violations(findings, path: str, state: str, name: str) -> None:
    """axe reports nothing against the page's widgets in this state and palette."""
    by_widget = findings[path, state, name]
    assert WIDGET_PAGES[path] in by_widget, "the audit didn't cover the page's widgets"
    assert {element_id: problems for element_id, problems in by_widget.items() if problems} == {}
