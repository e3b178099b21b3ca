"""`whatmatters`: the guide's questions in a terminal. Every answer comes from `api.handle`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..api import handle
from ..errors import DataError
from ..loading import knowledge
from ..protocol import VERSION
from . import terminal
from .terminal import UsageError
from .writing import cmd_assets, cmd_prices_refresh, parse_day


def _ask(request: dict[str, Any]) -> dict[str, Any]:
    response = handle({"v": VERSION, **request})
    if not response["ok"]:
        raise UsageError(response["error"]["message"])
    result: dict[str, Any] = response["result"]
    return result


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
            print(terminal.wrap(q["help"], "  "))
        while True:
            try:
                terminal.stdin()
                reply = input(f"  [{values}] > ").strip().lower()
                if not terminal.is_utf8(reply):
                    raise UsageError(terminal.NOT_UTF8_STDIN)
            except EOFError:
                raise UsageError(
                    f'No answer given to "{q["text"]}". Answer it, or pass --answer {q["id"]}=VALUE.'
                ) from None
            match = next(
                (
                    o["value"]
                    for o in q["options"]
                    if reply in (o["value"], o["label"].lower()) or (reply and o["value"].startswith(reply))
                ),
                None,
            )
            if match:
                answers[q["id"]] = match
                break
            print(f"  Please answer one of: {values}")
    if not args.json:
        if not result["done"]:
            raise UsageError("Not enough answers to reach a verdict.")
        print(f"\n{result['title']}")
        terminal.print_verdict(result)
    return result


def cmd_stage(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "stage", "users": args.users, "depends": args.depends, "pays": args.pays})


def cmd_plan(args: argparse.Namespace) -> dict[str, Any]:
    signals = {s: getattr(args, s) for s in knowledge().signals if getattr(args, s) is not None}
    return _ask({"op": "plan", "signals": signals})


def cmd_cost(args: argparse.Namespace) -> dict[str, Any]:
    # Token counts left out: the guide's typical request, from its data, said aloud.
    typical = knowledge().ai.cost_reference
    if args.input_tokens is None or args.output_tokens is None:
        args.input_tokens = typical.input_tokens if args.input_tokens is None else args.input_tokens
        args.output_tokens = typical.output_tokens if args.output_tokens is None else args.output_tokens
        print(
            f"Assuming the guide's typical request: {args.input_tokens:,} input and {args.output_tokens:,} "
            "output tokens (set --input-tokens and --output-tokens for yours).",
            file=sys.stderr if args.json else sys.stdout,
        )
    return _ask(
        {
            "op": "cost",
            "model": args.model,
            "requests": args.requests,
            "input_tokens": args.input_tokens,
            "output_tokens": args.output_tokens,
            "requests_per_day": args.per_day,
            "cached_share": args.cached_share,
            "reasoning_tokens": args.reasoning_tokens,
            "set": args.prices,
            "date": args.date,
            "batch": args.batch or None,
        }
    )


def cmd_compare(args: argparse.Namespace) -> dict[str, Any]:
    return _ask(
        {
            "op": "compare",
            "models": args.model or None,
            "requests": args.requests,
            "input_tokens": args.input_tokens,
            "output_tokens": args.output_tokens,
            "reasoning_tokens": args.reasoning_tokens,
            "set": args.prices,
            "date": args.date,
            "batch": args.batch or None,
        }
    )


def cmd_conversation(args: argparse.Namespace) -> dict[str, Any]:
    return _ask(
        {
            "op": "conversation",
            "model": args.model,
            "turns": args.turns,
            "system": args.system,
            "user": args.user,
            "reply": args.reply,
            "cached_share": args.cached_share,
            "set": args.prices,
            "date": args.date,
        }
    )


def cmd_screen(args: argparse.Namespace) -> dict[str, Any]:
    text = args.text if args.text not in (None, "-") else terminal.read_stdin()
    return _ask({"op": "screen", "text": text})


def cmd_latency(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "latency", "seconds": args.seconds, "streamable": not args.not_streamable})


def cmd_context(args: argparse.Namespace) -> dict[str, Any]:
    return _ask(
        {
            "op": "context",
            "turns": args.turns,
            "tokens_per_turn": args.tokens_per_turn,
            "window": args.window,
            "needs_early_context": args.needs_early_context,
        }
    )


def cmd_models(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "models", "set": args.prices, "date": args.date})


def cmd_topics(args: argparse.Namespace) -> dict[str, Any]:
    return _ask({"op": "topics"})


PRINTERS: dict[Callable[..., Any], Callable[[dict[str, Any]], None]] = {
    cmd_stage: terminal.print_stage,
    cmd_plan: terminal.print_plan,
    cmd_cost: terminal.print_cost,
    cmd_compare: terminal.print_compare,
    cmd_conversation: terminal.print_conversation,
    cmd_screen: terminal.print_screen,
    cmd_latency: terminal.print_strategy,
    cmd_context: terminal.print_strategy,
    cmd_models: terminal.print_models,
    cmd_topics: terminal.print_topics,
    cmd_prices_refresh: terminal.print_prices_refresh,
    cmd_assets: terminal.print_assets,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whatmatters",
        description="What Matters When: do you have this problem yet, and what will this AI feature cost?",
    )
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
    p.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QID=VALUE",
        help="answer a question up front (repeatable), e.g. --answer repeated=yes",
    )

    p = add("stage", cmd_stage, "find your product's stage and its checklist")
    p.add_argument("--users", type=int, required=True, metavar="N", help="how many people use it")
    p.add_argument("--depends", action="store_true", help="people depend on it working")
    p.add_argument("--pays", action="store_true", help="people pay for it")

    p = add("plan", cmd_plan, "a verdict for every topic and basic from signals you measured")
    for s in knowledge().signals.values():
        flag = "--" + s.id.replace("_", "-")
        if s.kind == "flag":
            p.add_argument(flag, dest=s.id, action=argparse.BooleanOptionalAction, default=None, help=s.help)
        else:
            p.add_argument(
                flag,
                dest=s.id,
                type=int if s.kind == "count" else float,
                default=None,
                metavar="N" if s.kind == "count" else "X",
                help=f"{s.label}: {s.help}".replace("%", "%%"),
            )

    def prices(p: argparse.ArgumentParser) -> None:
        p.add_argument("--prices", metavar="SET", default=None, help="price set (see: whatmatters models)")
        p.add_argument("--date", metavar="DAY", default=None, help="prices in force on this day (default: today)")

    def tokens_args(p: argparse.ArgumentParser, required: bool = True) -> None:
        typical = " (default: the guide's typical request)" if not required else ""
        p.add_argument("--requests", type=int, default=1, metavar="N", help="number of requests (default 1)")
        p.add_argument(
            "--input-tokens", type=int, required=required, metavar="N", help=f"input tokens per request{typical}"
        )
        p.add_argument(
            "--output-tokens", type=int, required=required, metavar="N", help=f"output tokens per request{typical}"
        )
        p.add_argument(
            "--reasoning-tokens",
            type=int,
            default=None,
            metavar="N",
            help="hidden reasoning tokens per request, billed as output by reasoning models (default 0)",
        )
        p.add_argument("--batch", action="store_true", help="price at the model's batch rates, where it has them")

    p = add("cost", cmd_cost, "what N requests to a model cost")
    p.add_argument("--model", required=True, metavar="ID", help="model id (see: whatmatters models)")
    tokens_args(p, required=False)
    p.add_argument(
        "--per-day", type=int, default=None, metavar="N", help="requests per day, for daily and monthly cost"
    )
    p.add_argument(
        "--cached-share", type=float, default=0, metavar="PCT", help="percent of input billed as cached (0-100)"
    )
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
    p.add_argument(
        "--cached-share", type=float, default=0, metavar="PCT", help="percent of input billed as cached (0-100)"
    )
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

    prices(add("models", cmd_models, "list the models and prices of a price set"))
    add("topics", cmd_topics, "list the topics that have a question flow")

    p = sub.add_parser(
        "prices",
        help="keep the price sets up to date (development)",
        description="keep the price sets up to date (development)",
    )
    actions = p.add_subparsers(dest="prices_action", metavar="ACTION", required=True)
    p = actions.add_parser(
        "refresh",
        parents=[common],
        help="write current.json from the installed genai-prices and litellm's model map",
        description="write current.json from the installed genai-prices, with shutdown dates from litellm's model map",
    )
    p.set_defaults(func=cmd_prices_refresh)
    p.add_argument(
        "--dest",
        metavar="DIR",
        default=None,
        help="folder to write current.json into (default: the package's data/prices)",
    )
    p.add_argument(
        "--as-of",
        type=parse_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the prices are checked on: later changes stay scheduled, and models due to shut down within 30 days of it are left out (default: today)",
    )

    p = add("assets", cmd_assets, "copy the live widgets' runtime (Pyodide, engine, scripts) into a site folder")
    p.add_argument("dest", metavar="DEST", help="folder to write, e.g. your site's assets/ folder")
    p.add_argument(
        "--pyodide",
        metavar="DIR",
        default="node_modules/pyodide",
        help="the npm pyodide package to copy the core files from (default: node_modules/pyodide)",
    )
    p.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="your own copy of decision/data/, checked and packed into the browser's engine (default: ours)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except DataError as exc:
        print(f"whatmatters: the guide's data is broken: {exc}", file=sys.stderr)
        return 1
    argv = sys.argv[1:] if argv is None else list(argv)
    if not all(terminal.is_utf8(arg) for arg in argv):
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
