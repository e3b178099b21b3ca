"""Train the screener's model on the development sets only, and write decision/data/screener-model.json.

`python tools/screener_train.py` reads the development part of the labelled sets
(bench/screener_sets.py; the held-out sets are never read here) plus harmless prose that
uses the attacks' words (the guide's own pages other than the AI page, which quotes
attacks), and fits a logistic regression by stochastic gradient descent, pure Python and
seeded, so the same data gives the same file. Multiple-instance style: each message is
learned from its best-scoring passage, the passage the screener judges it by.
"""

from __future__ import annotations

import json
import math
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screener_sets import DEVELOPMENT, samples  # noqa: E402

from decision.screen_model import features, tokens  # noqa: E402
from decision.screener import screen_form  # noqa: E402

OUT = ROOT / "decision" / "data" / "screener-model.json"
BITS = 14
WINDOW = 40
EPOCHS = 12
RATE = 0.2
L2 = 1e-5
SCALE = 1000  # weights are stored as integers: thousandths
HARMLESS_WEIGHT = 3.0  # there are fewer harmless messages than attacks; a false alarm costs more
THRESHOLD = 2.2  # a passage must score odds of about 9 to 1 to be flagged


def harmless_prose() -> list[str]:
    """Paragraphs of the guide's own pages, harmless text full of 'instructions', 'system', 'ignore'."""
    out = []
    for page in sorted((ROOT / "content").glob("*.md")):
        if page.name == "ai.md":
            continue
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        out += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 6]
    return out


def harmless_files() -> list[str]:
    """Harmless text in the shapes tools hand a model: data files, code, notes (split at blank lines)."""
    paths = sorted((ROOT / "decision" / "data").rglob("*.toml")) + sorted((ROOT / "decision").glob("*.py"))
    paths += [ROOT / "README.md", ROOT / "bench" / "NOTES.md", ROOT / "pyproject.toml", ROOT / "Makefile"]
    out = []
    for path in paths:
        if path.name == "ai.toml":  # its patterns spell attacks
            continue
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 4]
    return out


def hashed(text: str, mask: int) -> list[list[int]]:
    form, _ = screen_form(text)
    return [[h & mask for h in hs] for hs in features([w for w, _, _ in tokens(form)])]


def best_window(rows: list[list[int]], w: list[float]) -> set[int]:
    """The distinct buckets of the best-scoring passage, as decision.screen_model scores passages."""
    if len(rows) <= WINDOW:
        return {h for r in rows for h in r}
    best, chosen = float("-inf"), 0
    present: dict[int, int] = {}
    total = 0.0
    for i, row in enumerate(rows):
        for h in row:
            if present.get(h, 0) == 0:
                total += w[h]
            present[h] = present.get(h, 0) + 1
        if i >= WINDOW:
            for h in rows[i - WINDOW]:
                present[h] -= 1
                if present[h] == 0:
                    total -= w[h]
                    del present[h]
        if i >= WINDOW - 1 and total > best:
            best, chosen = total, i - WINDOW + 1
    return {h for r in rows[chosen : chosen + WINDOW] for h in r}


def examples() -> list[tuple[str, bool]]:
    """What the model learns from: the development sets' messages and harmless text of our own, never a held-out set."""
    dev = [(s.text, s.attack) for s in samples() if s.split == DEVELOPMENT]
    return dev + [(p, False) for p in harmless_prose() + harmless_files()]


def train(data: list[tuple[list[list[int]], float]], mask: int, quiet: bool = False) -> tuple[list[float], float]:
    """Weights and bias by stochastic gradient descent on each example's best passage."""
    rng = random.Random(22)
    data = list(data)
    w = [0.0] * (mask + 1)
    bias = 0.0
    for epoch in range(EPOCHS):
        rng.shuffle(data)
        rate = RATE / (1 + epoch)
        loss = 0.0
        for rows, y in data:
            window = best_window(rows, w)
            z = bias + sum(w[h] for h in window)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            weight = 1.0 if y else HARMLESS_WEIGHT
            loss -= weight * (math.log(p + 1e-12) if y else math.log(1 - p + 1e-12))
            g = weight * (p - y) * rate
            bias -= g
            for h in window:
                w[h] -= g + rate * L2 * w[h]
        if not quiet:
            print(f"epoch {epoch + 1}: loss {loss / len(data):.4f}")
    return w, bias


def validate(mask: int) -> None:
    """Leave one development set out at a time: train on the rest, measure on it (held-out sets untouched)."""
    dev = [s for s in samples() if s.split == DEVELOPMENT]
    prose = [(hashed(p, mask), 0.0) for p in harmless_prose() + harmless_files()]
    for name in sorted({s.set for s in dev}):
        rest = [(hashed(s.text, mask), 1.0 if s.attack else 0.0) for s in dev if s.set != name]
        w, bias = train(rest + prose, mask, quiet=True)
        left = [s for s in dev if s.set == name]
        flagged = [(s, bias + sum(w[h] for h in best_window(hashed(s.text, mask), w)) >= THRESHOLD) for s in left]
        attacks = [f for s, f in flagged if s.attack]
        harmless = [f for s, f in flagged if not s.attack]
        print(
            f"{name}: recall {sum(attacks) / max(1, len(attacks)):.2f} of {len(attacks)}, "
            f"false alarms {sum(harmless)} of {len(harmless)}"
        )


def main() -> None:
    mask = (1 << BITS) - 1
    if "--validate" in sys.argv:
        validate(mask)
        return
    data = [(hashed(text, mask), 1.0 if attack else 0.0) for text, attack in examples()]
    w, bias = train(data, mask)
    model = {
        "generated": "by tools/screener_train.py from the development sets (bench/NOTES.md); do not edit",
        "bits": BITS,
        "window": WINDOW,
        "scale": SCALE,
        "bias": round(bias, 3),
        "threshold": THRESHOLD,
        "weights": [round(x * SCALE) for x in w],
    }
    OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {OUT.stat().st_size:,} bytes, {len(data)} examples")


if __name__ == "__main__":
    main()
