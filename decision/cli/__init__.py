"""The `whatmatters` command: the engine's answers in a terminal, plus the site and data commands."""

from .commands import main

__all__ = ["main"]
