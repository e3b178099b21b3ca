"""`make screener-eval`: the prompt screener measured on public sets nobody here wrote, and on our own corpus.

Prints precision, recall and F1 per set, per kind of attack (typed by a user, or found in a
document or tool output), per language, for the development and the held-out sets apart
(bench/NOTES.md says which is which and why). With `--write` it also regenerates
decision/data/screener-figures.toml, the held-out figures the AI page shows; a test checks
that file against a fresh run.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from screener_sets import ADDED_AFTER_CANDIDATES, DEVELOPMENT, HELD_OUT, Sample, samples

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIGURES = ROOT / "decision" / "data" / "screener-figures.toml"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, attack: bool, flagged: bool, text: str) -> None:
        if attack and flagged:
            self.tp += 1
        elif attack:
            self.fn += 1
            self.missed.append(text)
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def attacks(self) -> int:
        return self.tp + self.fn

    @property
    def harmless(self) -> int:
        return self.tn + self.fp

    @property
    def precision(self) -> float | None:
        # Undefined where the slice holds no harmless message to be wrong about.
        return self.tp / (self.tp + self.fp) if self.harmless and (self.tp + self.fp) else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.attacks if self.attacks else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.fp / self.harmless if self.harmless else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else None


def screener() -> Callable[[str], bool]:
    from decision import api

    def flagged(text: str) -> bool:
        answer = api.handle({"v": 1, "op": "screen", "text": text[:20_000]})
        assert answer["ok"], answer
        return bool(answer["result"]["suspicious"])

    return flagged


def tally(items: Iterable[Sample], flagged: Callable[[str], bool]) -> dict[tuple[str, ...], Counts]:
    """Counts for every slice: (split,), (split, set), (split, set, kind), (split, 'kind', kind), (split, 'lang', lang)."""
    out: dict[tuple[str, ...], Counts] = {}
    for s in items:
        hit = flagged(s.text)
        for key in (
            (s.split,),
            (s.split, s.set),
            (s.split, s.set, s.kind),
            (s.split, "kind", s.kind),
            (s.split, "lang", s.lang),
        ):
            out.setdefault(key, Counts()).add(s.attack, hit, s.text)
    return out


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(title: str, rows: list[tuple[str, Counts]]) -> str:
    lines = [
        f"### {title}",
        "",
        "| slice | attacks | harmless | precision | recall | F1 | false alarms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in rows:
        alarms = f"{c.fp} of {c.harmless}" if c.harmless else "—"
        lines.append(
            f"| {name} | {c.attacks} | {c.harmless} | {_f(c.precision)} | {_f(c.recall)} | {_f(c.f1)} | {alarms} |"
        )
    return "\n".join(lines) + "\n"


def false_alarms(items: Iterable[Sample], flagged: Callable[[str], bool]) -> list[tuple[str, Counts]]:
    """Held-out harmless messages flagged: per set, pooled, and pooled without the sets added after the candidates."""
    rows: dict[str, Counts] = {}
    for s in items:
        if s.split != HELD_OUT or s.attack:
            continue
        hit = flagged(s.text)
        names = [s.set, "all held-out harmless"]
        if s.set not in ADDED_AFTER_CANDIDATES:
            names.append("without " + ", ".join(ADDED_AFTER_CANDIDATES))
        for name in names:
            rows.setdefault(name, Counts()).add(False, hit, s.text)
    return sorted(rows.items(), key=lambda kv: (kv[0].startswith(("all", "without")), kv[0]))


def false_alarm_table(rows: list[tuple[str, Counts]]) -> str:
    lines = [
        "### held-out: harmless look-alikes flagged (target: at most 2%)",
        "",
        "| slice | harmless | flagged | share |",
        "|---|---:|---:|---:|",
    ]
    for name, c in rows:
        share = f"{c.false_alarm_rate:.1%}" if c.false_alarm_rate is not None else "—"
        lines.append(f"| {name} | {c.harmless} | {c.fp} | {share} |")
    return "\n".join(lines) + "\n"


def report(counts: dict[tuple[str, ...], Counts]) -> str:
    parts = []
    for split in (HELD_OUT, DEVELOPMENT):
        keys = [k for k in counts if k[0] == split]
        sets = sorted({k[1] for k in keys if len(k) >= 2 and k[1] not in ("kind", "lang")})
        rows = [("all", counts[(split,)])]
        for name in sets:
            rows.append((name, counts[(split, name)]))
            rows += [
                (f"{name}, {kind}", counts[(split, name, kind)])
                for kind in ("direct", "indirect")
                if (split, name, kind) in counts
            ]
        parts.append(table(f"{split}: per set and source", rows))
        parts.append(
            table(f"{split}: per source", [(k[2], counts[k]) for k in sorted(keys) if len(k) == 3 and k[1] == "kind"])
        )
        parts.append(
            table(f"{split}: per language", [(k[2], counts[k]) for k in sorted(keys) if len(k) == 3 and k[1] == "lang"])
        )
    return "\n".join(parts)


def held_out_figures(counts: dict[tuple[str, ...], Counts]) -> dict[str, dict[str, float | int]]:
    """What the AI page states: held-out direct and indirect attacks, and false alarms on harmless look-alikes."""

    def row(c: Counts) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "attacks": c.attacks,
            "caught": c.tp,
            "harmless": c.harmless,
            "false_alarms": c.fp,
        }
        for name in ("precision", "recall"):
            value = getattr(c, name)
            if value is not None:
                out[name] = round(value, 2)
        return out

    return {
        "direct": row(counts[(HELD_OUT, "kind", "direct")]),
        "indirect": row(counts[(HELD_OUT, "kind", "indirect")]),
        "all": row(counts[(HELD_OUT,)]),
    }


def figures_toml(figures: dict[str, dict[str, float | int]]) -> str:
    lines = [
        "# Generated by `make screener-eval` (bench/screener_eval.py --write): do not edit.",
        "# The screener on the held-out public sets (bench/NOTES.md), shown on the AI page;",
        "# tests/engine/test_screener_eval.py fails if a fresh evaluation gives other figures.",
    ]
    for name, row in figures.items():
        lines += ["", f"[{name}]"] + [f"{key} = {value}" for key, value in row.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate decision/data/screener-figures.toml")
    parser.add_argument("--missed", metavar="SET", help="print the attacks SET (a development set) misses")
    args = parser.parse_args()
    items = samples()
    flagged = screener()
    counts = tally(items, flagged)
    print(report(counts))
    print(false_alarm_table(false_alarms(items, flagged)))
    if args.missed:
        split = next(s.split for s in items if s.set == args.missed)
        if split != DEVELOPMENT:
            raise SystemExit(f"{args.missed} is held out: its misses are not for reading while tuning")
        for text in counts[(split, args.missed)].missed:
            print("MISSED:", text[:300].replace("\n", " | "))
    if args.write:
        FIGURES.write_text(figures_toml(held_out_figures(counts)), encoding="utf-8")
        print(f"wrote {FIGURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
