"""The one renderer: HTML for every widget state and generated table, stdlib only.

The same functions run at build time (CPython, through the Markdown extension) and in
the reader's browser (Pyodide, in the worker), so a request renders to identical HTML in
both places. Every string that comes from data or from a reader goes through `esc`.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any, Callable

from . import costs, stages
from .knowledge import Flow, Knowledge, Model, PriceSet


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def money(usd: float) -> str:
    """US dollars the way people write them: $10.00, $0.0015, $1,234.50."""
    if usd >= 1 or usd == 0:
        return f"${usd:,.2f}"
    exact = Decimal(repr(usd)).normalize()
    if usd >= 0.01:
        exact = round(exact, 4).normalize()
    text = format(exact, "f")
    whole, _, frac = text.partition(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def tokens(n: int) -> str:
    return f"{n:,}"


def _list(items: Any, cls: str) -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _checklist(items: Any, group: str, checked: Any = ()) -> str:
    rows = "".join(
        f'<li><label><input type="checkbox" name="{esc(group)}" value="{i}"{" checked" if i in checked else ""}>'
        f' {esc(text)}</label></li>'
        for i, text in enumerate(items))
    return f'<ul class="wm-checklist" data-wm-checklist="{esc(group)}">{rows}</ul>'


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    """`rows` hold HTML already escaped by the caller."""
    thead = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    # The table itself stays class-free so Material styles it like the guide's own tables.
    return (f'<div class="wm-table {cls}"><table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>'
            '</div>')


# --- generated tables ------------------------------------------------------------------

def _stages_table(k: Knowledge, result: dict[str, Any]) -> str:
    rows = [[f"<strong>{esc(s.name)}</strong>", esc(s.users), esc(s.question), esc(s.focus), esc(s.skip),
             esc(s.takes)] for s in k.stages]
    return _table(["Stage", "Who uses it", "The question", "Put your effort into", "Leave for later", "Typical length"],
                  rows, "wm-stages")


def _add_it_when_table(k: Knowledge, result: dict[str, Any]) -> str:
    rows = [[f"<strong>{esc(p.name)}</strong>", esc(p.what), esc(p.add_when)] for p in k.problems]
    return _table(["Thing", "What it is", "Add it when"], rows, "wm-add-it-when")


def _never_skip_table(k: Knowledge, result: dict[str, Any]) -> str:
    parts = []
    for b in k.basics:
        parts.append(f'<li class="wm-basic"><p><strong>{esc(b.name)}</strong> '
                     f'<span class="wm-minutes">about {esc(b.minutes)} min</span></p>'
                     f'{_checklist(b.checks, "basic-" + b.id)}</li>')
    total = sum(b.minutes for b in k.basics)
    return (f'<div class="wm-never-skip"><ol class="wm-basics">{"".join(parts)}</ol>'
            f'<p class="wm-total">Total: about {esc(total)} minutes.</p></div>')


def _stage_checklist(k: Knowledge, result: dict[str, Any]) -> str:
    stage = stages.by_id(k, result["stage"])
    return _checklist(stage.checklist, "stage-" + stage.id)


def _by_provider(prices: PriceSet) -> list[tuple[str, list[Model]]]:
    """A set's models grouped by provider, in the order the data first names each, then by name."""
    def natural(name: str) -> list[tuple[int, Any]]:
        return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", name)]

    groups: dict[str, list[Model]] = {}
    for m in prices.models.values():
        groups.setdefault(m.provider, []).append(m)
    return [(provider, sorted(models, key=lambda m: (natural(m.name), m.id))) for provider, models in groups.items()]


