"""Numbers and text the way readers expect them, for HTML and for the terminal alike.

The renderer escapes with `esc`; the CLI uses the money and count formats; both read the
same figures the same way, so a page and a terminal never disagree by a rounding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# What `html.escape(text, quote=True)` replaces, `&` first. Importing `html` would also import
# `html.entities`, 97 KB of bytecode the browser would fetch for a table only `unescape` reads
# (tests/engine/test_formatting.py checks that the two agree).
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def esc(value: Any) -> str:
    """Text made safe for HTML, attributes included: what `html.escape(text, quote=True)` gives."""
    text = str(value)
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


def money(usd: float) -> str:
    """US dollars the way people write them: $10.00, $0.0015, $1,234.50."""
    if usd >= 1 or usd == 0:
        return f"${usd:,.2f}"
    exact = Decimal(repr(usd)).normalize()
    if usd >= 0.01:
        exact = round(exact, 4).normalize()
    text = format(exact, "f")
    whole, _, frac = text.partition(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def tokens(n: int) -> str:
    """A token count with thousands separators: 66,100."""
    return f"{n:,}"


def requests(n: int) -> str:
    """A request count with its noun agreeing: 1 request, 10,000 requests."""
    return f"{n:,} request" if n == 1 else f"{n:,} requests"


def share(fraction: float) -> str:
    """A fraction as a whole percentage, never rounded to 0% or 100% when it is neither: 96%, 99.7%."""
    text = f"{fraction:.0%}"
    if text in ("0%", "100%") and 0 < fraction < 1:
        text = f"{fraction:.1%}" if 0.001 <= fraction <= 0.999 else ("<0.1%" if fraction < 0.5 else ">99.9%")
    return text


def price_day(model: dict[str, Any]) -> str:
    """When a model's prices hold from: "prices from 2025-08-07", or "prices listed 2026-11-26"
    when the data knows only the day the list was read (costs.model_view's fields)."""
    return f"prices from {model['price_date']}" if model.get("price_date") else f"prices {model['prices_from']}"


def times(ratio: float) -> str:
    """A ratio as a multiple: 2.8×."""
    return f"{ratio:,.1f}×"


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def counted(n: int, singular: str, plural: str) -> str:
    """A count a reader says aloud: "one warning sign", "two warning signs", "12 warning signs"."""
    number = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"
    return f"{number} {singular if n == 1 else plural}"


def assumption_lines(a: dict[str, Any]) -> list[str]:
    """One assumed answer in words: what was assumed, and what the other answers would give.

    >>> assumption_lines({"text": "Big?", "assumed": "Yes", "signals": [],
    ...   "otherwise": [{"answer": "No", "verdict": "add-now", "label": "Add it now"}]})
    ['Assumed \u201cYes\u201d to \u201cBig?\u201d', 'Add it now if the answer is \u201cNo\u201d']
    """
    settle = ", ".join(f"\u201c{s['label']}\u201d" for s in a["signals"])
    head = f"Assumed \u201c{a['assumed']}\u201d to \u201c{a['text']}\u201d" + (
        f" (give {settle} to settle it)" if settle else ""
    )
    lines = [head]
    for o in a["otherwise"]:
        outcome = o["label"] if o["label"] else "More questions"
        lines.append(f"{outcome} if the answer is \u201c{o['answer']}\u201d")
    return lines
