"""The calculators' form fields: a number with its label and hint, and a share written as the form takes it.

Behaviour is declared in attributes that the browser's script follows without knowing
any widget: `data-wm-form` fields carry `data-wm-key` and `data-wm-type`.
"""

from __future__ import annotations

from typing import Any

from ..formatting import esc


def number_field(
    label: str,
    key: str,
    value: Any,
    kind: str = "count",
    *,
    low: Any = 0,
    high: Any = None,
    step: str = "1",
    hint: str = "",
) -> str:
    top = "" if high is None else f' max="{esc(high)}"'
    # The hint sits inside the label, so it is part of what a screen reader says for the field.
    note = f'<span class="wm-hint">{esc(hint)}</span>' if hint else ""
    return (
        f'<label>{esc(label)} <input type="number" name="{esc(key)}" data-wm-key="{esc(key)}" '
        f'data-wm-type="{kind}" min="{esc(low)}"{top} step="{step}" value="{esc("" if value is None else value)}">'
        f"{note}</label>"
    )


TOKEN_HINT = "A token is about ¾ of a word: 500 tokens is roughly 375 words."


def percent(share: float) -> str:
    """A fraction 0-1 written as the percentage the form takes: 0.5 -> 50, 0.075 -> 7.5."""
    return f"{round(share * 100, 6):g}"