def _prices_table(k: Knowledge, result: dict[str, Any]) -> str:
    prices = k.price_sets[result["set"]]
    ref = k.cost_reference
    rows = []
    for _, models in _by_provider(prices):
        for m in models:
            v = costs.model_view(prices, m)
            ten_k = costs.request_cost(prices, m, ref.input_tokens, ref.output_tokens) * ref.requests
            chat = costs.conversation(k, prices.id, m.id, ref.history_turns, ref.history_system, ref.history_user,
                                      ref.history_reply)
            growth = "–" if chat["growth"] is None else f'{chat["growth"]:,.1f}×'
            rows.append([f"<strong>{esc(m.name)}</strong>", esc(m.provider), money(v["input_per_1k"]),
                         money(v["output_per_1k"]), money(v["input_per_1m"]), money(v["output_per_1m"]),
                         money(float(ten_k)), growth, esc(v["effective"])])
    head = ["Model", "Provider", "Input per 1K tokens", "Output per 1K tokens", "Input per 1M tokens",
            "Output per 1M tokens", f"{ref.requests:,} requests", f"History growth ({ref.history_turns} turns)",
            "Prices from"]
    shape = (f"{ref.history_system:,}-token system prompt, {ref.history_user:,}-token messages, "
             f"{ref.history_reply:,}-token replies")
    caption = (f'<p class="wm-caption">{esc(prices.name)}. The {ref.requests:,}-request column assumes '
               f'{ref.input_tokens:,} input and {ref.output_tokens:,} output tokens per request. '
               f'History growth divides what a {ref.history_turns}-turn chat costs when every turn resends '
               f'the conversation so far ({shape}) by what the same turns cost sent on their own. '
               f'Source: {esc(prices.source)}. {esc(prices.note)}</p>')
    return _table(head, rows, "wm-prices") + caption


TABLES: dict[str, Callable[[Knowledge, dict[str, Any]], str]] = {
    "stages": _stages_table,
    "add-it-when": _add_it_when_table,
    "never-skip": _never_skip_table,
    "checklist": _stage_checklist,
    "prices": _prices_table,
}


# --- widget states ---------------------------------------------------------------------

def _path(path: list[dict[str, Any]]) -> str:
    if not path:
        return ""
    items = "".join(f'<li><span class="wm-path-q">{esc(p["text"])}</span> '
                    f'<span class="wm-path-a">{esc(p["label"])}</span></li>' for p in path)
    return f'<ol class="wm-path" aria-label="Your answers">{items}</ol>'


def _verdict(v: dict[str, Any], heading: str = "h3") -> str:
    return (f'<div class="wm-verdict wm-verdict--{esc(v["id"])}" role="status">'
            f'<{heading} class="wm-verdict-label" tabindex="-1">{esc(v["label"])}</{heading}>'
            f'<p class="wm-reason">{esc(v["reason"])}</p></div>')


def _tree(k: Knowledge, flow: Flow, qid: str) -> str:
    q = flow.questions[qid]
    items = []
    for o in q.options:
        if o.next is not None:
            inner = _tree(k, flow, o.next)
        else:
            verdict = k.verdicts[o.verdict]
            inner = _verdict({"id": verdict.id, "label": verdict.label, "reason": o.reason}, "p")
        items.append(f"<li><details><summary>{esc(o.label)}</summary>{inner}</details></li>")
    return f'<div class="wm-node"><p class="wm-q">{esc(q.text)}</p><ul>{"".join(items)}</ul></div>'


def flow(result: dict[str, Any], k: Knowledge) -> str:
    topic = result["topic"]
    head = f'<p class="wm-title">{esc(result["title"])}</p>'
    if result.get("tree"):
        body = (f'<div class="wm-tree">{_tree(k, k.flows[topic], k.flows[topic].start)}</div>')
        return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{head}{body}</div>'
    if result["done"]:
        body = _verdict(result["verdict"]) + _path(result["path"])
    else:
        q = result["question"]
        buttons = "".join(f'<button type="button" class="md-button" data-wm-answer="{esc(o["value"])}" '
                          f'data-wm-question="{esc(q["id"])}">{esc(o["label"])}</button>' for o in q["options"])
        help_text = f'<p class="wm-help">{esc(q["help"])}</p>' if q["help"] else ""
        step = len(result["path"]) + 1
        body = (f'<fieldset class="wm-question"><legend tabindex="-1">Question {step}: {esc(q["text"])}</legend>'
                f'{help_text}<div class="wm-answers">{buttons}</div></fieldset>' + _path(result["path"]))
    controls = ('<div class="wm-controls"><button type="button" class="wm-back" data-wm-action="back">Back</button>'
                '<button type="button" class="wm-restart" data-wm-action="restart">Start again</button></div>'
                if result["path"] else "")
    return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{head}{body}{controls}</div>'


