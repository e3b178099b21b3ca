"""The prompt screener: a message folded to one normal form, then matched against the
common phrasings of prompt injection in the data and scored by the word-pair model."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .knowledge import Knowledge
from .regex_gate import word_checker

# Characters that carry no letter of their own: zero-width spaces and joiners, the
# soft hyphen, the word joiner, the byte-order mark, and invisible separators.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# Look-alikes that spell a word past a filter: digits and symbols for letters (1gnore),
# Cyrillic and Greek letters that look Latin, typographic quotes for plain ones.
_SWAPS = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "\u2018": "\x27",
    "\u2019": "\x27",
    "\u201b": "\x27",
    "\u02bc": "\x27",
    "\u201c": '"',
    "\u201d": '"',
    "\u0430": "a",
    "\u0435": "e",
    "\u043e": "o",
    "\u0440": "p",
    "\u0441": "c",
    "\u0443": "y",
    "\u0445": "x",
    "\u0456": "i",
    "\u0458": "j",
    "\u0455": "s",
    "\u0501": "d",
    "\u04bb": "h",
    "\u03bf": "o",
    "\u03b1": "a",
    "\u03b5": "e",
    "\u03b9": "i",
    "\u03ba": "k",
    "\u03bd": "v",
    "\u03c1": "p",
    "\u03c4": "t",
    "\u03c5": "u",
    "\u03c7": "x",
}
_FOLDED: dict[str, str] = {}
_NEWLINES = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Whitespace a form shortens or changes: a run of two or more, or one that isn't a space
# (`\s` is `str.isspace` for a str pattern).
_ODD_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


def _fold(ch: str) -> str:
    """One character as the patterns see it: compatibility form, no accents, case-folded, look-alikes swapped."""
    folded = _FOLDED.get(ch)
    if folded is None:
        code = ord(ch)
        if ch in _INVISIBLE:
            folded = ""
        elif 0xE0020 <= code <= 0xE007E:  # Unicode "tag" letters hide ASCII text in plain sight
            folded = chr(code - 0xE0000).casefold()
        elif 0xE0000 <= code <= 0xE007F:
            folded = ""
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
            folded = "".join(_SWAPS.get(c, c) for c in bare)
        if len(_FOLDED) < 4096:
            _FOLDED[ch] = folded
    return folded


def screen_form(text: str) -> tuple[str, list[int]]:
    """The text the patterns read, and for each of its characters the index of the original it came from.

    Unicode compatibility forms (full-width letters, ligatures) become plain letters, accents
    and case go, invisible characters are dropped, look-alike digits and letters are swapped,
    and each run of whitespace becomes one character: a newline if the run holds one, else a
    space (so no pattern can be made to rescan a flood of blank lines).
    """
    return _ascii_form(text) if text.isascii() else _any_form(text)


def _any_form(text: str) -> tuple[str, list[int]]:
    """`screen_form` for any text, one character at a time."""
    chars: list[str] = []
    origin: list[int] = []
    gap = -1  # index in `chars` of the whitespace run being read, -1 outside one
    for i, ch in enumerate(text):
        if ch.isspace():
            if gap < 0:
                gap = len(chars)
                chars.append(" ")
                origin.append(i)
            if ch in _NEWLINES and chars[gap] != "\n":
                chars[gap] = "\n"
            continue
        folded = _fold(ch)
        if folded:
            gap = -1
            for c in folded:
                chars.append(c)
                origin.append(i)
    return "".join(chars), origin


def _ascii_form(text: str) -> tuple[str, list[int]]:
    """`screen_form` for plain ASCII, the usual case, the same as `_any_form` but several times
    quicker: every character folds to one, in one `translate`, and only whitespace that isn't a
    lone space changes the length, so only those runs are visited.
    """
    folded = text.translate(_ASCII_FOLDS)
    pieces: list[str] = []
    origin: list[int] = []
    at = 0
    for run in _ODD_WHITESPACE.finditer(text):
        start = run.start()
        pieces.append(folded[at:start])
        origin.extend(range(at, start))
        pieces.append("\n" if any(ch in _NEWLINES for ch in run.group()) else " ")
        origin.append(start)
        at = run.end()
    pieces.append(folded[at:])
    origin.extend(range(at, len(text)))
    return "".join(pieces), origin


def screen(k: Knowledge, text: str) -> dict[str, Any]:
    """Which suspicious patterns a message trips, each with the reader's words that tripped it and why."""
    form, origin = screen_form(text)
    hits = []
    holds = word_checker(form)
    for p in k.ai.patterns:
        match = p.gated.search(form, holds)
        if match:
            start, end = match.span()
            # Map the match back onto what the reader wrote, so they see their own words.
            words = text[origin[start] : origin[end - 1] + 1] if end > start else ""
            hits.append({"id": p.id, "name": p.name, "why": p.why, "match": words.strip()[:120]})
    model = k.ai.screen_model
    if model is not None:
        score, start, end = model.best_passage(form)
        if score >= model.threshold and end > start and model.enough_words(form[start:end]):
            words = text[origin[start] : origin[end - 1] + 1]
            hits.append({"id": "model", "name": model.name, "why": model.why, "match": words.strip()[:120]})
    return {
        "text": text,
        "length": len(text),
        "suspicious": bool(hits),
        "hits": hits,
        "defences": [{"kind": kind, "text": t} for kind, t in k.ai.defences],
    }


# Each printable ASCII character folds to exactly one character, so a run of them folds in one pass.
_ASCII_FOLDS = str.maketrans({chr(i): _fold(chr(i)) for i in range(128) if not chr(i).isspace()})
