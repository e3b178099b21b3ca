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
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from screener_sets import DEVELOPMENT, samples  # noqa: E402

from decision.screen_model import features, tokens  # noqa: E402
from decision.screener import screen_form  # noqa: E402

OUT = ROOT / "decision" / "data" / "screener-model.json"
EPOCHS = 12
RATE = 0.2
SCALE = 1000  # weights are stored as integers: thousandths


@dataclass(frozen=True)
class Config:
    """One variant of the model; `--validate` compares variants, `CHOSEN` is the one shipped."""

    bits: int = 14
    window: int = 40
    grams: tuple[int, ...] = ()  # sizes of the letter runs hashed besides words and pairs
    l2: float = 1e-5
    harmless_weight: float = 3.0  # a false alarm costs more than a miss
    balance: bool = False  # each development set's attacks weigh the same in all, however many it has
    threshold: float = 2.2  # a passage must score odds of about 9 to 1 to be flagged
    false_alarms: float = 0.01  # the threshold `--validate` picks keeps left-out false alarms within this share

    @property
    def mask(self) -> int:
        return (1 << self.bits) - 1


# The best development variant under 100 KB, its threshold the lowest with no false alarm in `--validate` (bench/NOTES.md).
CHOSEN = Config(window=15, bits=15, grams=(4,), threshold=1.4, false_alarms=0.0)


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
    # Not bench/NOTES.md: it quotes attacks, and it changes with every measurement.
    paths += [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "Makefile"]
    out = []
    for path in paths:
        if path.name == "ai.toml":  # its patterns spell attacks
            continue
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 4]
    return out


def hashed(text: str, c: Config) -> list[list[int]]:
    form, _ = screen_form(text)
    return [[h & c.mask for h in hs] for hs in features([w for w, _, _ in tokens(form)], c.grams)]


def best_window(rows: list[list[int]], w: list[float], window: int) -> set[int]:
    """The distinct buckets of the best-scoring passage, as decision.screen_model scores passages."""
    if len(rows) <= window:
        return {h for r in rows for h in r}
    best, chosen = float("-inf"), 0
    present: dict[int, int] = {}
    total = 0.0
    for i, row in enumerate(rows):
        for h in row:
            if present.get(h, 0) == 0:
                total += w[h]
            present[h] = present.get(h, 0) + 1
        if i >= window:
            for h in rows[i - window]:
                present[h] -= 1
                if present[h] == 0:
                    total -= w[h]
                    del present[h]
        if i >= window - 1 and total > best:
            best, chosen = total, i - window + 1
    return {h for r in rows[chosen : chosen + window] for h in r}


Example = tuple[list[list[int]], float, float]  # buckets per word, label, weight


def examples() -> list[tuple[str, bool]]:
    """What the model learns from: the development sets' messages and harmless text of our own, never a held-out set."""
    dev = [(s.text, s.attack) for s in samples() if s.split == DEVELOPMENT]
    return dev + [(p, False) for p in harmless_prose() + harmless_files()]


def weighted(items: list[tuple[str, str, bool]], c: Config) -> list[Example]:
    """(set, text, attack) as training examples; with `balance`, each set's attacks share one equal total weight."""
    sets = {name for name, _, attack in items if attack}
    per_set = {name: sum(1 for n, _, a in items if a and n == name) for name in sets}
    attacks = sum(per_set.values())
    out = []
    for name, text, attack in items:
        weight = (attacks / (len(sets) * per_set[name]) if c.balance else 1.0) if attack else c.harmless_weight
        out.append((hashed(text, c), 1.0 if attack else 0.0, weight))
    return out


def train(data: list[Example], c: Config, quiet: bool = False) -> tuple[list[float], float]:
    """Weights and bias by stochastic gradient descent on each example's best passage."""
    rng = random.Random(22)
    data = list(data)
    w = [0.0] * (c.mask + 1)
    bias = 0.0
    for epoch in range(EPOCHS):
        rng.shuffle(data)
        rate = RATE / (1 + epoch)
        loss = 0.0
        for rows, y, weight in data:
            window = best_window(rows, w, c.window)
            z = bias + sum(w[h] for h in window)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            loss -= weight * (math.log(p + 1e-12) if y else math.log(1 - p + 1e-12))
            g = weight * (p - y) * rate
            bias -= g
            for h in window:
                w[h] -= g + rate * c.l2 * w[h]
        if not quiet:
            print(f"epoch {epoch + 1}: loss {loss / len(data):.4f}")
    return w, bias


def own_harmless() -> list[tuple[str, str, bool]]:
    return [("prose", p, False) for p in harmless_prose() + harmless_files()]


def dev_items() -> list[tuple[str, str, bool]]:
    return [(s.set, s.text, s.attack) for s in samples() if s.split == DEVELOPMENT] + own_harmless()


def pattern_flags() -> dict[str, bool]:
    """Whether the patterns alone flag each development message (the model's partner in the screener)."""
    from decision.loading import load

    patterns = load().ai.patterns
    return {
        s.text: any(p.regex.search(screen_form(s.text)[0]) for p in patterns)
        for s in samples()
        if s.split == DEVELOPMENT
    }


