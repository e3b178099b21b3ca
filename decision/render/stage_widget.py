"""The stage finder: how many users and what they rely on in, the stage with its focus and checklist out."""

from __future__ import annotations

from typing import Any

from ..formatting import esc
from .html import checklist


def stage_widget(result: dict[str, Any]) -> str:
    s = result["stage"]

    def tick(key: str, label: str) -> str:
        on = " checked" if result.get(key) else ""
        return (
            f'<label class="wm-check"><input type="checkbox" name="{key}" data-wm-key="{key}" '
            f'data-wm-type="bool"{on}> {label}</label>'
        )

    form = (
        f'<form class="wm-form" data-wm-form="stage" data-wm-clears="checked">'
        f'<label>Users <input type="number" name="users" data-wm-key="users" data-wm-type="count" min="0" '
        f'step="1" value="{esc(result["users"])}"></label>'
        f"{tick('depends', 'People depend on it working')}{tick('pays', 'People pay for it')}</form>"
    )
    raised = "".join(
        f'<p class="wm-subtitle">{esc(g["why"])}</p><ul class="wm-safeguards">'
        + "".join(f"<li>{esc(item)}</li>" for item in g["items"])
        + "</ul>"
        for g in result.get("safeguards", ())
    )
    body = (
        f'<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">{esc(s["name"])}: {esc(s["question"])}</p>'
        f'<p class="wm-reason">{esc(result["reason"])}</p>'
        f"<p>{esc(s['meaning'])}</p>"
        f'<dl class="wm-facts"><dt>Who uses it</dt><dd>{result["users"]:,} people</dd>'
        f"<dt>Users at this stage</dt><dd>{esc(s['users'])}</dd><dt>Typical length</dt>"
        f"<dd>{esc(s['takes'])}</dd><dt>Put your effort into</dt><dd>{esc(s['focus'])}</dd>"
        f"<dt>Leave for later</dt><dd>{esc(s['skip'])}</dd></dl>"
        f'<p class="wm-subtitle">What you should have by now</p>'
        f"{checklist(s['checklist'], 'checked', result.get('checked', ()), live_key='checked')}{raised}</div>"
    )
    return f'<div class="wm-stage" data-wm-stage="{esc(s["id"])}">{form}{body}</div>'
