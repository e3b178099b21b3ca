"""Decision records: a widget's answer as Markdown, for a design doc or an ADR.

"Copy the answer as notes (Markdown)" puts these on the reader's clipboard; they are built
from the operation's result alone, like the HTML.
"""

from __future__ import annotations

from typing import Any

from ..formatting import assumption_lines, money, requests


def flow_record(result: dict[str, Any]) -> str:
    lines = [f"## Decision: {result['title']}", ""]
    if result["done"]:
        lines += [f"- **Verdict:** {result['verdict']['label']}", f"- **Why:** {result['verdict']['reason']}"]
    else:
        lines.append(f"- **Open question:** {result['question']['text']}")
    lines += ["- **Answers:**"] + [f"  - {p['text']} {p['label']}" for p in result["path"]]
    return "\n".join(lines) + "\n"


def stage_record(result: dict[str, Any]) -> str:
    s = result["stage"]
    ticks = set(result.get("checked", ()))
    lines = [
        f"## Stage: {s['name']} ({s['question']})",
        "",
        result["reason"],
        "",
        f"- **Users:** {result['users']:,}",
        f"- **Put your effort into:** {s['focus']}",
        f"- **Leave for later:** {s['skip']}",
        "",
        "### What we should have by now",
        "",
    ]
    lines += [f"- [{'x' if i in ticks else ' '}] {item}" for i, item in enumerate(s["checklist"])]
    for group in result.get("safeguards", ()):
        lines += ["", group["why"], ""] + [f"- [ ] {item}" for item in group["items"]]
    return "\n".join(lines) + "\n"


def plan_record(result: dict[str, Any]) -> str:
    lines = ["## What matters now", "", "| Topic | Verdict | Why |", "|---|---|---|"]
    for v in {**result.get("safeguards", {}), **result["basics"], **result["verdicts"]}.values():
        lines.append(f"| {v['name']} | {v['label']} | {v['reason']} |")
    assumed = [(v["name"], a) for v in result["verdicts"].values() for a in v.get("assumptions", ())]
    if assumed:
        lines += ["", "### Answers assumed (not given)", ""]
        lines += [f"- {name}: " + "; ".join(assumption_lines(a)) for name, a in assumed]
    given = {key: value for key, value in result["signals"].items() if value is not None}
    lines += ["", "Signals: " + (", ".join(f"{key}={value}" for key, value in given.items()) or "none given")]
    return "\n".join(lines) + "\n"


def cost_record(result: dict[str, Any]) -> str:
    m = result["model"]
    lines = [
        f"## Cost estimate: {m['name']}",
        "",
        f"- **Prices:** set {result['set']}, from {m['effective']}",
        f"- **Per request:** {money(result['per_request_usd'])} "
        f"({result['input_tokens']:,} input + {result['output_tokens']:,} output tokens"
        + (f" + {result['reasoning_tokens']:,} reasoning" if result.get("reasoning_tokens") else "")
        + ")",
        f"- **{requests(result['requests'])}:** {money(result['total_usd'])}",
    ]
    if result.get("per_day_usd") is not None:
        lines += [
            f"- **Per day:** {money(result['per_day_usd'])}",
            f"- **Per month:** {money(result['per_month_usd'])}",
        ]
    return "\n".join(lines) + "\n"


def conversation_record(result: dict[str, Any]) -> str:
    return (
        f"## Conversation cost: {result['model']['name']}\n\n- **Turns:** {result['turns']}\n"
        f"- **Tokens:** {result['input_tokens']:,} input, {result['output_tokens']:,} output\n"
        f"- **Total:** {money(result['total_usd'])}\n"
    )


def screen_record(result: dict[str, Any]) -> str:
    lines = ["## Prompt screen", "", f"- **Suspicious:** {'yes' if result['hits'] else 'no'}"]
    lines += [f"- {h['name']}: {h['why']}" for h in result["hits"]]
    return "\n".join(lines) + "\n"
