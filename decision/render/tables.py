"""HTML for the generated tables: each takes the `table` operation's result and nothing else."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, times
from .html import checklist, data_table


def stages_table(result: dict[str, Any]) -> str:
    rows = [
        [
            f"<strong>{esc(s['name'])}</strong>",
            esc(s["users"]),
            esc(s["question"]),
            esc(s["focus"]),
            esc(s["skip"]),
            esc(s["takes"]),
        ]
        for s in result["stages"]
    ]
    return data_table(
        ["Stage", "Who uses it", "The question", "Put your effort into", "Leave for later", "Typical length"],
        rows,
        "wm-stages",
    )


def add_it_when_table(result: dict[str, Any]) -> str:
    rows = [[f"<strong>{esc(p['name'])}</strong>", esc(p["what"]), esc(p["add_when"])] for p in result["problems"]]
    return data_table(["Thing", "What it is", "Add it when"], rows, "wm-add-it-when")


def signs_table(result: dict[str, Any]) -> str:
    """One topic's signs: when it can wait, when it is time, and what to try before it."""

    def items(values: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul>"

    return (
        f'<div class="wm-signs" data-wm-topic="{esc(result["topic"])}">'
        f'<div class="wm-signs-col"><p class="wm-subtitle">Not yet, while</p>{items(result["not_yet"])}</div>'
        f'<div class="wm-signs-col"><p class="wm-subtitle">Time for it when</p>{items(result["now"])}</div>'
        f'<p class="wm-simpler"><strong>Try first:</strong> {esc(result["simpler_fix"])}</p></div>'
    )


def never_skip_table(result: dict[str, Any]) -> str:
    parts = [
        f'<li class="wm-basic"><p><strong>{esc(b["name"])}</strong> '
        f'<span class="wm-minutes">about {esc(b["minutes"])} min</span></p>'
        f"{checklist(b['checks'], 'basic-' + b['id'])}</li>"
        for b in result["basics"]
    ]
    return (
        f'<div class="wm-never-skip"><ol class="wm-basics">{"".join(parts)}</ol>'
        f'<p class="wm-total">Total: about {esc(result["total_minutes"])} minutes.</p></div>'
    )


def basic_table(result: dict[str, Any]) -> str:
    """One basic's reasons: why it matters, what it prevents, how to do it."""
    return (
        f'<dl class="wm-facts wm-basic-facts" data-wm-basic="{esc(result["basic"])}">'
        f"<dt>Why</dt><dd>{esc(result['why'])}</dd><dt>Prevents</dt><dd>{esc(result['prevents'])}</dd>"
        f"<dt>How</dt><dd>{esc(result['how'])}</dd><dt>Time</dt><dd>about {esc(result['minutes'])} min</dd></dl>"
    )


def checklist_table(result: dict[str, Any]) -> str:
    return checklist(result["checklist"], "stage-" + result["stage"])


def prices_table(result: dict[str, Any]) -> str:
    ref = result["reference"]
    rows = [
        [
            f"<strong>{esc(m['name'])}</strong>",
            esc(m["provider"]),
            money(m["input_per_1k"]),
            money(m["output_per_1k"]),
            money(m["input_per_1m"]),
            money(m["output_per_1m"]),
            money(m["reference_usd"]),
            "–" if m["history_growth"] is None else times(m["history_growth"]),
            esc(m["effective"]),
        ]
        for m in result["rows"]
    ]
    head = [
        "Model",
        "Provider",
        "Input per 1K tokens",
        "Output per 1K tokens",
        "Input per 1M tokens",
        "Output per 1M tokens",
        f"{ref['requests']:,} requests",
        f"History growth ({ref['history_turns']} turns)",
        "Prices from",
    ]
    shape = (
        f"{ref['history_system']:,}-token system prompt, {ref['history_user']:,}-token messages, "
        f"{ref['history_reply']:,}-token replies"
    )
    caption = (
        f'<p class="wm-caption">{esc(result["set_name"])}. The {ref["requests"]:,}-request column assumes '
        f"{ref['input_tokens']:,} input and {ref['output_tokens']:,} output tokens per request. "
        f"History growth divides what a {ref['history_turns']}-turn chat costs when every turn resends "
        f"the conversation so far ({shape}) by what the same turns cost sent on their own. "
        f"Source: {esc(result['source'])}. {esc(result['note'])}</p>"
    )
    return data_table(head, rows, "wm-prices") + caption
