"""`whatmatters`: the guide's questions in a terminal. Every answer comes from `api.handle`.

The parser is built from `COMMANDS`, a table of each subcommand and its options; the
subcommands themselves are in asking.py (they ask the engine) and writing.py (they write files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence

from .. import __version__
from ..errors import DataError
from ..knowledge import Knowledge
from ..loading import knowledge
from . import terminal
from .asking import (
    cmd_ask,
    cmd_compare,
    cmd_context,
    cmd_conversation,
    cmd_cost,
    cmd_latency,
    cmd_models,
    cmd_plan,
    cmd_screen,
    cmd_stage,
    cmd_topics,
)
from .scanning import cmd_scan, print_scan
from .table import Arg, Args, Command
from .table import arg as _arg
from .terminal import UsageError
from .writing import cmd_assets, cmd_data_init, cmd_prices_refresh, cmd_publish, parse_day, print_data_init

# --- the parser, from a table ------------------------------------------------------------
# Each option is written as argparse takes it: `_arg(flags..., **keywords)`. Options that
# come from the guide's data (the plan's signals, the topics) are functions of the knowledge.

JSON = _arg("--json", action="store_true", help="print machine-readable JSON")
# The two options of the commands that ready another site (assets, publish).
PYODIDE = _arg(
    "--pyodide",
    metavar="DIR",
    default=None,
    help="the npm pyodide package to copy the core files from (default: the runtime this package carries, "
    "or node_modules/pyodide in a checkout)",
)
DATA = _arg(
    "--data",
    metavar="DIR",
    default=None,
    help="your own copy of decision/data/, checked and packed into the browser's engine (default: ours)",
)
PRICES: Args = (
    _arg("--prices", metavar="SET", default=None, help="price set (see: whatmatters models)"),
    _arg("--date", metavar="DAY", default=None, help="prices in force on this day (default: today)"),
)
CACHED_SHARE = _arg(
    "--cached-share", type=float, default=0, metavar="PCT", help="percent of input billed as cached (0-100)"
)


def _tokens(required: bool) -> Args:
    """A workload's size; without `required`, the guide's typical request fills in what is left out."""
    typical = "" if required else " (default: the guide's typical request)"
    return (
        _arg("--requests", type=int, default=1, metavar="N", help="number of requests (default 1)"),
        _arg("--input-tokens", type=int, required=required, metavar="N", help=f"input tokens per request{typical}"),
        _arg("--output-tokens", type=int, required=required, metavar="N", help=f"output tokens per request{typical}"),
        _arg(
            "--reasoning-tokens",
            type=int,
            default=None,
            metavar="N",
            help="hidden reasoning tokens per request, billed as output by reasoning models (default 0)",
        ),
        _arg("--batch", action="store_true", help="price at the model's batch rates, where it has them"),
    )


def _topic(k: Knowledge) -> Iterable[Arg]:
    topics = [f.topic for f in k.flows.values()]
    yield _arg("topic", metavar="TOPIC", help=f"one of: {', '.join(topics)}")


def _signals(k: Knowledge) -> Iterable[Arg]:
    """One option per signal of signals.toml: yes/no for a flag, a number for a count or a measure."""
    for s in k.signals.values():
        flag = "--" + s.id.replace("_", "-")
        if s.kind == "flag":
            yield _arg(flag, dest=s.id, action=argparse.BooleanOptionalAction, default=None, help=s.help)
        else:
            kind, metavar = (int, "N") if s.kind == "count" else (float, "X")
            yield _arg(
                flag,
                dest=s.id,
                type=kind,
                default=None,
                metavar=metavar,
                help=f"{s.label}: {s.help}".replace("%", "%%"),
            )


COMMANDS = (
    Command(
        "ask",
        cmd_ask,
        "answer a topic's questions, one at a time, and get a verdict",
        (
            _topic,
            _arg(
                "--answer",
                action="append",
                default=[],
                metavar="QID=VALUE",
                help="answer a question up front (repeatable), e.g. --answer repeated=yes",
            ),
        ),
    ),
    Command(
        "stage",
        cmd_stage,
        "find your product's stage and its checklist",
        (
            _arg("--users", type=int, required=True, metavar="N", help="how many people use it"),
            _arg("--depends", action="store_true", help="people depend on it working"),
            _arg("--pays", action="store_true", help="people pay for it"),
        ),
        printer=terminal.print_stage,
    ),
    Command(
        "plan",
        cmd_plan,
        "a verdict for every topic and basic from signals you measured",
        (_signals,),
        printer=terminal.print_plan,
    ),
    Command(
        "cost",
        cmd_cost,
        "what N requests to a model cost",
        (
            _arg("--model", required=True, metavar="ID", help="model id (see: whatmatters models)"),
            *_tokens(required=False),
            _arg("--per-day", type=int, default=None, metavar="N", help="requests per day, for daily and monthly cost"),
            CACHED_SHARE,
            *PRICES,
        ),
        printer=terminal.print_cost,
    ),
    Command(
        "compare",
        cmd_compare,
        "the same workload on every model, cheapest first",
        (
            _arg("--model", action="append", default=[], metavar="ID", help="only these models (repeatable)"),
            *_tokens(required=True),
            *PRICES,
        ),
        printer=terminal.print_compare,
    ),
    Command(
        "conversation",
        cmd_conversation,
        "what a chat that resends its history costs",
        (
            _arg("--model", required=True, metavar="ID", help="model id"),
            _arg("--turns", type=int, required=True, metavar="N", help="number of user messages"),
            _arg("--system", type=int, required=True, metavar="N", help="tokens in the system prompt"),
            _arg("--user", type=int, required=True, metavar="N", help="tokens per user message"),
            _arg("--reply", type=int, required=True, metavar="N", help="tokens per model reply"),
            CACHED_SHARE,
            *PRICES,
        ),
        printer=terminal.print_conversation,
    ),
    Command(
        "screen",
        cmd_screen,
        "check a message for prompt-injection patterns",
        (_arg("text", nargs="?", metavar="TEXT", help="the message (default: read standard input)"),),
        printer=terminal.print_screen,
    ),
    Command(
        "latency",
        cmd_latency,
        "how to handle a slow AI answer",
        (
            _arg("--seconds", type=float, required=True, metavar="X", help="expected seconds to the full answer"),
            _arg("--not-streamable", action="store_true", help="the result only makes sense whole"),
        ),
        printer=terminal.print_strategy,
    ),
    Command(
        "context",
        cmd_context,
        "how to fit a conversation into a context window",
        (
            _arg("--turns", type=int, required=True, metavar="N", help="turns in a long conversation"),
            _arg("--tokens-per-turn", type=int, required=True, metavar="N", help="tokens per turn (message + reply)"),
            _arg("--window", type=int, required=True, metavar="N", help="the model's context window in tokens"),
            _arg("--needs-early-context", action="store_true", help="early messages still matter later"),
        ),
        printer=terminal.print_strategy,
    ),
    Command(
        "scan",
        cmd_scan,
        "check a repository's basics and measure its signals, reading the code without running it",
        (
            _arg("path", nargs="?", default=".", metavar="PATH", help="the repository's folder (default: .)"),
            _arg("--sarif", metavar="FILE", default=None, help="also write the findings as SARIF 2.1.0 to FILE"),
            _arg(
                "--detect-secrets",
                action="store_true",
                help="also run detect-secrets' key detectors when it is installed (slower: about 7 ms a file)",
            ),
        ),
        printer=print_scan,
    ),
    Command("models", cmd_models, "list the models and prices of a price set", PRICES, printer=terminal.print_models),
    Command("topics", cmd_topics, "list the topics that have a question flow", printer=terminal.print_topics),
    Command(
        "prices",
        None,
        "keep the price sets up to date (development)",
        json=False,
        actions=(
            Command(
                "refresh",
                cmd_prices_refresh,
                "write current.json from the installed genai-prices and litellm's model map",
                (
                    _arg(
                        "--dest",
                        metavar="DIR",
                        default=None,
                        help="folder to write current.json into (default: the package's data/prices)",
                    ),
                    _arg(
                        "--as-of",
                        type=parse_day,
                        default=None,
                        metavar="YYYY-MM-DD",
                        help="the day the prices are checked on: later changes stay scheduled, and models due to shut "
                        "down within 30 days of it are left out (default: today)",
                    ),
                ),
                description="write current.json from the installed genai-prices, with shutdown dates from "
                "litellm's model map",
                printer=terminal.print_prices_refresh,
            ),
        ),
    ),
    Command(
        "assets",
        cmd_assets,
        "copy the live widgets' runtime (Pyodide, engine, scripts) into a site folder",
        (
            _arg("dest", metavar="DEST", help="folder to write, e.g. your site's assets/ folder"),
            PYODIDE,
            DATA,
        ),
        printer=terminal.print_assets,
    ),
    Command(
        "publish",
        cmd_publish,
        "ready a site another tool built for live widgets: runtime, hashed names, robots.txt, policy",
        (
            _arg("site_dir", metavar="SITE_DIR", help="the folder the site generator wrote, e.g. site"),
            _arg(
                "--site-url",
                metavar="URL",
                default=None,
                help="the address the site is served at; robots.txt then names its sitemap",
            ),
            DATA,
            PYODIDE,
            _arg(
                "--embeds", action="store_true", help="also write embed/ pages and embed.js, for other sites to frame"
            ),
            _arg("--no-csp", action="store_true", help="leave out the Content-Security-Policy <meta>"),
        ),
        description="ready a site built by any tool for live widgets, as Pagefind does for search: place the runtime, "
        "give its files hashed names and one build id, write robots.txt and a Content-Security-Policy into every page",
        printer=terminal.print_publish,
    ),
    Command(
        "data",
        None,
        "work with a site's own copy of the guide's data",
        json=False,
        actions=(
            Command(
                "init",
                cmd_data_init,
                "copy the package's data into a new folder, for a site to edit and use",
                (_arg("dir", metavar="DIR", help="the folder to create; it must not exist yet, or be empty"),),
                printer=print_data_init,
            ),
        ),
    ),
)


def _every(commands: Iterable[Command]) -> Iterable[Command]:
    for c in commands:
        yield c
        yield from _every(c.actions)


# What prints each command's result as text, read off the table.
PRINTERS = {c.func: c.printer for c in _every(COMMANDS) if c.func is not None and c.printer is not None}


def _add_commands(
    parser: argparse.ArgumentParser,
    commands: Iterable[Command],
    common: argparse.ArgumentParser,
    dest: str = "command",
    metavar: str = "COMMAND",
) -> None:
    sub = parser.add_subparsers(dest=dest, metavar=metavar, required=True)
    k = knowledge()
    for c in commands:
        p = sub.add_parser(c.name, parents=[common] if c.json else [], help=c.help, description=c.description or c.help)
        if c.func is not None:
            p.set_defaults(func=c.func)
        for entry in c.args:
            for flags, options in entry(k) if callable(entry) else (entry,):
                p.add_argument(*flags, **options)
        if c.actions:
            _add_commands(p, c.actions, common, dest=f"{c.name}_action", metavar="ACTION")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whatmatters",
        description="What Matters When: do you have this problem yet, and what will this AI feature cost?",
    )
    parser.add_argument("--version", action="version", version=f"whatmatters {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(*JSON[0], **JSON[1])
    _add_commands(parser, COMMANDS, common)
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
        if isinstance(result, dict) and result.get("exit_code") == 1:  # `scan`: a basic fails
            return 1
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
