"""The subcommands that ask the engine: each turns its options into one request to `api.handle`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..api import handle
from ..loading import knowledge
from ..protocol import VERSION
from . import terminal
from .terminal import UsageError


def _ask(request: dict[str, Any]) -> dict[str, Any]:
    response = handle({"v": VERSION, **request})
    if not response["ok"]:
        raise UsageError(response["error"]["message"])
    result: dict[str, Any] = response["result"]
    return result


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
