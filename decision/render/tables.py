"""HTML for the generated tables: each takes the `table` operation's result and nothing else."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, times
from .html import badge, checklist, data_table


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
        stacked=True,
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
        f'<div class="wm-signs-col"><p class="wm-subtitle">{badge("not-yet", "Not yet")} while</p>'
        f"{items(result['not_yet'])}</div>"
        f'<div class="wm-signs-col"><p class="wm-subtitle">{badge("add-now", "Time for it")} when</p>'
        f"{items(result['now'])}</div>"
        f'<p class="wm-simpler">{badge("try-first", "Try first")} {esc(result["simpler_fix"])}</p></div>'
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


def _rate_or_dash(value: float | None) -> str:
    return "–" if value is None else money(value)


def _tiers_cell(tiers: list[dict[str, Any]]) -> str:
    return "<br>".join(
        f"Above {esc(t['above'])} input tokens: {money(t['input'])} input, "
        + ("" if t["cached_input"] is None else f"{money(t['cached_input'])} cached, ")
        + f"{money(t['output'])} output"
        for t in tiers
    )


def prices_table(result: dict[str, Any]) -> str:
    """A price set's models: the columns shown are the ones the caption describes, and no others."""
    ref, per = result["reference"], result["per"]
    columns: list[tuple[str, str, Any]] = [
        ("Model", "", lambda m: f"<strong>{esc(m['name'])}</strong>"),
        ("Provider", "", lambda m: esc(m["provider"])),
        (f"Input per {per}", "input (the text you send)", lambda m: money(m["input"])),
    ]
    if result["has_cached"]:
        columns.append(
            (
                f"Cached input per {per}",
                "cached input (the cache-read price of a prompt prefix the provider has cached; – where none is listed)",
                lambda m: _rate_or_dash(m["cached_input"]),
            )
        )
    columns.append((f"Output per {per}", "output (the text the model writes)", lambda m: money(m["output"])))
    columns += [
        (f"{ref['requests']:,} requests", "", lambda m: money(m["reference_usd"])),
        (
            f"History growth ({ref['history_turns']} turns)",
            "",
            lambda m: "–" if m["history_growth"] is None else times(m["history_growth"]),
        ),
        ("Prices from", "", lambda m: esc(m["prices_from"])),
    ]
    rows = [[cell(m) for _, _, cell in columns] for m in result["rows"]]
    rates = [say for _, say, _ in columns if say]
    if result["has_tiers"]:
        rates.append(
            "and, for a model whose rates step up once a prompt passes a size, each higher tier's threshold "
            "and rates under the table (a request over the threshold pays them on all its tokens)"
        )
    shape = (
        f"{ref['history_system']:,}-token system prompt, {ref['history_user']:,}-token messages, "
        f"{ref['history_reply']:,}-token replies"
    )
    shown = f", {len(result['rows'])} of the set's {result['of']} models" if len(result["rows"]) < result["of"] else ""
    dated = (
        "the day the model's current price took effect where the data records it, and otherwise "
        if result["any_dated"]
        else ""
    )
    notes = (
        " Notes under the table give price changes announced for a later day and the models that bill "
        "hidden reasoning as output tokens."
        if result["has_notes"]
        else ""
    )
    # Two sentences up front; how to read each column folded beneath them.
    caption = (
        f'<div class="wm-caption"><p>Rates in USD per {per}: {esc(result["set_name"])}{shown}. '
        f"The {ref['requests']:,}-request column assumes "
        f"{ref['input_tokens']:,} input and {ref['output_tokens']:,} output tokens per request.</p>"
        f"<details><summary>How to read this table</summary>"
        f"<p>Rates: {esc('; '.join(rates))}. "
        f"History growth divides what a {ref['history_turns']}-turn chat costs when every turn resends "
        f"the conversation so far ({shape}) by what the same turns cost sent on their own. "
        f'"Prices from" is {dated}"listed" with the day the price list was read.{notes} '
        f"{_checked(result)}Source: {esc(result['source'])}. {esc(result['note'])}</p></details></div>"
    )
    head = [h for h, _, _ in columns]
    numeric = [i for i, h in enumerate(head) if h not in ("Model", "Provider", "Prices from")]
    table = data_table(head, rows, "wm-prices", numeric=numeric, sortable=True, stacked=True)
    return table + _row_notes(result) + caption


def _row_notes(result: dict[str, Any]) -> str:
    """Higher tiers and notes under the table, one entry per model that has any: a long note in a
    column of its own made the table twice as wide as the page and its rows tall and blank."""
    entries = []
    for m in result["rows"]:
        said = ([_tiers_cell(m["tier_rates"])] if m.get("tier_rates") else []) + [esc(n) for n in m["row_notes"]]
        if said:
            entries.append(f"<dt>{esc(m['name'])}</dt><dd>{'<br>'.join(said)}</dd>")
    if not entries:
        return ""
    return f'<dl class="wm-row-notes" aria-label="Higher tiers and notes, by model">{"".join(entries)}</dl>'


def _checked(result: dict[str, Any]) -> str:
    """ "Prices last checked 2026-12-02. ": the set's freshness, where it records it."""
    return f"Prices last checked {esc(result['checked'])}. " if result.get("checked") else ""


def _fence_value(value: Any) -> str:
    """An option's default as a fence writes it: true/false, numbers and text as they are."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def widgets_table(result: dict[str, Any]) -> str:
    """Each widget's name, its embed pages and the options a fence may set, from the widget registry."""
    rows = []
    for w in result["widgets"]:
        pages = (
            f"<code>embed/flow-TOPIC/</code> for {', '.join(f'<code>{esc(t)}</code>' for t in w['topics'])}"
            if w["topics"]
            else f"<code>embed/{esc(w['id'])}/</code>"
        )
        options = [
            f"<code>{esc(o['name'])}</code> "
            + ("(required)" if o["required"] else f"(default <code>{esc(_fence_value(o['default']))}</code>)")
            for o in w["options"]
        ]
        rows.append([f"<code>{esc(w['id'])}</code>", pages, ", ".join(options) or "none"])
    return data_table(["Widget", "Embed page", "Fence options"], rows, "wm-widgets")


SCREENER_KINDS = {
    "direct": "Typed by the user (direct)",
    "indirect": "Hidden in a document or tool output (indirect)",
    "all": "All held-out messages",
}


def screener_figures_table(result: dict[str, Any]) -> str:
    """How often the screener catches held-out attacks, and how often it cries wolf, by kind of attack."""

    def share_of(part: int, whole: int) -> str:
        return f"{part:,} of {whole:,}" if whole else "—"

    rows = [
        [
            esc(SCREENER_KINDS.get(r["where"], r["where"])),
            esc(share_of(r["caught"], r["attacks"])),
            esc(f"{r['recall']:.2f}") if r["recall"] is not None else "—",
            esc(f"{r['precision']:.2f}") if r["precision"] is not None else "—",
            esc(share_of(r["false_alarms"], r["harmless"])),
        ]
        for r in result["rows"]
    ]
    return data_table(
        ["Where the attack comes from", "Attacks caught", "Recall", "Precision", "Harmless messages flagged"],
        rows,
        "wm-screener-figures",
    )
