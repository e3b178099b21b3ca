"""`make screener-speed`: how long the screener takes on the longest message, in Pyodide and on CPython.

Screens 20,000 characters of plain prose and of each worst case we know (floods that make a
pattern or the model work hardest) inside Pyodide under Node (bench/engine_node.mjs, the
engine archive the site ships) and on CPython, interleaved in one run, and prints the
median and p95 of each and what each costs beyond prose of the same length. Writes the
table to bench/SCREENER-SPEED.md.
"""

from __future__ import annotations

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from decision import api  # noqa: E402
from decision.packing.archive import build_archive  # noqa: E402
from decision.protocol import SCREEN_MAX_CHARS  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
OUT = ROOT / "bench" / "SCREENER-SPEED.md"
PROSE = (
    "The cooking school opens at nine on weekdays. Students bring their own knives and an apron, "
    "and the first class covers how to hold a knife safely. Ask the front desk about the timetable. "
)
# A flood plus the attack line that brings every part of the screener to the end of the message.
FLOODS = {
    "image-link fragments": "![a](http://x/?",
    "newlines": "\n",
    "spaces": " ",
    "'ignore ' repeated": "ignore ",
    "'system:' repeated": "system:",
    "one long word": "A",
    "punctuation": "<|",
    "base64-like": "QUJD",
}


def fill(chunk: str) -> str:
    return (chunk * (SCREEN_MAX_CHARS // len(chunk) + 1))[:SCREEN_MAX_CHARS]


# Real prose with a real vocabulary (PROSE repeats 33 words; a page of the guide holds about a
# thousand distinct ones, and the model hashes each distinct word and pair once).
GUIDE_PAGE = ROOT / "content" / "never-skip.md"


def inputs() -> dict[str, str]:
    return {
        "plain prose": fill(PROSE),
        "guide page (never-skip.md)": fill(GUIDE_PAGE.read_text(encoding="utf-8")),
        **{name: fill(chunk) for name, chunk in FLOODS.items()},
    }


def pyodide_times(texts: dict[str, str], work: pathlib.Path) -> dict[str, list[float]]:
    archive = build_archive(work)
    names = list(texts)
    requests = [{"v": 1, "op": "screen", "text": "hello"}] + [{"v": 1, "op": "screen", "text": texts[n]} for n in names]
    path = work / "requests.json"
    path.write_text(json.dumps(requests), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "bench/engine_node.mjs"), str(archive), str(path), "--repeat", str(len(requests) * RUNS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    times = json.loads(done.stdout)["times"]
    out: dict[str, list[float]] = {n: [] for n in names}
    for i, ms in enumerate(times):
        if i % len(requests):
            out[names[i % len(requests) - 1]].append(ms)
    return out


def cpython_times(texts: dict[str, str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {n: [] for n in texts}
    for _ in range(RUNS):
        for name, text in texts.items():
            started = time.perf_counter()
            api.handle({"v": 1, "op": "screen", "text": text})
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    texts = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        in_pyodide = pyodide_times(texts, pathlib.Path(tmp))
    on_cpython = cpython_times(texts)
    base_py, base_c = p95(in_pyodide["plain prose"]), p95(on_cpython["plain prose"])
    lines = [
        f"# Screener speed: {SCREEN_MAX_CHARS:,} characters, {RUNS} runs each, interleaved",
        "",
        f"Load average at the start: {os.getloadavg()[0]:.1f}. Targets: p95 of prose at most 20 ms in "
        "Pyodide; no input more than 50 ms beyond prose in Pyodide.",
        "",
        "| input | Pyodide median | Pyodide p95 | beyond prose (p95) | CPython median | CPython p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in texts:
        py, c = in_pyodide[name], on_cpython[name]
        beyond = "—" if name == "plain prose" else f"{p95(py) - base_py:+.1f} ms"
        lines.append(
            f"| {name} | {statistics.median(py):.1f} ms | {p95(py):.1f} ms | {beyond} | "
            f"{statistics.median(c):.1f} ms | {p95(c):.1f} ms |"
        )
    lines += ["", f"CPython prose p95 {base_c:.1f} ms; Pyodide / CPython on prose: {base_py / base_c:.1f}x."]
    table = "\n".join(lines) + "\n"
    print(table)
    OUT.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