def stage(result: dict[str, Any], k: Knowledge) -> str:
    s = result["stage"]
    checked = " checked" if result["depends"] else ""
    form = (f'<form class="wm-form" data-wm-form="stage">'
            f'<label>Users <input type="number" name="users" data-wm-key="users" data-wm-type="count" min="0" '
            f'step="1" value="{esc(result["users"])}"></label>'
            f'<label><input type="checkbox" name="depends" data-wm-key="depends" data-wm-type="bool"{checked}> '
            f'People depend on it working</label></form>')
    body = (f'<div class="wm-result" data-wm-swap="result" role="status">'
            f'<p class="wm-title" tabindex="-1">{esc(s["name"])}: {esc(s["question"])}</p>'
            f'<p>{esc(s["meaning"])}</p>'
            f'<dl class="wm-facts"><dt>Who uses it</dt><dd>{esc(s["users"])}</dd><dt>Typical length</dt>'
            f'<dd>{esc(s["takes"])}</dd><dt>Put your effort into</dt><dd>{esc(s["focus"])}</dd>'
            f'<dt>Leave for later</dt><dd>{esc(s["skip"])}</dd></dl>'
            f'<p class="wm-subtitle">What you should have by now</p>'
            f'{_checklist(s["checklist"], "checked", result.get("checked", ()))}</div>')
    return f'<div class="wm-stage" data-wm-stage="{esc(s["id"])}">{form}{body}</div>'


def _signal_field(k: Knowledge, sid: str, value: Any) -> str:
    s = k.signals[sid]
    if s.kind == "flag":
        options = "".join(f'<option value="{v}"{" selected" if value is b else ""}>{label}</option>'
                          for v, b, label in (("", None, "Don't know"), ("yes", True, "Yes"), ("no", False, "No")))
        control = f'<select name="{esc(sid)}" data-wm-key="signals.{esc(sid)}" data-wm-type="flag">{options}</select>'
    else:
        step = "1" if s.kind == "count" else "any"
        shown = "" if value is None else esc(value)
        control = (f'<input type="number" name="{esc(sid)}" data-wm-key="signals.{esc(sid)}" '
                   f'data-wm-type="{esc(s.kind)}" min="{esc(s.min)}" max="{esc(s.max)}" '
                   f'step="{step}" value="{shown}" placeholder="don\'t know">')
    return f'<label title="{esc(s.help)}"><span>{esc(s.label)}</span> {control}</label>'


def plan(result: dict[str, Any], k: Knowledge) -> str:
    fields = "".join(_signal_field(k, sid, result["signals"].get(sid)) for sid in k.signals)
    form = f'<form class="wm-form wm-signals" data-wm-form="plan">{fields}</form>'
    cards = []
    for tid, v in {**result["basics"], **result["verdicts"]}.items():
        assumed = (f'<p class="wm-assumed">Assumed for questions you left open: {len(v["assumed"])}.</p>'
                   if v.get("assumed") else "")
        cards.append(f'<li class="wm-card wm-verdict--{esc(v["verdict"])}" data-wm-topic="{esc(tid)}">'
                     f'<p class="wm-card-title">{esc(v["name"])}</p>'
                     f'<p class="wm-verdict-label">{esc(v["label"])}</p>'
                     f'<p class="wm-reason">{esc(v["reason"])}</p>{assumed}</li>')
    return (f'<div class="wm-plan">{form}<div class="wm-result" data-wm-swap="result" role="status">'
            f'<p class="wm-title" tabindex="-1">What matters now</p><ul class="wm-cards">{"".join(cards)}</ul></div></div>')


