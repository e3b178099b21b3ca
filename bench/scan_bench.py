"""`whatmatters scan`: per-rule precision and recall on the labelled corpus, and the time to scan a
generated 10,000-file repository (median of several runs). Prints tables; asserts nothing.

    PYTHONPATH=. python bench/scan_bench.py [--files 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from decision.cli.scanning import scan_path  # noqa: E402
from helpers import scan_corpus  # noqa: E402


def precision_recall(root: pathlib.Path) -> None:
    stats: dict[str, list[int]] = {}  # rule -> [true positives, false positives, misses]
    for name in scan_corpus.REPOS:
        result = scan_path(scan_corpus.write(root, name), external=True)  # detect-secrets too, as --detect-secrets
        found = {(f["rule"], f["file"], f["line"]) for b in result["basics"] for f in b["findings"]}
        planted = scan_corpus.planted(name)
        for rule, _, _ in found | planted:
            stats.setdefault(rule, [0, 0, 0])
        for hit in found:
            stats[hit[0]][0 if hit in planted else 1] += 1
        for miss in planted - found:
            stats[miss[0]][2] += 1
    print("| rule | found | false alarms | missed | precision | recall |\n|---|---:|---:|---:|---:|---:|")
    for rule, (tp, fp, fn) in sorted(stats.items()):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {rule} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} |")


def generated(root: pathlib.Path, n: int) -> pathlib.Path:
    repo = root / "big"
    for i in range(n):
        folder = repo / f"pkg{i % 100}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "".join(f"def f{j}(x):\n    return x * {j}  # a line of ordinary code\n" for j in range(20))
        (folder / f"mod{i}.py").write_text(body)
    return repo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        precision_recall(pathlib.Path(tmp))
        print("\nA generated repository (no git, so the walker reads .gitignore itself):")
        repo = generated(pathlib.Path(tmp), args.files)
        for external, label in ((False, "rules of scan.toml"), (True, "with detect-secrets")):
            times = []
            for _ in range(args.runs if not external else 1):
                start = time.perf_counter()
                result = scan_path(repo, external=external)
                times.append(time.perf_counter() - start)
            print(
                f"{result['files_read']:,} files, {label}, {len(times)} run(s): "
                f"median {statistics.median(times):.2f} s, fastest {min(times):.2f} s"
            )


if __name__ == "__main__":
    main()
