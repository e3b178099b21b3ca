"""The conversation widget: what a chat that resends its history costs over its turns, with its chart."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, times, tokens
from ..protocol import MAX_TURNS
from .chart import conversation_chart
from .forms import number_field


def conversation_widget(result: dict[str, Any]) -> str:
    """A chat's cost over its turns; the reader changes how long the chat runs and how long each message is."""
    form = (
        '<form class="wm-form" data-wm-form="conversation">'
        + number_field("Turns", "turns", result["turns"], low=1, high=MAX_TURNS)
        + number_field("Tokens per message", "user", result["user"])
        + number_field("Tokens per reply", "reply", result["reply"])
        + "</form>"
    )
    return (
        f'<div class="wm-conversation-widget">{form}'
        f'<div class="wm-result" data-wm-swap="result" role="status">{conversation_result(result)}</div></div>'
    )


def conversation_result(result: dict[str, Any]) -> str:
    """The chat's total, its tokens and its chart: the conversation widget's answer, and the cost widget's too."""
    m = result["model"]
    growth = "" if result["growth"] is None else f" That is {times(result['growth'])} the cost without history."
    return (
        f'<div class="wm-conversation"><p class="wm-title">{result["turns"]:,} turns on '
        f"{esc(m['name'])}: {money(result['total_usd'])}</p>"
        f"<p>{tokens(result['input_tokens'])} input and {tokens(result['output_tokens'])} output tokens in all, "
        f"because every turn resends the history.{esc(growth)}</p>"
        f"{conversation_chart(result['series'])}</div>"
    )
