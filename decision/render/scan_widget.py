"""HTML for "Check my project": the folder picker, then the scan's report and the plan it builds."""

from __future__ import annotations

import json
from typing import Any

from ..formatting import counted, esc
from .plan_widget import plan_lists

# Findings shown per basic; the report's JSON (and the terminal's --json) lists them all.
SHOWN_FINDINGS = 20


def _finding(f: dict[str, Any]) -> str:
    return (
        f'<li><code class="wm-where">{esc(f["file"])}:{esc(f["line"])}</code> {esc(f["message"])}'
        f'<br><span class="wm-fix">Fix: {esc(f["fix"])}</span></li>'
    )


def _basics(result: dict[str, Any]) -> str:
    items = []
    for b in result["basics"]:
        mark = "pass" if b["passed"] else "fix"
        shown = "".join(_finding(f) for f in b["findings"][:SHOWN_FINDINGS])
        more = len(b["findings"]) - SHOWN_FINDINGS
        rest = f"<li>and {esc(counted(more, 'more finding', 'more findings'))}</li>" if more > 0 else ""
        found = f'<ul class="wm-findings">{shown}{rest}</ul>' if shown else ""
        items.append(
            f'<li class="wm-basic wm-basic--{mark}" data-wm-basic="{esc(b["id"])}">'
            f"<strong>{'Pass' if b['passed'] else 'Fix'}</strong>: {esc(b['name'])}{found}</li>"
        )
    return f'<ul class="wm-basics">{"".join(items)}</ul>'


def _signals(result: dict[str, Any]) -> str:
    labels = {s["id"]: s["label"] for s in result["plan"]["fields"]}
    if not result["signals"]:
        return "<p>The code settles none of the plan's signals; the plan assumes the simpler answer for each.</p>"
    items = "".join(
        f'<li data-wm-signal="{esc(ident)}">{esc(labels.get(ident, ident))}: '
        f"<strong>{'yes' if value is True else esc(value)}</strong></li>"
        for ident, value in result["signals"].items()
    )
    asked = ", ".join(labels.get(s, s) for s in result["asked"])
    return f'<ul class="wm-measured">{items}</ul><p>Not settled by the code, so still for you to answer in the planner: {esc(asked)}.</p>'


def _in_place(result: dict[str, Any]) -> str:
    parts = []
    if result["in_place"]:
        items = "".join(
            f"<li>{esc(i['name'])}" + (f" ({esc(i['evidence'][0]['file'])})" if i["evidence"] else "") + "</li>"
            for i in result["in_place"]
        )
        parts.append(f'<p class="wm-subtitle">Already in place</p><ul class="wm-in-place">{items}</ul>')
    for item in result["too_much"]:
        parts.append(
            f'<div class="wm-too-much"><p class="wm-subtitle">More than you need yet: {esc(item["name"])}</p>'
            f"<p>{esc(item['reason'])}</p><p>{esc(item['keep_cost'])}</p></div>"
        )
    return "".join(parts)


def _fill(result: dict[str, Any]) -> str:
    """What the page's planner takes from the scan: the signals the code settled, merged into its answers."""
    fill = json.dumps({"signals": result["signals"]}, sort_keys=True)
    return f'<div hidden data-wm-fill="plan" data-wm-fill-request="{esc(fill)}"></div>'


def _report(result: dict[str, Any]) -> str:
    skipped = ", ".join(f"{n:,} {why}" for why, n in result["skipped"].items())
    read = counted(result["files_read"], "file", "files") + (f", skipped {skipped}" if skipped else "")
    outcome = "The four basics pass" if result["passed"] else "A basic needs fixing"
    return (
        f'<p class="wm-title" tabindex="-1">{esc(outcome)}</p><p class="wm-help">Read {esc(read)}.</p>'
        f"{_basics(result)}"
        f'<p class="wm-subtitle">Signals from the code</p>{_signals(result)}{_in_place(result)}'
        f'<p class="wm-subtitle">The plan, from what the code shows</p>{plan_lists(result["plan"])}'
        f"{_fill(result)}"
    )


def scan_widget(result: dict[str, Any]) -> str:
    picker = (
        '<form class="wm-form wm-scan-form"><label>Your project\'s folder '
        '<input type="file" name="folder" webkitdirectory multiple data-wm-files '
        f'data-wm-skip-dirs="{esc(" ".join(result["skip_dirs"]))}" '
        f'data-wm-max-bytes="{esc(result["max_file_bytes"])}"></label></form>'
        '<p class="wm-private">The files stay on your computer: this page reads them and the engine checks them '
        "in your browser. Nothing is uploaded or sent anywhere.</p>"
    )
    if result["scanned"]:
        body = _report(result)
    else:
        body = (
            '<p class="wm-title" tabindex="-1">Nothing checked yet</p>'
            "<p>Pick your project's folder and the engine reads its code: the four basics, "
            "the signals the plan needs, and what is already in place.</p>"
        )
    return f'<div class="wm-scan">{picker}<div class="wm-result" data-wm-swap="result" role="status">{body}</div></div>'
