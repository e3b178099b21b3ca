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
        suspicious word scores no more than the word alone.
        """
        found = tokens(form)
        if not found:
            return self.bias, 0, 0
        weights, mask, window = self.weights, self.mask, self.window
        buckets = [(one & mask, pair & mask) for one, pair in features([w for w, _, _ in found])]
        present: dict[int, int] = {}
        total = 0.0
        best, at = float("-inf"), 0
        for i, word in enumerate(buckets):
            for b in word:
                n = present.get(b, 0)
                if n == 0:
                    total += weights[b]
                present[b] = n + 1
            if i >= window:
                for b in buckets[i - window]:
                    n = present[b] - 1
                    if n == 0:
                        total -= weights[b]
                        del present[b]
                    else:
                        present[b] = n
            if i >= min(window, len(buckets)) - 1 and total > best:
                best, at = total, max(0, i - window + 1)
        last = min(at + window, len(found)) - 1
        return best + self.bias, found[at][1], found[last][2]