def cost(result: dict[str, Any], k: Knowledge) -> str:
    m = result["model"]
    prices = k.price_sets[result["set"]]

    # A text field with suggestions: type any part of a name or id to search the whole set.
    options = "".join(f'<option value="{esc(x.id)}" label="{esc(x.name)} ({esc(provider)}, '
                      f'{esc(x.effective or prices.effective)})"></option>'
                      for provider, models in _by_provider(prices) for x in models)
    list_id = f"wm-models-{prices.id}"
    per_day = result.get("requests_per_day")
    form = (f'<form class="wm-form" data-wm-form="cost"><input type="hidden" name="set" value="{esc(prices.id)}">'
            f'<label>Model (type to search) <input type="search" name="model" list="{esc(list_id)}" '
            f'value="{esc(m["id"])}" spellcheck="false"></label><datalist id="{esc(list_id)}">{options}</datalist>'
            f'<label>Input tokens per request <input type="number" name="input_tokens" min="0" step="1" '
            f'value="{esc(result["input_tokens"])}"></label>'
            f'<label>Output tokens per request <input type="number" name="output_tokens" min="0" step="1" '
            f'value="{esc(result["output_tokens"])}"></label>'
            f'<label>Requests per day <input type="number" name="requests_per_day" min="0" step="1" '
            f'value="{esc("" if per_day is None else per_day)}"></label>'
            f'<label>Cached share of input <input type="number" name="cached_share" min="0" max="1" step="0.05" '
            f'value="{esc(result["cached_share"])}"></label>'
            f'<label>Conversation turns <input type="number" name="turns" min="1" max="500" step="1" '
            f'value="{esc(result["conversation"]["turns"] if result.get("conversation") else "")}"></label></form>')
    facts = [("Per request", money(result["per_request_usd"])),
             (f"For {result['requests']:,} requests", money(result["total_usd"]))]
    if result["per_day_usd"] is not None:
        facts += [("Per day", money(result["per_day_usd"])),
                  (f"Per month ({result['days_per_month']} days)", money(result["per_month_usd"]))]
    dl = "".join(f"<dt>{esc(a)}</dt><dd>{b}</dd>" for a, b in facts)
    notes = "".join(f'<p class="wm-note">{esc(n)}</p>' for n in result["notes"])
    comp = result["comparison"]
    shown_max = 5  # a big price set compares its cheapest few and yours, not every row
    shown = comp["rows"] if len(comp["rows"]) <= shown_max + 1 else [
        r for i, r in enumerate(comp["rows"]) if i < shown_max or r["id"] == m["id"]]
    rows = [[esc(r["name"]) + (" (yours)" if r["id"] == m["id"] else ""), money(r["total_usd"]),
             "" if r["times_cheapest"] is None else f'{r["times_cheapest"]:,.1f}×',
             esc(prices.models[r["id"]].effective or prices.effective)] for r in shown]
    saving = ""
    if comp["cheapest"] != m["id"] and comp["saving_usd"] > 0:
        cheapest = prices.models[comp["cheapest"]].name
        saving = (f'<p class="wm-saving">Switching to {esc(cheapest)} would save {money(comp["saving_usd"])} '
                  f'({comp["saving_share"]:.0%}) on these {comp["requests"]:,} requests.</p>')
    table = _table(["Model", f"{comp['requests']:,} requests", "Times the cheapest", "Prices from"], rows,
                   "wm-compare")
    if len(shown) < len(comp["rows"]):
        yours = ", and yours" if len(shown) > shown_max else ""
        table += (f'<p class="wm-caption">The {shown_max} cheapest of the {len(comp["rows"])} models '
                  f'in this set{yours}.</p>')
    source = f'<p class="wm-source">{esc(prices.name)}. Source: {esc(prices.source)}.</p>'
    history = _conversation(result["conversation"]) if result.get("conversation") else ""
    return (f'<div class="wm-cost">{form}<div class="wm-result" data-wm-swap="result" role="status">'
            f'<p class="wm-title" tabindex="-1">{esc(m["name"])} '
            f'<span class="wm-date">prices from {esc(m["effective"])}</span></p>'
            f'<dl class="wm-facts">{dl}</dl>{notes}{saving}{table}{source}{history}</div></div>')


def chart(series: list[dict[str, Any]], width: int = 480, height: int = 200) -> str:
    """An SVG line of cumulative cost against turns, with the straight line of no history."""
    pad = 36
    top = max(p["cumulative_usd"] for p in series) or 1.0
    n = len(series)
    first = series[0]["cost_usd"]

    def xy(i: int, usd: float) -> str:
        x = pad + (width - 2 * pad) * (i / max(n - 1, 1))
        y = height - pad - (height - 2 * pad) * (usd / top)
        return f"{x:.1f},{y:.1f}"

    grown = " ".join(xy(i, p["cumulative_usd"]) for i, p in enumerate(series))
    flat = " ".join(xy(i, first * (i + 1)) for i in range(n))
    return (f'<svg class="wm-chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="Cumulative cost over {n} turns: {esc(money(series[-1]["cumulative_usd"]))} with history">'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" class="wm-axis"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" class="wm-axis"/>'
            f'<polyline points="{flat}" class="wm-line wm-line--flat" fill="none"/>'
            f'<polyline points="{grown}" class="wm-line wm-line--history" fill="none"/>'
            f'<text x="{pad}" y="{pad - 8}" class="wm-label">{esc(money(top))}</text>'
            f'<text x="{width - pad}" y="{height - 10}" text-anchor="end" class="wm-label">turn {n}</text></svg>')


