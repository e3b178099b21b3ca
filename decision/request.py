"""Typed, friendly access to the fields of one request: each bad field is a RequestError
whose message a reader can act on."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .errors import RequestError
from .protocol import MAX_ANSWERS, MAX_ID_CHARS

# What a request may ask of the renderer besides plain HTML: `"render": {"tree": true}`.
RENDER_OPTIONS = ("tree",)


class Request:
    """Typed, friendly access to the fields of one request."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        # The request that reproduces the answer: every field an operation read, as it read it
        # (a flow keeps only the answers on its path). The browser carries it on from there.
        self.canonical: dict[str, Any] = {"v": raw.get("v"), "op": raw.get("op")}

    def _missing(self, key: str, what: str) -> RequestError:
        return _at(key, "missing-field", f"Please give {what} ('{key}').")

    def text(self, key: str, what: str, default: Any = ..., max_chars: int = MAX_ID_CHARS) -> Any:
        value = self.raw.get(key)
        if value is None:
            if default is ...:
                raise self._missing(key, what)
            return default
        if not isinstance(value, str):
            raise _at(key, "wrong-type", f"{_first_up(what)} ('{key}') should be text.")
        if len(value) > max_chars:
            raise _at(
                key, "too-long", f"{_first_up(what)} ('{key}') is too long: keep it under {max_chars:,} characters."
            )
        self.canonical[key] = value
        return value

    def number(self, key: str, what: str, low: float, high: float, default: Any = ..., whole: bool = False) -> Any:
        value = self.raw.get(key)
        if value is None:
            if default is ...:
                raise self._missing(key, what)
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _at(key, "wrong-type", f"{_first_up(what)} ('{key}') should be a number.")
        if isinstance(value, float) and not math.isfinite(value):
            raise _at(key, "out-of-range", f"{_first_up(what)} ('{key}') should be a finite number.")
        if whole and isinstance(value, float):
            if not value.is_integer():
                raise _at(key, "wrong-type", f"{_first_up(what)} ('{key}') should be a whole number.")
            value = int(value)
        if not low <= value <= high:
            raise _at(
                key, "out-of-range", f"{_first_up(what)} ('{key}') should be between {_plain(low)} and {_plain(high)}."
            )
        self.canonical[key] = value
        return value

    def count(self, key: str, what: str, low: int, high: int, default: Any = ...) -> Any:
        return self.number(key, what, low, high, default, whole=True)

    def flag(self, key: str, what: str, default: bool = False) -> bool:
        value = self.raw.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise _at(key, "wrong-type", f"{_first_up(what)} ('{key}') should be true or false.")
        if key in self.raw:
            self.canonical[key] = value
        return value

    def share(self, key: str, what: str) -> Decimal:
        """A percentage 0-100 as the request gives it, returned as the fraction 0-1 the sums use."""
        value = self.number(key, what, 0, 100, 0)
        return (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) / 100

    def table(self, key: str, what: str, max_items: int = MAX_ANSWERS) -> dict[str, Any]:
        value = self.raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise _at(key, "wrong-type", f"{_first_up(what)} ('{key}') should be an object of names and values.")
        if len(value) > max_items:
            raise _at(key, "too-long", f"{_first_up(what)} ('{key}') has too many entries.")
        self.canonical[key] = value
        return value

    def day(self, key: str = "date") -> str:
        """A calendar day (YYYY-MM-DD) the request is asked for, or today's when it names none.

        Only a day the request gave goes into the canonical request: a page built today must
        not pin its live widget to the build day."""
        value = self.raw.get(key)
        if value is None:
            return datetime.date.today().isoformat()
        if not isinstance(value, str) or len(value) != 10:
            raise RequestError("wrong-type", f"The day ('{key}') should be a date like 2026-12-02.")
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise RequestError("wrong-type", f"The day ('{key}') should be a date like 2026-12-02.") from None
        self.canonical[key] = value
        return day.isoformat()

    def render_options(self) -> dict[str, bool] | None:
        """None for no HTML; otherwise the renderer's options (`"render": true` means none)."""
        value = self.raw.get("render", False)
        if value is False or value is None:
            return None
        if value is True:
            return {}
        if not isinstance(value, dict):
            raise RequestError("wrong-type", "Whether to render HTML ('render') should be true or false.")
        if not set(value) <= set(RENDER_OPTIONS) or not all(isinstance(v, bool) for v in value.values()):
            raise RequestError(
                "wrong-type",
                "The render options ('render') should name only "
                f"{', '.join(RENDER_OPTIONS)}, each set to true or false.",
            )
        return dict(value)


def _first_up(what: str) -> str:
    return what[:1].upper() + what[1:]


def _plain(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _at(key: str, code: str, message: str) -> RequestError:
    """An error about one field: the message names the field's key, the reader's sentence doesn't."""
    return RequestError(code, message, field=key, say=message.replace(f" ('{key}')", ""))
