"""The screener's second opinion: a small linear model over hashed word pairs, its weights data.

The model reads the same normal form as the patterns (screener.screen_form). Each word, each
pair of neighbouring words and, where the data names sizes, each run of that many letters
of a word (so "instrucciones" shares most of its weight with "instructions") is hashed
(CRC-32, so the same everywhere) into one of 2**bits buckets, each holding a weight. A passage of `window` words scores the sum of its
words' and pairs' weights plus a bias; the message scores its best passage, so an attack
hidden in a long document is judged on its own words. The weights come from
tools/screener_train.py, trained on the development sets only (bench/NOTES.md).
Linear time: one pass to hash, one running sum over the passages.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

_WORDS = re.compile(r"[^\W_]+|[^\w\s]")


def tokens(form: str) -> list[tuple[str, int, int]]:
    """The words and punctuation marks of a normal form, each with its span."""
    return [(m.group(), m.start(), m.end()) for m in _WORDS.finditer(form)]


def features(words: list[str], grams: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """For each word, the hashes (before bucketing) of the word, of the pair it ends, and of its letter runs."""
    out = []
    previous = "^"
    for w in words:
        out.append(_hashes(previous, w) + _gram_hashes(w, grams))
        previous = w
    return out


# Each hash is the CRC-32 of a tagged string ("w word", "b previous word", "c run"). A CRC runs
# on from where a prefix left it, so a tag's (and a previous word's) part is taken once and each
# word, pair or run costs one call on its own bytes.
_WORD_TAG, _PAIR_TAG, _RUN_TAG = zlib.crc32(b"w "), zlib.crc32(b"b "), zlib.crc32(b"c ")


def _hashes(previous: str, word: str) -> tuple[int, int]:
    raw = word.encode()
    return zlib.crc32(raw, _WORD_TAG), zlib.crc32(raw, zlib.crc32(previous.encode() + b" ", _PAIR_TAG))


MIN_WORDS = 3  # an instruction takes a few different words: a flood of one or two never flags
GRAM_LETTERS = 24  # letter runs come from a word's first 24 letters: a flood of one long word stays cheap


def _gram_hashes(word: str, grams: tuple[int, ...]) -> tuple[int, ...]:
    """The distinct runs of n letters of a word (marked at both ends) for each n in `grams`; none for short words or punctuation."""
    if not grams or len(word) < 3 or not word.isalpha():
        return ()
    marked = f"<{word[:GRAM_LETTERS]}>"
    if marked.isascii():  # an ASCII word's letters are its bytes: its runs are cut from the bytes at once
        raw = marked.encode()
        runs = list(dict.fromkeys(raw[i : i + n] for n in grams for i in range(len(raw) - n + 1)))
    else:
        runs = [r.encode() for r in dict.fromkeys(marked[i : i + n] for n in grams for i in range(len(marked) - n + 1))]
    return tuple(zlib.crc32(run, _RUN_TAG) for run in runs)


@dataclass(frozen=True)
class ScreenModel:
    """The model as its data file holds it; the weights are parsed when the screener first reads them."""

    source: str
    name: str  # what the screener calls a flag from the model (ai.toml's [screener_model])
    why: str

    @functools.cached_property
    def _data(self) -> dict[str, Any]:
        return dict(json.loads(self.source))

    @functools.cached_property
    def weights(self) -> list[float]:
        scale = float(self._data["scale"])
        return [w / scale for w in self._data["weights"]]

    @property
    def mask(self) -> int:
        return (1 << int(self._data["bits"])) - 1

    @property
    def grams(self) -> tuple[int, ...]:
        return tuple(int(n) for n in self._data.get("grams", ()))

    @property
    def window(self) -> int:
        return int(self._data["window"])

    @property
    def bias(self) -> float:
        return float(self._data["bias"])

    @property
    def threshold(self) -> float:
        return float(self._data["threshold"])

    def check(self) -> None:
        """Raise ValueError, KeyError or TypeError unless the data is a whole model."""
        if len(self.weights) != self.mask + 1 or self.window < 1 or any(n < 1 for n in self.grams):
            raise ValueError(f"{len(self.weights)} weights for {self.mask + 1} buckets, window {self.window}")
        float(self.bias), float(self.threshold)

    def enough_words(self, passage: str) -> bool:
        """Whether a passage holds MIN_WORDS different words, the least the model judges."""
        return len({w for w in _WORDS.findall(passage) if w.isalpha()}) >= MIN_WORDS

    def best_passage(self, form: str) -> tuple[float, int, int]:
        """The highest passage score and that passage's span in the normal form.

        A passage counts each word, pair and letter run once, however often it repeats, so a
        flood of one suspicious word scores no more than the word alone. The cost is two list
        look-ups per bucket: a word's buckets are hashed once per message (floods repeat a few
        pairs), counts live in a list indexed by bucket, and spans are found only for the
        winning passage.
        """
        words = _WORDS.findall(form)
        if not words:
            return self.bias, 0, 0
        weights, mask, window = self.weights, self.mask, self.window
        rows = _buckets(words, mask, self.grams)
        counts = [0] * (mask + 1)
        total = 0.0
        # The first passage fills up; it is the best so far ...
        for i in range(min(window, len(rows))):
            for b in rows[i]:  # the word's buckets in the trainer's order: word, pair, letter runs
                c = counts[b]
                if not c:
                    total += weights[b]
                counts[b] = c + 1
        best, at = total, 0
        # ... then each next word comes in and the passage's first word goes out.
        for i in range(window, len(rows)):
            for b in rows[i]:
                c = counts[b]
                if not c:
                    total += weights[b]
                counts[b] = c + 1
            for b in rows[i - window]:
                c = counts[b] - 1
                counts[b] = c
                if not c:
                    total -= weights[b]
            if total > best:
                best, at = total, i - window + 1
        last = min(at + window, len(words)) - 1
        spans = itertools.islice(_WORDS.finditer(form), at, last + 1)
        first = next(spans)
        end = first.end()
        for end_match in spans:
            end = end_match.end()
        return best + self.bias, first.start(), end


def _buckets(words: list[str], mask: int, grams: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """Each word's buckets (word, the pair it ends, its letter runs), hashing each distinct word and pair once."""
    seen: dict[tuple[str, str], tuple[int, ...]] = {}
    own: dict[str, tuple[bytes, int, tuple[int, ...]]] = {}  # a word's bytes, its hash, its runs' buckets
    after: dict[str, int] = {"^": zlib.crc32(b"^ ", _PAIR_TAG)}  # the pair hash's state after "b word "
    rows = []
    previous = "^"
    for w in words:
        key = (previous, w)
        found = seen.get(key)
        if found is None:
            mine = own.get(w)
            if mine is None:
                raw = w.encode()
                mine = own[w] = (raw, zlib.crc32(raw, _WORD_TAG), tuple(h & mask for h in _gram_hashes(w, grams)))
                after[w] = zlib.crc32(raw + b" ", _PAIR_TAG)
            raw, one, letters = mine
            found = seen[key] = (one & mask, zlib.crc32(raw, after[previous]) & mask, *letters)
        rows.append(found)
        previous = w
    return rows
