"""The one renderer: HTML for every widget state and generated table, stdlib only.

The same functions run at build time (CPython, through the Markdown extension) and in
the reader's browser (Pyodide, in the worker), so a request renders to identical HTML in
both places. Each takes an operation's result and nothing else (never the knowledge),
and every string that comes from data or from a reader goes through `esc`.

    html.py                 the small pieces: tables, checklists, verdict boxes
    forms.py                the calculators' number fields
    tables.py               the generated tables of the guide's pages
    flow_widget.py          a question flow, and the list of topics that have one
    stage_widget.py         the stage finder
    plan_widget.py          the plan board
    cost_widget.py          the cost calculator
    conversation_widget.py  a conversation's cost over its turns
    screen_widget.py        the prompt screener's answer and its "Report a miss" link
    ai_advice.py            the latency and context-window advice
    price_tables.py         a price set's models, and one workload on every model
    chart.py                the conversation chart (SVG)
    diagram.py              the picture of a whole question flow (SVG)
    decision_records.py     a widget's answer as a Markdown decision record

Behaviour is declared in attributes that the browser's script follows without knowing
any widget: `data-wm-set`/`data-wm-value` and `data-wm-unset` change one request field,
`data-wm-form` fields carry `data-wm-key` and `data-wm-type`, `data-wm-clears` names the
fields a form change resets, `data-wm-list` marks a checklist that updates a field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..formatting import esc
from ..protocol import MAX_STATE_CHARS, VERSION


def widget(name: str, request: dict[str, Any], inner: str, element_id: str, state_keys: Iterable[str] = ()) -> str:
    """The element a page carries for a widget: its first state plus the request that made it.

    `element_id` is unique on its page and doubles as the widget's key in a shared link.
    """
    data = esc(json.dumps(request, sort_keys=True, separators=(",", ":")))
    return (
        f'<div class="wm-widget" id="{esc(element_id)}" data-wm-widget="{esc(name)}" data-wm-state="static" '
        f'data-wm-v="{VERSION}" data-wm-max-state="{MAX_STATE_CHARS}" '
        f'data-wm-request="{data}" data-wm-state-keys="{esc(" ".join(state_keys))}"><div class="wm-body">{inner}</div>'
        f'<div class="wm-toolbar" hidden><button type="button" class="md-button" data-wm-action="copy-link">'
        f'Copy link</button><button type="button" class="md-button" data-wm-action="copy-record">'
        f"Copy the answer as notes (Markdown)</button></div>"
        f'<p class="wm-status" aria-live="polite"></p></div>'
    )