def conversation(result: dict[str, Any], k: Knowledge) -> str:
    return f'<div class="wm-result" data-wm-swap="result" role="status">{_conversation(result)}</div>'


def _conversation(result: dict[str, Any]) -> str:
    m = result["model"]
    growth = "" if result["growth"] is None else f' That is {result["growth"]:,.1f}× the cost without history.'
    return (f'<div class="wm-conversation"><p class="wm-title">{esc(result["turns"])} turns on '
            f'{esc(m["name"])}: {money(result["total_usd"])}</p>'
            f'<p>{tokens(result["input_tokens"])} input and {tokens(result["output_tokens"])} output tokens in all, '
            f'because every turn resends the history.{esc(growth)}</p>'
            f'{chart(result["series"])}'
            '<p class="wm-legend"><span class="wm-key wm-key--history">with history</span> '
            '<span class="wm-key wm-key--flat">without history</span></p></div>')


def screen(result: dict[str, Any], k: Knowledge) -> str:
    if result["hits"]:
        items = "".join(f'<li><strong>{esc(h["name"])}</strong>: <q>{esc(h["match"])}</q>. {esc(h["why"])}</li>'
                        for h in result["hits"])
        verdict = (f'<p class="wm-title" tabindex="-1">Suspicious: {len(result["hits"])} pattern(s) found</p>'
                   f'<ul class="wm-hits">{items}</ul>')
    else:
        verdict = ('<p class="wm-title" tabindex="-1">No known injection pattern found</p>'
                   '<p>Patterns catch the clumsy attempts only; keep the output checks too.</p>')
    form = ('<form class="wm-form" data-wm-form="screen"><label>Message to check '
            # HTML drops one newline right after <textarea>: this one, so the text's own stays.
            f'<textarea name="text" data-wm-key="text" data-wm-type="text" rows="4" maxlength="20000">\n'
            f'{esc(result["text"])}</textarea></label></form>')
    return (f'<div class="wm-screen">{form}<div class="wm-result" data-wm-swap="result" role="status">'
            f'{verdict}</div></div>')


def latency(result: dict[str, Any], k: Knowledge) -> str:
    s = result["strategy"]
    return (f'<div class="wm-latency" role="status"><p class="wm-title">{esc(s["name"])}</p>'
            f'<p>{esc(s["what"])}</p><p class="wm-reason">{esc(result["reason"])}</p></div>')


def context(result: dict[str, Any], k: Knowledge) -> str:
    s = result["strategy"]
    keep = (f'<p>Keep the last {result["keep_last"]:,} turns.</p>' if s["id"] == "last-n" else "")
    return (f'<div class="wm-context" role="status"><p class="wm-title">{esc(s["name"])}</p>'
            f'<p>{tokens(result["needed_tokens"])} tokens needed for a window of {tokens(result["window"])}.</p>'
            f'<p>{esc(s["what"])}</p>{keep}<p class="wm-reason">{esc(result["reason"])}</p></div>')


def topics(result: dict[str, Any], k: Knowledge) -> str:
    return _list((t["title"] for t in result["topics"]), "wm-topics")


def models(result: dict[str, Any], k: Knowledge) -> str:
    return _prices_table(k, {"set": result["set"]})


def compare(result: dict[str, Any], k: Knowledge) -> str:
    rows = [[esc(r["name"]), money(r["total_usd"])] for r in result["rows"]]
    return _table(["Model", f"{result['requests']:,} requests"], rows, "wm-compare")


def table(result: dict[str, Any], k: Knowledge) -> str:
    return TABLES[result["name"]](k, result)


RENDERERS: dict[str, Callable[[dict[str, Any], Knowledge], str]] = {
    "topics": topics, "flow": flow, "stage": stage, "plan": plan, "cost": cost, "compare": compare,
    "conversation": conversation, "latency": latency, "context": context, "screen": screen,
    "models": models, "table": table, "restore": lambda result, k: "",
}


def render(op: str, result: dict[str, Any], k: Knowledge) -> str:
    return RENDERERS[op](result, k)


# --- decision records: a widget's answer as Markdown, for a design doc or an ADR --------

