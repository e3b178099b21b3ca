"""`whatmatters`: the guide's questions in a terminal. Every answer comes from `api.handle`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import Any, Callable, Sequence

from .. import __version__
from ..api import handle
from ..errors import DataError
from ..loading import knowledge
from ..formatting import money


class UsageError(Exception):
    """Bad input from the command line; printed as one sentence, exit status 2."""


def _ask(request: dict[str, Any]) -> dict[str, Any]:
    response = handle({"v": 1, **request})
    if not response["ok"]:
        raise UsageError(response["error"]["message"])
    return response["result"]


def _stdin() -> Any:
    """Standard input, or a one-sentence error when the shell closed it (`whatmatters ... <&-`)."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError("Standard input is closed: pass the text as an argument, or pipe it in.")
    return sys.stdin


def _utf8(text: str) -> bool:
    """False for arguments the shell passed as bytes that aren't UTF-8 (Python keeps them as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


# --- printing results ------------------------------------------------------------------

def _print_verdict(result: dict[str, Any]) -> None:
    for step in result["path"]:
        print(f"  {step['text']}  -> {step['label']}")
    v = result["verdict"]
    print(f"\n{v['label'].upper()}")
    print(_wrap(v["reason"]))


def _print_stage(result: dict[str, Any]) -> None:
    s = result["stage"]
    print(f"{s['name']} ({s['long_name']}): {s['question']}")
    print(_wrap(s["meaning"]))
    print(f"\nFocus on: {s['focus']}\nDon't worry about: {s['skip']}\nUsually takes: {s['takes']}")
    print("\nWhat you should have by now:")
    for item in s["checklist"]:
        print(f"  [ ] {item}")


def _print_plan(result: dict[str, Any]) -> None:
    width = max(len(v["name"]) for v in {**result["basics"], **result["verdicts"]}.values())
    print("The four basics")
    for v in result["basics"].values():
        print(f"  {v['name']:<{width}}  {v['label']}")
    print("\nLater, when you have the problem")
    for v in result["verdicts"].values():
        print(f"  {v['name']:<{width}}  {v['label']}")
        print(_wrap(v["reason"], " " * (width + 4)))
    if any(v["assumed"] for v in result["verdicts"].values()):
        print("\nSignals you didn't give were taken as 'no'; add them for a sharper answer.")


def _print_cost(result: dict[str, Any]) -> None:
    m = result["model"]
    print(f"{m['name']} (prices from {m['effective']}, set {result['set']})")
    print(f"  per request:        {money(result['per_request_usd'])}")
    print(f"  {result['requests']:,} requests: {money(result['total_usd'])}")
    if result["per_day_usd"] is not None:
        print(f"  per day:            {money(result['per_day_usd'])}")
        print(f"  per month:          {money(result['per_month_usd'])}")
    for note in result["notes"]:
        print(_wrap(note, "  "))
    comp = result["comparison"]
    if comp["cheapest"] != m["id"]:
        cheapest = next(r for r in comp["rows"] if r["id"] == comp["cheapest"])
        print(f"  the cheapest model here, {cheapest['name']}, would save {money(comp['saving_usd'])}"
              f" ({comp['saving_share']:.0%})")


def _print_compare(result: dict[str, Any]) -> None:
    width = max(len(r["name"]) for r in result["rows"])
    print(f"{result['requests']:,} requests of {result['input_tokens']:,} in + {result['output_tokens']:,} out tokens:")
    for r in result["rows"]:
        times = "" if r["times_cheapest"] is None else f"  {r['times_cheapest']:,.1f}x"
        print(f"  {r['name']:<{width}}  {money(r['total_usd']):>12}{times}")


def _print_conversation(result: dict[str, Any]) -> None:
    print(f"{result['turns']} turns on {result['model']['name']}: {money(result['total_usd'])}")
    print(f"  input tokens:  {result['input_tokens']:,} (every turn resends the history)")
    print(f"  output tokens: {result['output_tokens']:,}")
    if result["growth"] is not None:
        print(f"  {result['growth']:,.1f}x what the same turns cost without history "
              f"({money(result['without_history_usd'])})")
    for note in result["notes"]:
        print(_wrap(note, "  "))


def _print_screen(result: dict[str, Any]) -> None:
    if not result["hits"]:
        print("No known injection pattern found. Patterns only catch clumsy attempts: check outputs too.")
        return
    print(f"Suspicious: {len(result['hits'])} pattern(s) found")
    for h in result["hits"]:
        print(f"  - {h['name']}: \"{h['match']}\"")
        print(_wrap(h["why"], "    "))


def _print_strategy(result: dict[str, Any]) -> None:
    print(result["strategy"]["name"])
    print(_wrap(result["strategy"]["what"], "  "))
    if result.get("strategy", {}).get("keeps_last_turns"):
        print(f"  Keep the last {result['keep_last']:,} turns.")
    print(_wrap(result["reason"], "  "))


def _print_models(result: dict[str, Any]) -> None:
    print(f"{result['name']} ({result['set']}, {result['effective']}). Source: {result['source']}")
    for m in result["models"]:
        print(f"  {m['id']:<28} {m['name']:<28} in {money(m['input_per_1m'])}/1M  out {money(m['output_per_1m'])}/1M")


def _print_topics(result: dict[str, Any]) -> None:
    for t in result["topics"]:
        print(f"  {t['id']:<18} {t['title']}")


# --- subcommands -----------------------------------------------------------------------

def _parse_answers(pairs: Sequence[str]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        if not sep or not qid or not value:
            raise UsageError(f"'{pair}' should look like QUESTION=ANSWER, for example repeated=yes.")
        answers[qid] = value
    return answers


def cmd_ask(args: argparse.Namespace) -> dict[str, Any]:
    answers = _parse_answers(args.answer)
    while True:
        result = _ask({"op": "flow", "topic": args.topic, "answers": answers})
        if result["done"] or args.json:
            break
        q = result["question"]
        values = "/".join(o["value"] for o in q["options"])
        print(q["text"])
        if q["help"]:
            print(_wrap(q["help"], "  "))
        while True:
            try:
                _stdin()
                reply = input(f"  [{values}] > ").strip().lower()
            except EOFError:
                raise UsageError(f"No answer given to \"{q['text']}\". Answer it, or pass --answer {q['id']}=VALUE.")
            match = next((o["value"] for o in q["options"]
                          if reply in (o["value"], o["label"].lower()) or (reply and o["value"].startswith(reply))), None)
            if match:
                answers[q["id"]] = match
                break
            print(f"  Please answer one of: {values}")
    if not args.json:
        if not result["done"]:
            raise UsageError("Not enough answers to reach a verdict.")
        print(f"\n{result['title']}")
        _print_verdict(result)
    return result


def cmd_stage(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "stage", "users": args.users, "depends": args.depends})


def cmd_plan(args: argparse.Namespace) -> dict[str, Any]:
    signals = {s: getattr(args, s) for s in knowledge().signals if getattr(args, s) is not None}
    return _ask({"op": "plan", "signals": signals})


def cmd_cost(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "cost", "model": args.model, "requests": args.requests, "input_tokens": args.input_tokens,
                 "output_tokens": args.output_tokens, "requests_per_day": args.per_day,
                 "cached_share": args.cached_share, "set": args.prices})


def cmd_compare(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "compare", "models": args.model or None, "requests": args.requests,
                 "input_tokens": args.input_tokens, "output_tokens": args.output_tokens, "set": args.prices})


def cmd_conversation(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "conversation", "model": args.model, "turns": args.turns, "system": args.system,
                 "user": args.user, "reply": args.reply, "cached_share": args.cached_share, "set": args.prices})


def cmd_screen(args: argparse.Namespace) -> dict[str, Any]:
    text = args.text if args.text not in (None, "-") else _stdin().read()
    return _ask({"op": "screen", "text": text})


def cmd_latency(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "latency", "seconds": args.seconds, "streamable": not args.not_streamable})


def cmd_context(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "context", "turns": args.turns, "tokens_per_turn": args.tokens_per_turn,
                 "window": args.window, "needs_early_context": args.needs_early_context})


def cmd_models(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "models", "set": args.prices})


def cmd_topics(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "topics"})


def cmd_assets(args: argparse.Namespace) -> dict[str, Any]:
    from .assets import AssetsError, write_runtime  # build-time code, kept out of the other commands

    try:
        return write_runtime(args.dest, args.pyodide, with_static=True)
    except AssetsError as exc:
        raise UsageError(f"{exc}.") from None
    except OSError as exc:
        raise UsageError(f"couldn't write the assets to {args.dest}: {exc.strerror or exc}.") from None


def _print_assets(result: dict[str, Any]) -> None:
    mb = result["total_bytes"] / 1_048_576
    print(f"Wrote Pyodide {result['pyodide']['version']} and the engine ({result['engine']['url']}): {mb:.1f} MB.")
    print("Serve the folder with your site; pages load whatmatters/widget.js as a module and whatmatters/whatmatters.css.")


def cmd_prices_refresh(args: argparse.Namespace) -> dict[str, Any]:
    from ..loading import DATA_DIR

    try:
        from . import prices_refresh  # development only: it needs genai-prices, the engine doesn't

        path = prices_refresh.refresh(args.dest or DATA_DIR / "prices", args.as_of)
    except ImportError:
        raise UsageError("genai-prices is a development dependency: pip install 'whatmatters[prices]' "
                         "(the test extra has it too).") from None
    except OSError as exc:
        raise UsageError(f"couldn't write the prices to {args.dest}: {exc.strerror or exc}.") from None
    written = json.loads(path.read_text(encoding="utf-8"))
    return {"path": str(path), "set": written["id"], "models": len(written["model"]),
            "source": written["source"], "effective": written["effective"]}


def _print_prices_refresh(result: dict[str, Any]) -> None:
    print(f"Wrote {result['models']} models to {result['path']}: prices as of {result['effective']}, "
          f"from {result['source']}.")


def _day(text: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' should be a date like 2026-11-26") from None


PRINTERS: dict[Callable[..., Any], Callable[[dict[str, Any]], None]] = {
    cmd_stage: _print_stage, cmd_plan: _print_plan, cmd_cost: _print_cost, cmd_compare: _print_compare,
    cmd_conversation: _print_conversation, cmd_screen: _print_screen, cmd_latency: _print_strategy,
    cmd_context: _print_strategy, cmd_models: _print_models, cmd_topics: _print_topics,
    cmd_prices_refresh: _print_prices_refresh,
    cmd_assets: _print_assets,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whatmatters",
        description="What Matters When: do you have this problem yet, and what will this AI feature cost?")
    parser.add_argument("--version", action="version", version=f"whatmatters {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")

    def add(name: str, func: Callable[..., Any], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    topics = [f.topic for f in knowledge().flows.values()]
    p = add("ask", cmd_ask, "answer a topic's questions, one at a time, and get a verdict")
    p.add_argument("topic", metavar="TOPIC", help=f"one of: {', '.join(topics)}")
    p.add_argument("--answer", action="append", default=[], metavar="QID=VALUE",
                   help="answer a question up front (repeatable), e.g. --answer repeated=yes")

    p = add("stage", cmd_stage, "find your product's stage and its checklist")
    p.add_argument("--users", type=int, required=True, metavar="N", help="how many people use it")
    p.add_argument("--depends", action="store_true", help="people depend on it working")

    p = add("plan", cmd_plan, "a verdict for every topic and basic from signals you measured")
    for s in knowledge().signals.values():
        flag = "--" + s.id.replace("_", "-")
        if s.kind == "flag":
            p.add_argument(flag, dest=s.id, action=argparse.BooleanOptionalAction, default=None, help=s.help)
        else:
            p.add_argument(flag, dest=s.id, type=int if s.kind == "count" else float, default=None,
                           metavar="N" if s.kind == "count" else "X", help=f"{s.label}: {s.help}".replace("%", "%%"))

    def prices(p: argparse.ArgumentParser) -> None:
        p.add_argument("--prices", metavar="SET", default=None, help="price set (see: whatmatters models)")

    def tokens_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--requests", type=int, default=1, metavar="N", help="number of requests (default 1)")
        p.add_argument("--input-tokens", type=int, required=True, metavar="N", help="input tokens per request")
        p.add_argument("--output-tokens", type=int, required=True, metavar="N", help="output tokens per request")

    p = add("cost", cmd_cost, "what N requests to a model cost")
    p.add_argument("--model", required=True, metavar="ID", help="model id (see: whatmatters models)")
    tokens_args(p)
    p.add_argument("--per-day", type=int, default=None, metavar="N", help="requests per day, for daily and monthly cost")
    p.add_argument("--cached-share", type=float, default=0, metavar="X", help="share of input billed as cached (0-1)")
    prices(p)

    p = add("compare", cmd_compare, "the same workload on every model, cheapest first")
    p.add_argument("--model", action="append", default=[], metavar="ID", help="only these models (repeatable)")
    tokens_args(p)
    prices(p)

    p = add("conversation", cmd_conversation, "what a chat that resends its history costs")
    p.add_argument("--model", required=True, metavar="ID", help="model id")
    p.add_argument("--turns", type=int, required=True, metavar="N", help="number of user messages")
    p.add_argument("--system", type=int, required=True, metavar="N", help="tokens in the system prompt")
    p.add_argument("--user", type=int, required=True, metavar="N", help="tokens per user message")
    p.add_argument("--reply", type=int, required=True, metavar="N", help="tokens per model reply")
    p.add_argument("--cached-share", type=float, default=0, metavar="X", help="share of input billed as cached (0-1)")
    prices(p)

    p = add("screen", cmd_screen, "check a message for prompt-injection patterns")
    p.add_argument("text", nargs="?", metavar="TEXT", help="the message (default: read standard input)")

    p = add("latency", cmd_latency, "how to handle a slow AI answer")
    p.add_argument("--seconds", type=float, required=True, metavar="X", help="expected seconds to the full answer")
    p.add_argument("--not-streamable", action="store_true", help="the result only makes sense whole")

    p = add("context", cmd_context, "how to fit a conversation into a context window")
    p.add_argument("--turns", type=int, required=True, metavar="N", help="turns in a long conversation")
    p.add_argument("--tokens-per-turn", type=int, required=True, metavar="N", help="tokens per turn (message + reply)")
    p.add_argument("--window", type=int, required=True, metavar="N", help="the model's context window in tokens")
    p.add_argument("--needs-early-context", action="store_true", help="early messages still matter later")

    add("models", cmd_models, "list the models and prices of a price set").add_argument(
        "--prices", metavar="SET", default=None, help="price set")
    add("topics", cmd_topics, "list the topics that have a question flow")

    p = sub.add_parser("prices", help="keep the price sets up to date (development)",
                       description="keep the price sets up to date (development)")
    actions = p.add_subparsers(dest="prices_action", metavar="ACTION", required=True)
    p = actions.add_parser("refresh", parents=[common], help="write current.json from the installed genai-prices",
                           description="write current.json from the installed genai-prices")
    p.set_defaults(func=cmd_prices_refresh)
    p.add_argument("--dest", metavar="DIR", default=None,
                   help="folder to write current.json into (default: the package's data/prices)")
    p.add_argument("--as-of", type=_day, default=None, metavar="YYYY-MM-DD",
                   help="read the prices in force on this day (default: the day pinned for this genai-prices)")

    p = add("assets", cmd_assets, "copy the live widgets' runtime (Pyodide, engine, scripts) into a site folder")
    p.add_argument("dest", metavar="DEST", help="folder to write, e.g. your site's assets/ folder")
    p.add_argument("--pyodide", metavar="DIR", default="node_modules/pyodide",
                   help="the npm pyodide package to copy the core files from (default: node_modules/pyodide)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except DataError as exc:
        print(f"whatmatters: the guide's data is broken: {exc}", file=sys.stderr)
        return 1
    argv = sys.argv[1:] if argv is None else list(argv)
    if not all(_utf8(arg) for arg in argv):
        print("whatmatters: an argument isn't valid UTF-8 text; pass it as UTF-8.", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
        if args.json:
            print(json.dumps(result, indent=2, ensure_ascii=False))
        elif args.func in PRINTERS:
            PRINTERS[args.func](result)
        sys.stdout.flush()
    except UsageError as exc:
        print(f"whatmatters: {exc}", file=sys.stderr)
        return 2
    except UnicodeError:
        print("whatmatters: the input isn't valid UTF-8 text; pass it as UTF-8.", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped reading (`whatmatters compare | head -1`): end quietly, as the
        # Python docs advise, so the interpreter's last flush doesn't complain on exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return 0
