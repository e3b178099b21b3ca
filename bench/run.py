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
import lighthouse as lh
import peers

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Lighthouse: every page of the built site unless BENCH_LH_PAGES names some ("/ ai/ embed/cost/"); guide pages BENCH_LH_RUNS times, embed pages BENCH_LH_EMBED_RUNS times.
LH_RUNS = int(os.environ.get("BENCH_LH_RUNS", "5"))
LH_EMBED_RUNS = int(os.environ.get("BENCH_LH_EMBED_RUNS", "3"))
LH_PAGES = [p.strip("'\"").lstrip("/") for p in os.environ.get("BENCH_LH_PAGES", "").split()]
# BENCH_ONLY=lighthouse: one build, then Lighthouse alone (no engine, browser or peers).
ONLY = os.environ.get("BENCH_ONLY", "")
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


def shipped(site: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """The byte-compiled engine archive and trimmed stdlib zip the built site ships."""
    home = site / "assets" / "whatmatters"
    return next((home / "engine").glob("*.zip")), next((home / "stdlib").glob("*.zip"))


def engine_node(
    archive: pathlib.Path, stdlib: pathlib.Path, work: pathlib.Path, site: pathlib.Path
) -> dict[str, list[dict[str, float]]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import corpus

    requests = work / "requests.json"
    requests.write_text(json.dumps(corpus.REQUESTS + corpus.NOT_OBJECTS), encoding="utf-8")
    out: dict[str, list[dict[str, float]]] = {"full stdlib": [], "trimmed stdlib": [], "shipped (.pyc)": []}
    site_archive, site_stdlib = shipped(site)
    variants = (
        ("full stdlib", archive, []),
        ("trimmed stdlib", archive, ["--stdlib", str(stdlib)]),
        ("shipped (.pyc)", site_archive, ["--stdlib", str(site_stdlib)]),
    )
    digests = set()
    for run in range(RUNS):
        for name, engine, extra in variants:
            trace = ["--trace", str(ROOT / "bench" / "trace.json")] if run == 0 and not extra else []
            cmd = ["node", str(ROOT / "bench/engine_node.mjs"), str(engine), str(requests), *extra, *trace]
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
    """Lighthouse on every page of the site under root/site/ (or BENCH_LH_PAGES), served gzipped as Pages does."""
    pages = LH_PAGES or lh.site_pages(root / "site")
    guide = [p for p in pages if not lh.is_embed(p)]
    embeds = [p for p in pages if lh.is_embed(p)]
    print(f"lighthouse x{LH_RUNS} on {len(guide)} guide pages, x{LH_EMBED_RUNS} on {len(embeds)} embed pages ...")
    results = lh.run(root, guide, LH_RUNS) if guide and LH_RUNS else {}
    if embeds and LH_EMBED_RUNS:
        results |= lh.run(root, embeds, LH_EMBED_RUNS)
    return results


def main() -> None:
    started = time.perf_counter()
    import report

    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        if ONLY == "lighthouse":  # the Lighthouse table alone, printed; RESULTS.md is left as it is
            subprocess.run(
                [str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "--strict", "-d", str(work / "root" / "site")],
                cwd=ROOT,
                env=ENV,
                check=True,
            )
            results = lighthouse(work / "root")
            print(report.lighthouse_table(results, LH_RUNS, LH_EMBED_RUNS))
            print(f"Lighthouse alone took {time.perf_counter() - started:,.0f} s.")
            return
        print(f"mkdocs build x{RUNS} ...", flush=True)
        build_times, site = mkdocs_builds(work)
        from decision.packing.archive import build_archive
        from decision.packing.stdlib import write_trimmed_stdlib

        archive = build_archive(work / "engine")
        stdlib = write_trimmed_stdlib(peers.PYODIDE / "python_stdlib.zip", work / "stdlib")
        print(f"engine in Node x{RUNS} (full, trimmed and shipped stdlib, interleaved) ...", flush=True)
        node = engine_node(archive, stdlib, work, site)
        root = work / "root"
        peers.lay_out(root, site, archive, stdlib)
        print(f"browser x{RUNS}, contenders interleaved ...", flush=True)
        skip = set(os.environ.get("BENCH_SKIP", "").split(",")) - {""}
        pages = browser.measure(root, RUNS, skip, int(os.environ.get("BENCH_THROTTLED_RUNS", "3")))
        results = lighthouse(root)
        sizes = {
            "python_stdlib.zip": (peers.PYODIDE / "python_stdlib.zip").stat().st_size,
            "trimmed": stdlib.stat().st_size,
            "shipped": shipped(site)[1].stat().st_size,
        }
    text = report.render(
        build_times, node, pages, results, sizes, RUNS, (LH_RUNS, LH_EMBED_RUNS), time.perf_counter() - started
    )
    print(text)
    (ROOT / "bench" / "RESULTS.md").write_text(report.wrap(text), encoding="utf-8")


if __name__ == "__main__":
    main()
