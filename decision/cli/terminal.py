"""How the `whatmatters` command prints each answer: plain text, wrapped for a terminal.

The command asks the engine's one door and hands the result to one of these; figures use
the same formatting as the HTML, so a page and a terminal never disagree.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Any

from ..formatting import assumption_lines, money, price_day, requests, share


class UsageError(Exception):
    """Bad input from the command line; printed as one sentence, exit status 2."""


def stdin() -> Any:
    """Standard input, or a one-sentence error when the shell closed it (`whatmatters ... <&-`)."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError("Standard input is closed: pass the text as an argument, or pipe it in.")
    return sys.stdin


NOT_UTF8_STDIN = "Standard input isn't valid UTF-8 text; pass it as UTF-8."


def read_stdin() -> str:
    """All of standard input, read by the same rule as arguments: strict UTF-8, or one sentence.

    Python may decode a pipe leniently (the C locale turns bad bytes into surrogates), so the
    bytes are decoded here; a text stream without bytes under it (a test's) is checked instead.
    """
    stream = stdin()
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        try:
            return bytes(raw.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(NOT_UTF8_STDIN) from None
    try:
        text = str(stream.read())
    except UnicodeDecodeError:
        raise UsageError(NOT_UTF8_STDIN) from None
    if not is_utf8(text):
        raise UsageError(NOT_UTF8_STDIN)
    return text


def is_utf8(text: str) -> bool:
    """False for arguments the shell passed as bytes that aren't UTF-8 (Python keeps them as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def print_verdict(result: dict[str, Any]) -> None:
    for step in result["path"]:
        print(f"  {step['text']}  -> {step['label']}")
    v = result["verdict"]
    print(f"\n{v['label'].upper()}")
    print(wrap(v["reason"]))


def print_stage(result: dict[str, Any]) -> None:
    s = result["stage"]
    print(f"{s['name']} ({s['long_name']}): {s['question']}")
    print(wrap(result["reason"]))
    print()
    print(wrap(s["meaning"]))
    print(f"\nFocus on: {s['focus']}\nDon't worry about: {s['skip']}\nUsually takes: {s['takes']}")
    print("\nWhat you should have by now:")
    for item in s["checklist"]:
        print(f"  [ ] {item}")
    for group in result["safeguards"]:
        print()
        print(wrap(group["why"]))
        for item in group["items"]:
            print(f"  [ ] {item}")


def print_plan(result: dict[str, Any]) -> None:
    groups = (result["safeguards"], result["basics"], result["verdicts"])
    width = max(len(v["name"]) for group in groups for v in group.values())
    print("What can't be undone: do these first")
    for v in result["safeguards"].values():
        print(f"  {v['name']:<{width}}  {v['label']}")
        print(wrap(v["reason"], "      "))
    print("\nThe four basics")
    for v in result["basics"].values():
        print(f"  {v['name']:<{width}}  {v['label']}")
    print("\nLater, when you have the problem")
    for v in result["verdicts"].values():
        print(f"  {v['name']:<{width}}  {v['label']}")
        print(wrap(v["reason"], "      "))
        for a in v["assumptions"]:
            first, *rest = assumption_lines(a)
            print(textwrap.fill(first, width=88, initial_indent="      * ", subsequent_indent="        "))
            for line in rest:
                print(wrap(line, "        "))
    if any(v["assumed"] for v in result["verdicts"].values()):
        print(
            "\nAn answer you didn't give only ever leads to the simpler verdict; "
            "give more signals for a sharper answer."
        )


def print_cost(result: dict[str, Any]) -> None:
    m = result["model"]
    print(f"{m['name']} ({price_day(m)}, set {result['set']})")
    print(f"  per request:        {money(result['per_request_usd'])}")
    if result.get("reasoning_tokens"):
        print(
            f"  tokens per request: {result['input_tokens']:,} in + {result['output_tokens']:,} out"
            f" + {result['reasoning_tokens']:,} reasoning (billed as output)"
        )
    print(f"  {requests(result['requests']) + ':':<20}{money(result['total_usd'])}")
    if result["per_day_usd"] is not None:
        print(f"  per day:            {money(result['per_day_usd'])}")
        print(f"  per month:          {money(result['per_month_usd'])}")
    for note in result["notes"]:
        print(wrap(note, "  "))
    comp = result["comparison"]
    if comp["cheapest"] != m["id"]:
        cheapest = next(r for r in comp["rows"] if r["id"] == comp["cheapest"])
        print(
            f"  the cheapest model here, {cheapest['name']}, would save {money(comp['saving_usd'])}"
            f" ({share(comp['saving_share'])})"
        )


def print_compare(result: dict[str, Any]) -> None:
    width = max(len(r["name"]) for r in result["rows"])
    print(f"{requests(result['requests'])} of {result['input_tokens']:,} in + {result['output_tokens']:,} out tokens:")
    for r in result["rows"]:
        times = "" if r["times_cheapest"] is None else f"  {r['times_cheapest']:,.1f}x"
        print(f"  {r['name']:<{width}}  {money(r['total_usd']):>12}{times}")


def print_conversation(result: dict[str, Any]) -> None:
    print(f"{result['turns']} turns on {result['model']['name']}: {money(result['total_usd'])}")
    print(f"  input tokens:  {result['input_tokens']:,} (every turn resends the history)")
    print(f"  output tokens: {result['output_tokens']:,}")
    if result["growth"] is not None:
        print(
            f"  {result['growth']:,.1f}x what the same turns cost without history "
            f"({money(result['without_history_usd'])})"
        )
    for note in result["notes"]:
        print(wrap(note, "  "))


def print_screen(result: dict[str, Any]) -> None:
    if not result["hits"]:
        print("No known injection pattern found. Patterns only catch clumsy attempts: check outputs too.")
        return
    print(f"Suspicious: {len(result['hits'])} pattern(s) found")
    for h in result["hits"]:
        print(f'  - {h["name"]}: "{h["match"]}"')
        print(wrap(h["why"], "    "))


def print_strategy(result: dict[str, Any]) -> None:
    print(result["strategy"]["name"])
    print(wrap(result["strategy"]["what"], "  "))
    if result.get("strategy", {}).get("keeps_last_turns"):
        print(f"  Keep the last {result['keep_last']:,} turns.")
    print(wrap(result["reason"], "  "))


def print_models(result: dict[str, Any]) -> None:
    print(f"{result['name']} ({result['set']}, {result['effective']}). Source: {result['source']}")
    for m in result["models"]:
        print(f"  {m['id']:<28} {m['name']:<28} in {money(m['input_per_1m'])}/1M  out {money(m['output_per_1m'])}/1M")


def print_topics(result: dict[str, Any]) -> None:
    for t in result["topics"]:
        print(f"  {t['id']:<18} {t['title']}")


def print_assets(result: dict[str, Any]) -> None:
    mb = result["total_bytes"] / 1_048_576
    print(f"Wrote Pyodide {result['pyodide']['version']} and the engine ({result['engine']['url']}): {mb:.1f} MB.")
    print(
        "Serve the folder with your site; pages load whatmatters/widget.js as a module and whatmatters/whatmatters.css."
    )


def print_publish(result: dict[str, Any]) -> None:
    mb = result["runtime_bytes"] / 1_048_576
    extras = [f"{len(result['embeds'])} embed pages"] if result["embeds"] else []
    extras += ["robots.txt"] if result["robots"] else []
    extras += ["a Content-Security-Policy in every page"] if result["csp"] else []
    print(
        f"Published {result['site']} as {result['build']}: {result['pages']} pages, "
        f"Pyodide {result['pyodide']} and the engine ({mb:.1f} MB){''.join(', ' + e for e in extras)}."
    )
    if result["csp_blocked"]:
        print(
            f"The policy blocks something on {len(result['csp_blocked'])} pages (first: {result['csp_blocked'][0]}), "
            "such as inline styles; rerun with --no-csp if they matter."
        )


def print_prices_refresh(result: dict[str, Any]) -> None:
    print(
        f"Wrote {result['models']} models to {result['path']}: prices as of {result['effective']}, "
        f"from {result['source']}."
    )
