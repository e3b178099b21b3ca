"""HTML for every widget state, from the operation's result alone.

Behaviour is declared in attributes that the browser's script follows without knowing
any widget: `data-wm-set`/`data-wm-value` and `data-wm-unset` change one request field,
`data-wm-form` fields carry `data-wm-key` and `data-wm-type`, `data-wm-clears` names the
fields a form change resets, `data-wm-list` marks a checklist that updates a field.
"""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, price_day, requests, share, times, tokens
from ..protocol import MAX_TURNS
from .chart import conversation_chart
from .diagram import flow_diagram
from .html import badge, bullet_list, checklist, data_table, verdict_box

COMPARE_SHOWN = 5  # a big price set compares its cheapest few and yours, not every row


def _path(path: list[dict[str, Any]]) -> str:
    if not path:
        return ""
    items = "".join(
        f'<li><span class="wm-path-q">{esc(p["text"])}</span> <span class="wm-path-a">{esc(p["label"])}</span></li>'
        for p in path
    )
    return f'<ol class="wm-path" aria-label="Your answers">{items}</ol>'


def _tree(node: dict[str, Any], anchor: str) -> str:
    """The flow as nested answers to open; a question met again links to where it was spelled out."""
    if node.get("again"):
        return (
            f'<div class="wm-node wm-again"><p class="wm-q">{esc(node["text"])} '
            f'<a class="wm-see-above" href="#{esc(anchor)}-{esc(node["id"])}">See above</a></p></div>'
        )
    items = []
    for o in node["options"]:
        inner = _tree(o["next"], anchor) if o["next"] is not None else verdict_box(o["verdict"], "p")
        # data-wm-carry: an answer opened here is the live flow's answer to this question (widget.js).
        items.append(
            f'<li><details data-wm-carry="answers.{esc(node["id"])}" data-wm-value="{esc(o["value"])}">'
            f"<summary>{esc(o['label'])}</summary>{inner}</details></li>"
        )
    ident = f' id="{esc(anchor)}-{esc(node["id"])}"' if node.get("shared") else ""
    return f'<div class="wm-node"{ident}><p class="wm-q">{esc(node["text"])}</p><ul>{"".join(items)}</ul></div>'


def flow_widget(result: dict[str, Any]) -> str:
    topic = result["topic"]
    head = f'<p class="wm-title">{esc(result["title"])}</p>'
    if result.get("tree"):
        body = f'<div class="wm-tree">{_tree(result["tree"], f"wm-tree-{topic}")}</div>'
        return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{_beside(head + body, result)}</div>'
    if result["done"]:
        body = verdict_box(result["verdict"]) + _path(result["path"])
    else:
        q = result["question"]
        buttons = "".join(
            f'<button type="button" class="md-button" data-wm-set="answers.{esc(q["id"])}" '
            f'data-wm-value="{esc(o["value"])}">{esc(o["label"])}</button>'
            for o in q["options"]
        )
        help_text = f'<p class="wm-help">{esc(q["help"])}</p>' if q["help"] else ""
        step = len(result["path"]) + 1
        body = (
            f'<fieldset class="wm-question"><legend tabindex="-1">Question {step}: {esc(q["text"])}</legend>'
            f'{help_text}<div class="wm-answers">{buttons}</div></fieldset>' + _path(result["path"])
        )
    controls = ""
    if result["path"]:
        last = result["path"][-1]["question"]
        controls = (
            f'<div class="wm-controls"><button type="button" class="wm-back" '
            f'data-wm-unset="answers.{esc(last)}">Back</button>'
            '<button type="button" class="wm-restart" data-wm-unset="answers">Start again</button></div>'
        )
    return f'<div class="wm-flow" data-wm-topic="{esc(topic)}">{_beside(head + body + controls, result)}</div>'


def _beside(flow: str, result: dict[str, Any]) -> str:
    """The interactive flow with the picture of its whole tree beside it (below it on a phone)."""
    if not result.get("map"):
        return flow
    picture = flow_diagram(result["map"], result["path"], result["title"], result["topic"])
    return f'<div class="wm-flow-grid"><div class="wm-flow-main">{flow}</div>{picture}</div>'


