"""The AI advisors' answers: how to handle a slow answer, how to fit a conversation into a window."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, tokens


def latency_advice(result: dict[str, Any]) -> str:
    s = result["strategy"]
    return (
        f'<div class="wm-latency" role="status"><p class="wm-title">{esc(s["name"])}</p>'
        f'<p>{esc(s["what"])}</p><p class="wm-reason">{esc(result["reason"])}</p></div>'
    )


def context_advice(result: dict[str, Any]) -> str:
    s = result["strategy"]
    keep = f"<p>Keep the last {result['keep_last']:,} turns.</p>" if s["keeps_last_turns"] else ""
    return (
        f'<div class="wm-context" role="status"><p class="wm-title">{esc(s["name"])}</p>'
        f"<p>{tokens(result['needed_tokens'])} tokens needed for a window of {tokens(result['window'])}.</p>"
        f'<p>{esc(s["what"])}</p>{keep}<p class="wm-reason">{esc(result["reason"])}</p></div>'
    )