def lowest_threshold(harmless: list[float], share: float) -> float:
    """The lowest threshold (in tenths) that flags at most `share` of these harmless scores."""
    allowed = int(share * len(harmless))
    above = sorted(harmless, reverse=True)[allowed] if allowed < len(harmless) else float("-inf")
    return math.floor(above * 10 + 1) / 10


def validate(c: Config, patterns: dict[str, bool]) -> tuple[float, dict[str, str]]:
    """Leave one development set out at a time: train on the rest, score it (held-out sets untouched).

    The threshold is the lowest (in tenths) whose pooled false alarms on the left-out sets'
    harmless messages stay within the variant's `false_alarms` share; the variant's figure is the mean over the
    folds of the model's recall at that threshold (each set counts once, however large).
    """
    items = dev_items()
    folds = sorted({name for name, _, _ in items if name != "prose"})
    scored: dict[str, list[tuple[float, bool, bool]]] = {}
    for name in folds:
        w, bias = train(weighted([i for i in items if i[0] != name], c), c, quiet=True)
        scored[name] = []
        for _, text, attack in (i for i in items if i[0] == name):
            rows = hashed(text, c)
            scored[name].append((bias + sum(w[h] for h in best_window(rows, w, c.window)), attack, patterns[text]))
    harmless = [score for rows in scored.values() for score, attack, _ in rows if not attack]
    threshold = lowest_threshold(harmless, c.false_alarms)
    report = {}
    recalls = []
    for name, rows in scored.items():
        hits = [x >= threshold for x, attack, _ in rows if attack]
        both = [x >= threshold or p for x, attack, p in rows if attack]
        alarms = sum(x >= threshold for x, attack, _ in rows if not attack)
        recall = sum(hits) / max(1, len(hits))
        recalls.append(recall)
        report[name] = (
            f"model {recall:.2f}, with patterns {sum(both) / max(1, len(both)):.2f} of {len(hits)}; "
            f"false alarms {alarms} of {sum(1 for _, a, _ in rows if not a)}"
        )
    report["threshold"] = f"{threshold}"
    return sum(recalls) / len(recalls), report


VARIANTS = {
    "baseline": Config(),
    "balance": Config(balance=True),
    "grams34": Config(grams=(3, 4)),
    "grams4": Config(grams=(4,)),
    "bits16": Config(bits=16),
    "window20": Config(window=20),
    "window60": Config(window=60),
    "harmless1": Config(harmless_weight=1.0),
    "l2-1e-4": Config(l2=1e-4),
    "w20-b16": Config(window=20, bits=16),
    "w20-b16-g4": Config(window=20, bits=16, grams=(4,)),
    "w20-b16-g4-bal": Config(window=20, bits=16, grams=(4,), balance=True),
    "w20-b16-g34": Config(window=20, bits=16, grams=(3, 4)),
    "w10-b16-g4": Config(window=10, bits=16, grams=(4,)),
    "w15-b16-g4": Config(window=15, bits=16, grams=(4,)),
    "w20-b15-g4": Config(window=20, bits=15, grams=(4,)),
    "w20-b16-g4-h1": Config(window=20, bits=16, grams=(4,), harmless_weight=1.0),
    "w20-b16-g45": Config(window=20, bits=16, grams=(4, 5)),
    "w15-b16-g4-h1": Config(window=15, bits=16, grams=(4,), harmless_weight=1.0),
    "w15-b16-g34": Config(window=15, bits=16, grams=(3, 4)),
    "w15-b15-g4": Config(window=15, bits=15, grams=(4,)),
    "w15-b14-g4": Config(window=15, bits=14, grams=(4,)),
    "w15-b14": Config(window=15, bits=14),
    "w15-b15-g4-none": Config(window=15, bits=15, grams=(4,), false_alarms=0.0),
}


def main() -> None:
    if "--validate" in sys.argv:
        patterns = pattern_flags()
        names = [a for a in sys.argv[1:] if a in VARIANTS] or list(VARIANTS)
        for name in names:
            mean, report = validate(VARIANTS[name], patterns)
            print(f"{name}: mean recall {mean:.3f} at threshold {report.pop('threshold')}")
            for fold, line in report.items():
                print(f"  {fold}: {line}")
        return
    c = CHOSEN
    data = weighted(dev_items(), c)
    w, bias = train(data, c)
    model = {
        "generated": "by tools/screener_train.py from the development sets (bench/NOTES.md); do not edit",
        "bits": c.bits,
        "window": c.window,
        **({"grams": list(c.grams)} if c.grams else {}),
        "scale": SCALE,
        "bias": round(bias, 3),
        "threshold": c.threshold,
        "weights": [round(x * SCALE) for x in w],
    }
    OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {OUT.stat().st_size:,} bytes, {len(data)} examples")


if __name__ == "__main__":
    main()