def stage_widget(result: dict[str, Any]) -> str:
    s = result["stage"]
    checked = " checked" if result["depends"] else ""
    form = (
        f'<form class="wm-form" data-wm-form="stage" data-wm-clears="checked">'
        f'<label>Users <input type="number" name="users" data-wm-key="users" data-wm-type="count" min="0" '
        f'step="1" value="{esc(result["users"])}"></label>'
        f'<label class="wm-check"><input type="checkbox" name="depends" data-wm-key="depends" data-wm-type="bool"{checked}> '
        f"People depend on it working</label></form>"
    )
    body = (
        f'<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">{esc(s["name"])}: {esc(s["question"])}</p>'
        f"<p>{esc(s['meaning'])}</p>"
        f'<dl class="wm-facts"><dt>Who uses it</dt><dd>{esc(s["users"])}</dd><dt>Typical length</dt>'
        f"<dd>{esc(s['takes'])}</dd><dt>Put your effort into</dt><dd>{esc(s['focus'])}</dd>"
        f"<dt>Leave for later</dt><dd>{esc(s['skip'])}</dd></dl>"
        f'<p class="wm-subtitle">What you should have by now</p>'
        f"{checklist(s['checklist'], 'checked', result.get('checked', ()), live_key='checked')}</div>"
    )
    return f'<div class="wm-stage" data-wm-stage="{esc(s["id"])}">{form}{body}</div>'


def _signal_field(s: dict[str, Any], value: Any) -> str:
    if s["kind"] == "flag":
        options = "".join(
            f'<option value="{v}"{" selected" if value is b else ""}>{label}</option>'
            for v, b, label in (("", None, "Don't know"), ("yes", True, "Yes"), ("no", False, "No"))
        )
        control = (
            f'<select name="{esc(s["id"])}" data-wm-key="signals.{esc(s["id"])}" data-wm-type="flag">{options}</select>'
        )
    else:
        step = "1" if s["kind"] == "count" else "any"
        shown = "" if value is None else esc(value)
        control = (
            f'<input type="number" name="{esc(s["id"])}" data-wm-key="signals.{esc(s["id"])}" '
            f'data-wm-type="{esc(s["kind"])}" min="{esc(s["min"])}" max="{esc(s["max"])}" '
            f'step="{step}" value="{shown}" placeholder="don\'t know">'
        )
    return f'<label title="{esc(s["help"])}"><span>{esc(s["label"])}</span> {control}</label>'


def plan_widget(result: dict[str, Any]) -> str:
    fields = "".join(_signal_field(s, result["signals"].get(s["id"])) for s in result["fields"])
    form = f'<form class="wm-form wm-signals" data-wm-form="plan">{fields}</form>'
    cards = []
    for tid, v in {**result["basics"], **result["verdicts"]}.items():
        assumed = (
            f'<p class="wm-assumed">Assumed for questions you left open: {len(v["assumed"])}.</p>'
            if v.get("assumed")
            else ""
        )
        cards.append(
            f'<li class="wm-card wm-verdict--{esc(v["verdict"])}" data-wm-topic="{esc(tid)}">'
            f'<details><summary><span class="wm-card-title">{esc(v["name"])}</span> '
            f'<span class="wm-verdict-label">{badge(v["verdict"], v["label"])}</span></summary>'
            f'<p class="wm-reason">{esc(v["reason"])}</p>{assumed}</details></li>'
        )
    return (
        f'<div class="wm-plan">{form}<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">What matters now</p>'
        f'<p class="wm-help">Open a topic to see why.</p><ul class="wm-cards">{"".join(cards)}</ul>'
        "</div></div>"
    )


