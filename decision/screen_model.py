"""The screener's second opinion: a small linear model over hashed word pairs, its weights data.

The model reads the same normal form as the patterns (screener.screen_form). Each word and
each pair of neighbouring words is hashed (CRC-32, so the same everywhere) into one of
2**bits buckets, each holding a weight. A passage of `window` words scores the sum of its
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


def features(words: list[str]) -> list[tuple[int, int]]:
    """For each word, the hashes (before bucketing) of the word and of the pair it ends."""
    out = []
    previous = "^"
    for w in words:
        out.append(_hashes(previous, w))
        previous = w
    return out


def _hashes(previous: str, word: str) -> tuple[int, int]:
    return zlib.crc32(f"w {word}".encode()), zlib.crc32(f"b {previous} {word}".encode())


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
        if len(self.weights) != self.mask + 1 or self.window < 1:
            raise ValueError(f"{len(self.weights)} weights for {self.mask + 1} buckets, window {self.window}")
        float(self.bias), float(self.threshold)

    def best_passage(self, form: str) -> tuple[float, int, int]:
        """The highest passage score and that passage's span in the normal form.

        A passage counts each word and pair once, however often it repeats, so a flood of one
        suspicious word scores no more than the word alone. The cost is two list look-ups per
        word: a pair's buckets are hashed once per message (floods repeat a few pairs), counts
        live in a list indexed by bucket, and spans are found only for the winning passage.
        """
        words = _WORDS.findall(form)
        if not words:
            return self.bias, 0, 0
        weights, mask, window = self.weights, self.mask, self.window
        ones, pairs = _buckets(words, mask)
        counts = [0] * (mask + 1)
        total = 0.0
        best, at = float("-inf"), 0
        first_full = min(window, len(words)) - 1
        for i in range(len(words)):
            # The word's bucket, then its pair's (the same order as the trainer), unrolled.
            b = ones[i]
            if not counts[b]:
                total += weights[b]
            counts[b] += 1
            b = pairs[i]
            if not counts[b]:
                total += weights[b]
            counts[b] += 1
            if i >= window:
                b = ones[i - window]
                counts[b] -= 1
                if not counts[b]:
                    total -= weights[b]
                b = pairs[i - window]
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


def _buckets(words: list[str], mask: int) -> tuple[list[int], list[int]]:
    """Each word's bucket and the bucket of the pair it ends, hashing each distinct pair once."""
    seen: dict[tuple[str, str], tuple[int, int]] = {}
    ones, pairs = [], []
    previous = "^"
    for w in words:
        key = (previous, w)
        found = seen.get(key)
        if found is None:
            one, pair = _hashes(previous, w)
            found = seen[key] = (one & mask, pair & mask)
        ones.append(found[0])
        pairs.append(found[1])
        previous = w
    return ones, pairs
