"""The cost widget: a model and a workload in, the cost per request, day and month, against the set's cheapest few."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, price_day, requests, share, times
from ..protocol import MAX_TURNS
from .conversation_widget import conversation_result
from .forms import TOKEN_HINT, number_field, percent
from .html import data_table

COMPARE_SHOWN = 5  # a big price set compares its cheapest few and yours, not every row


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
        + number_field("Input tokens per request", "input_tokens", result["input_tokens"], hint=TOKEN_HINT)
        + number_field("Output tokens per request", "output_tokens", result["output_tokens"], hint=TOKEN_HINT)
        + number_field(
            "Reasoning tokens per request",
            "reasoning_tokens",
            result.get("reasoning_tokens", 0),
            hint="hidden thinking a reasoning model bills as output",
        )
        + number_field("Requests per day", "requests_per_day", result.get("requests_per_day"))
        + number_field(
            "Cached share of input (%)",
            "cached_share",
            percent(result["cached_share"]),
            "number",
            high=100,
            step="5",
            hint="0 to 100: how much of each request's input the provider has cached",
        )
        + number_field(
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
    history = conversation_result(conversation) if conversation else ""
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