def _record_flow(result: dict[str, Any], k: Knowledge) -> str:
    lines = [f"## Decision: {result['title']}", ""]
    if result["done"]:
        lines += [f"- **Verdict:** {result['verdict']['label']}", f"- **Why:** {result['verdict']['reason']}"]
    else:
        lines.append(f"- **Open question:** {result['question']['text']}")
    lines += ["- **Answers:**"] + [f"  - {p['text']} {p['label']}" for p in result["path"]]
    return "\n".join(lines) + "\n"


def _record_stage(result: dict[str, Any], k: Knowledge) -> str:
    s = result["stage"]
    ticks = set(result.get("checked", ()))
    lines = [f"## Stage: {s['name']} ({s['question']})", "", f"- **Users:** {result['users']:,}",
             f"- **Put your effort into:** {s['focus']}", f"- **Leave for later:** {s['skip']}", "",
             "### What we should have by now", ""]
    lines += [f"- [{'x' if i in ticks else ' '}] {item}" for i, item in enumerate(s["checklist"])]
    return "\n".join(lines) + "\n"


def _record_plan(result: dict[str, Any], k: Knowledge) -> str:
    lines = ["## What matters now", "", "| Topic | Verdict | Why |", "|---|---|---|"]
    for v in {**result["basics"], **result["verdicts"]}.values():
        lines.append(f"| {v['name']} | {v['label']} | {v['reason']} |")
    given = {key: value for key, value in result["signals"].items() if value is not None}
    lines += ["", "Signals: " + (", ".join(f"{key}={value}" for key, value in given.items()) or "none given")]
    return "\n".join(lines) + "\n"


def _record_cost(result: dict[str, Any], k: Knowledge) -> str:
    m = result["model"]
    lines = [f"## Cost estimate: {m['name']}", "",
             f"- **Prices:** set {result['set']}, from {m['effective']}",
             f"- **Per request:** {money(result['per_request_usd'])} "
             f"({result['input_tokens']:,} input + {result['output_tokens']:,} output tokens)",
             f"- **{result['requests']:,} requests:** {money(result['total_usd'])}"]
    if result.get("per_day_usd") is not None:
        lines += [f"- **Per day:** {money(result['per_day_usd'])}", f"- **Per month:** {money(result['per_month_usd'])}"]
    return "\n".join(lines) + "\n"


def _record_conversation(result: dict[str, Any], k: Knowledge) -> str:
    return (f"## Conversation cost: {result['model']['name']}\n\n- **Turns:** {result['turns']}\n"
            f"- **Tokens:** {result['input_tokens']:,} input, {result['output_tokens']:,} output\n"
            f"- **Total:** {money(result['total_usd'])}\n")


def _record_screen(result: dict[str, Any], k: Knowledge) -> str:
    lines = ["## Prompt screen", "", f"- **Suspicious:** {'yes' if result['hits'] else 'no'}"]
    lines += [f"- {h['name']}: {h['why']}" for h in result["hits"]]
    return "\n".join(lines) + "\n"


RECORDS: dict[str, Callable[[dict[str, Any], Knowledge], str]] = {
    "flow": _record_flow, "stage": _record_stage, "plan": _record_plan, "cost": _record_cost,
    "conversation": _record_conversation, "screen": _record_screen,
}


def record(op: str, result: dict[str, Any], k: Knowledge) -> str:
    """The result as a Markdown decision record; empty for operations that decide nothing."""
    return RECORDS[op](result, k) if op in RECORDS else ""


def widget(name: str, request: dict[str, Any], inner: str, element_id: str, state_keys: Any = ()) -> str:
    """The element a page carries for a widget: its first state plus the request that made it."""
    data = esc(json.dumps(request, sort_keys=True, separators=(",", ":")))
    return (f'<div class="wm-widget" id="{esc(element_id)}" data-wm-widget="{esc(name)}" data-wm-state="static" '
            f'data-wm-request="{data}" data-wm-state-keys="{esc(" ".join(state_keys))}"><div class="wm-body">{inner}</div>'
            f'<div class="wm-toolbar" hidden><button type="button" class="md-button" data-wm-action="copy-link">'
            f'Copy link</button><button type="button" class="md-button" data-wm-action="copy-record">'
            f'Copy as Markdown decision record</button></div>'
            f'<p class="wm-status" aria-live="polite"></p></div>')
