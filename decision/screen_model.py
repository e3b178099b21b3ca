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


def _hashes(previous: str, word: str) -> tuple[int, int]:
    return zlib.crc32(f"w {word}".encode()), zlib.crc32(f"b {previous} {word}".encode())


MIN_WORDS = 3  # an instruction takes a few different words: a flood of one or two never flags
GRAM_LETTERS = 24  # letter runs come from a word's first 24 letters: a flood of one long word stays cheap


def _gram_hashes(word: str, grams: tuple[int, ...]) -> tuple[int, ...]:
    """The distinct runs of n letters of a word (marked at both ends) for each n in `grams`; none for short words or punctuation."""
    if not grams or len(word) < 3 or not word.isalpha():
        return ()
    marked = f"<{word[:GRAM_LETTERS]}>"
    runs = dict.fromkeys(marked[i : i + n] for n in grams for i in range(len(marked) - n + 1))
    return tuple(zlib.crc32(f"c {run}".encode()) for run in runs)


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
        best, at = float("-inf"), 0
        first_full = min(window, len(words)) - 1
        for i, row in enumerate(rows):
            # The word's buckets in the trainer's order: word, pair, letter runs.
            for b in row:
                if not counts[b]:
                    total += weights[b]
                counts[b] += 1
            if i >= window:
                for b in rows[i - window]:
                    counts[b] -= 1
                    if not counts[b]:
                        total -= weights[b]
            if i >= first_full and total > best:
                best, at = total, max(0, i - window + 1)
        last = min(at + window, len(words)) - 1
        spans = itertools.islice(_WORDS.finditer(form), at, last + 1)
        first = next(spans)
        end = first.end()
        for end_match in spans:
            end = end_match.end()
        return best + self.bias, first.start(), end


def _buckets(words: list[str], mask: int, grams: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """Each word's buckets (word, the pair it ends, its letter runs), hashing each distinct pair once."""
    seen: dict[tuple[str, str], tuple[int, ...]] = {}
    runs: dict[str, tuple[int, ...]] = {}
    rows = []
    previous = "^"
    for w in words:
        key = (previous, w)
        found = seen.get(key)
        if found is None:
            letters = runs.get(w)
            if letters is None:
                letters = runs[w] = tuple(h & mask for h in _gram_hashes(w, grams))
            one, pair = _hashes(previous, w)
            found = seen[key] = (one & mask, pair & mask, *letters)
        rows.append(found)
        previous = w
    return rows
