"""The rows of the `whatmatters` parser's table (commands.py): a command, its options, its printer."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..knowledge import Knowledge

Arg = tuple[tuple[str, ...], dict[str, Any]]
Args = tuple[Arg | Callable[[Knowledge], Iterable[Arg]], ...]


def arg(*flags: str, **options: Any) -> Arg:
    return flags, options


@dataclass(frozen=True)
class Command:
    name: str
    func: Callable[[argparse.Namespace], dict[str, Any]] | None
    help: str
    args: Args = ()
    description: str = ""  # the help's own line, when it says more than the list of commands does
    json: bool = True  # takes --json
    actions: tuple[Command, ...] = ()  # a command with subcommands of its own (`prices refresh`)
    printer: Callable[[dict[str, Any]], None] | None = None  # prints the result as text; without, the command does