def _number_field(
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


def _percent(share: float) -> str:
    """A fraction 0-1 written as the percentage the form takes: 0.5 -> 50, 0.075 -> 7.5."""
    return f"{round(share * 100, 6):g}"


def _rates(m: dict[str, Any]) -> str:
    """The chosen model's prices per million tokens, shown beside its field."""
    cached = "" if m["cached_input_per_1m"] is None else f", cached input {money(m['cached_input_per_1m'])}"
    return (
        f'<p class="wm-rates" data-wm-swap="rates" role="status">{esc(m["name"])} ({esc(m["provider"])}): '
        f"input {money(m['input_per_1m'])}, output {money(m['output_per_1m'])}{cached} per million tokens, "
        f"{esc(price_day(m))}.</p>"
    )


def cost_widget(result: dict[str, Any]) -> str:
    m = result["model"]
    prices = result["price_set"]
    # A text field with suggestions: type any part of a name or id to search the whole set.
    options = "".join(
        f'<option value="{esc(x["id"])}" label="{esc(x["name"])} ({esc(x["provider"])}, '
        f'{esc(x["effective"])})"></option>'
        for x in result["choices"]
    )
    list_id = f"wm-models-{prices['id']}"
    conversation = result.get("conversation")
    form = (
        f'<form class="wm-form" data-wm-form="cost"><input type="hidden" name="set" data-wm-key="set" '
        f'data-wm-type="text" value="{esc(prices["id"])}">'
        f'<label>Model (type to search) <input type="search" name="model" data-wm-key="model" data-wm-type="text" '
        f'list="{esc(list_id)}" value="{esc(m["id"])}" spellcheck="false"></label>'
        f'<datalist id="{esc(list_id)}">{options}</datalist>{_rates(m)}'
        + _number_field("Input tokens per request", "input_tokens", result["input_tokens"], hint=TOKEN_HINT)
        + _number_field("Output tokens per request", "output_tokens", result["output_tokens"], hint=TOKEN_HINT)
        + _number_field(
            "Reasoning tokens per request",
            "reasoning_tokens",
            result.get("reasoning_tokens", 0),
            hint="hidden thinking a reasoning model bills as output",
        )
        + _number_field("Requests per day", "requests_per_day", result.get("requests_per_day"))
        + _number_field(
            "Cached share of input (%)",
            "cached_share",
            _percent(result["cached_share"]),
            "number",
            high=100,
            step="5",
            hint="0 to 100: how much of each request's input the provider has cached",
        )
        + _number_field(
            "Conversation turns", "turns", conversation["turns"] if conversation else None, low=1, high=MAX_TURNS
        )
        + "</form>"
    )
    facts = [
        ("Per request", money(result["per_request_usd"])),
        (f"For {requests(result['requests'])}", money(result["total_usd"])),
    ]
    if result["per_day_usd"] is not None:
        facts += [
            ("Per day", money(result["per_day_usd"])),
            (f"Per month ({result['days_per_month']} days)", money(result["per_month_usd"])),
        ]
    dl = "".join(f"<dt>{esc(a)}</dt><dd>{b}</dd>" for a, b in facts)
    notes = "".join(f'<p class="wm-note">{esc(n)}</p>' for n in result["notes"])
    if result["per_day_usd"] is not None:
        # $1.125 a day shows as $1.12, yet a month of it is $33.75: say why the two don't multiply out.
        notes = (
            f'<p class="wm-note">Each figure is rounded on its own: the month is {result["days_per_month"]} '
            "times the unrounded cost of a day.</p>" + notes
        )
    history = _conversation(conversation) if conversation else ""
    return (
        f'<div class="wm-cost">{form}<div class="wm-result" data-wm-swap="result" role="status">'
        f'<p class="wm-title" tabindex="-1">{esc(m["name"])} '
        f'<span class="wm-date">{esc(price_day(m))}</span></p>'
        f'<dl class="wm-facts">{dl}</dl>{notes}{_comparison(result)}'
        f'<p class="wm-source">{esc(prices["name"])}{_checked(prices)}. Source: {esc(prices["source"])}.</p>'
        f"{history}</div></div>"
    )


def _checked(prices: dict[str, Any]) -> str:
    """ ", prices last checked 2026-12-02": when the set was last checked against its source, where it says."""
    return f", prices last checked {esc(prices['checked'])}" if prices.get("checked") else ""


def _comparison(result: dict[str, Any]) -> str:
    """The chosen model against the cheapest few of its set, and what switching would save."""
    mine, comp = result["model"]["id"], result["comparison"]
    shown = (
        comp["rows"]
        if len(comp["rows"]) <= COMPARE_SHOWN + 1
        else [r for i, r in enumerate(comp["rows"]) if i < COMPARE_SHOWN or r["id"] == mine]
    )
    rows = [
        [
            esc(r["name"]) + (" (yours)" if r["id"] == mine else ""),
            money(r["total_usd"]),
            "" if r["times_cheapest"] is None else times(r["times_cheapest"]),
            esc(r["effective"]),
        ]
        for r in shown
    ]
    saving = ""
    if comp["cheapest"] != mine and comp["saving_usd"] > 0:
        cheapest = next(r["name"] for r in comp["rows"] if r["id"] == comp["cheapest"])
        saving = (
            f'<p class="wm-saving">Switching to {esc(cheapest)} would save {money(comp["saving_usd"])} '
            f"({share(comp['saving_share'])}) on {requests(comp['requests'])}.</p>"
        )
    table = data_table(["Model", requests(comp["requests"]), "Times the cheapest", "Prices from"], rows, "wm-compare")
    if len(shown) < len(comp["rows"]):
        yours = ", and yours" if len(shown) > COMPARE_SHOWN else ""
        table += (
            f'<p class="wm-caption">The {COMPARE_SHOWN} cheapest of the {len(comp["rows"])} models '
            f"in this set{yours}.</p>"
        )
    return saving + table


def conversation_widget(result: dict[str, Any]) -> str:
    """A chat's cost over its turns; the reader changes how long the chat runs and how long each message is."""
    form = (
        '<form class="wm-form" data-wm-form="conversation">'
        + _number_field("Turns", "turns", result["turns"], low=1, high=MAX_TURNS)
        + _number_field("Tokens per message", "user", result["user"])
        + _number_field("Tokens per reply", "reply", result["reply"])
        + "</form>"
    )
    return (
        f'<div class="wm-conversation-widget">{form}'
        f'<div class="wm-result" data-wm-swap="result" role="status">{_conversation(result)}</div></div>'
    )


def _conversation(result: dict[str, Any]) -> str:
    m = result["model"]
    growth = "" if result["growth"] is None else f" That is {times(result['growth'])} the cost without history."
    return (
        f'<div class="wm-conversation"><p class="wm-title">{result["turns"]:,} turns on '
        f"{esc(m['name'])}: {money(result['total_usd'])}</p>"
        f"<p>{tokens(result['input_tokens'])} input and {tokens(result['output_tokens'])} output tokens in all, "
        f"because every turn resends the history.{esc(growth)}</p>"
        f"{conversation_chart(result['series'])}</div>"
    )


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


def topics_list(result: dict[str, Any]) -> str:
    return bullet_list((t["title"] for t in result["topics"]), "wm-topics")


def models_table(result: dict[str, Any]) -> str:
    """A price set's models with their rates per million tokens."""

    def rate(value: float | None) -> str:
        return "–" if value is None else money(value)

    rows = [
        [
            f"<strong>{esc(m['name'])}</strong>",
            esc(m["provider"]),
            money(m["input_per_1m"]),
            money(m["output_per_1m"]),
            rate(m["cached_input_per_1m"]),
            "–" if m["context_window"] is None else tokens(m["context_window"]),
            esc(m["effective"]),
        ]
        for m in result["models"]
    ]
    return data_table(
        [
            "Model",
            "Provider",
            "Input per 1M tokens",
            "Output per 1M tokens",
            "Cached input per 1M tokens",
            "Context window",
            "Prices from",
        ],
        rows,
        "wm-models",
    )


def compare_table(result: dict[str, Any]) -> str:
    rows = [[esc(r["name"]), money(r["total_usd"])] for r in result["rows"]]
    return data_table(["Model", requests(result["requests"])], rows, "wm-compare")
