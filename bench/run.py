"""`make bench`: build, lay out the contenders, measure them interleaved, print one table, write bench/RESULTS.md."""

from __future__ import annotations

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import browser
import peers

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
LH_RUNS = int(os.environ.get("BENCH_LH_RUNS", "3"))
LH_PAGES = os.environ.get("BENCH_LH_PAGES", "index.html ai/").split()
# Material navigates instantly only to URLs its sitemap lists (scheme and host compared, not port).
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1/site/"}


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mkdocs_builds(work: pathlib.Path) -> tuple[list[float], pathlib.Path]:
    times = []
    site = work / "site"
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "--strict", "-d", str(site)], cwd=ROOT, env=ENV, check=True
        )
        times.append(time.perf_counter() - start)
    return times, site


def engine_node(archive: pathlib.Path, stdlib: pathlib.Path, work: pathlib.Path) -> dict[str, list[dict[str, float]]]:
    sys.path.insert(0, str(ROOT / "tests"))
    import corpus

    requests = work / "requests.json"
    requests.write_text(json.dumps(corpus.REQUESTS + corpus.NOT_OBJECTS), encoding="utf-8")
    out: dict[str, list[dict[str, float]]] = {"full stdlib": [], "trimmed stdlib": []}
    digests = set()
    for run in range(RUNS):
        for name, extra in (("full stdlib", []), ("trimmed stdlib", ["--stdlib", str(stdlib)])):
            trace = ["--trace", str(ROOT / "bench" / "trace.json")] if run == 0 and not extra else []
            cmd = ["node", str(ROOT / "bench/engine_node.mjs"), str(archive), str(requests), *extra, *trace]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if proc.returncode != 0:
                print(f"  engine {name} run {run + 1}: failed: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            line = json.loads(proc.stdout)
            times = sorted(line.pop("times"))
            digests.add(line.pop("answers"))
            out[name].append({**line, "p50": times[len(times) // 2], "p95": times[int(len(times) * 0.95)]})
    out["same answers"] = [{"ok": float(len(digests) == 1)}]
    return out


def lighthouse(root: pathlib.Path) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {page: [] for page in LH_PAGES}
    env = {**os.environ, "CHROME_PATH": browser.CHROMIUM}
    flags = "--headless=new " + " ".join(browser.ARGS)
    with browser.serve(root) as base:
        for _ in range(LH_RUNS):
            for page in LH_PAGES:
                cmd = [
                    str(ROOT / "node_modules/.bin/lighthouse"),
                    f"{base}/site/{page}",
                    "--output=json",
                    "--quiet",
                    "--form-factor=mobile",
                    f"--chrome-flags={flags}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                ]
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                try:
                    report = json.loads(proc.stdout)
                except ValueError:
                    print(f"  lighthouse {page}: failed: {proc.stderr.strip().splitlines()[-1:]}", flush=True)
                    continue
                cats = report["categories"]
                audits = report["audits"]
                results[page].append(
                    {
                        **{k: float(v["score"] or 0) for k, v in cats.items()},
                        "bytes": float(audits["total-byte-weight"]["numericValue"]),
                        "tbt": float(audits["total-blocking-time"]["numericValue"]),
                    }
                )
    return results


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        print(f"mkdocs build x{RUNS} ...", flush=True)
        build_times, site = mkdocs_builds(work)
        from decision.build.archive import build_archive
        from decision.build.stdlib import write_trimmed_stdlib

        archive = build_archive(work / "engine")
        stdlib = write_trimmed_stdlib(peers.PYODIDE / "python_stdlib.zip", work / "stdlib")
        print(f"engine in Node x{RUNS} (full and trimmed stdlib, interleaved) ...", flush=True)
        node = engine_node(archive, stdlib, work)
        root = work / "root"
        peers.lay_out(root, site, archive, stdlib)
        print(f"browser x{RUNS}, contenders interleaved ...", flush=True)
        skip = set(os.environ.get("BENCH_SKIP", "").split(",")) - {""}
        pages = browser.measure(root, RUNS, skip, int(os.environ.get("BENCH_THROTTLED_RUNS", "3")))
        print(f"lighthouse x{LH_RUNS} on {', '.join(LH_PAGES)} ...", flush=True)
        lh = lighthouse(root) if LH_RUNS else {}
        sizes = {
            "python_stdlib.zip": (peers.PYODIDE / "python_stdlib.zip").stat().st_size,
            "trimmed": stdlib.stat().st_size,
        }
    import report

    text = report.render(build_times, node, pages, lh, sizes, RUNS, LH_RUNS, time.perf_counter() - started)
    print(text)
    (ROOT / "bench" / "RESULTS.md").write_text(report.wrap(text), encoding="utf-8")


if __name__ == "__main__":
    main()
