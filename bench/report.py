"""The table `make bench` prints, and RESULTS.md around it (machine, date, versions, optimisation notes)."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[1]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _m(rows: list[dict[str, float]], key: str) -> float:
    return med([r[key] for r in rows if key in r])


def _kb(n: float) -> str:
    return "n/a" if n != n else f"{n / 1024:,.0f} KiB"


def _ms(n: float) -> str:
    return "n/a" if n != n else f"{n:,.0f} ms"


def render(
    builds: list[float],
    node: dict[str, list[dict[str, float]]],
    pages: dict[str, list[dict[str, float]]],
    lh: dict[str, list[dict[str, float]]],
    sizes: dict[str, int],
    runs: int,
    lh_runs: tuple[int, int],
    elapsed: float,
) -> str:
    lh_said = f"Lighthouse: {lh_runs[0]} on guide pages, {lh_runs[1]} on embed pages"
    out = [f"Medians of {runs} runs ({lh_said}); bench took {elapsed:,.0f} s.", ""]
    out += ["## Browser (headless Chromium, 127.0.0.1, no compression on the wire; gz = gzip -6 of the same files)", ""]
    head = "| contender | runs ok | first usable | cold answer (ours: from touch) | warm answer | 2nd page (instant nav) | long tasks sum / max | bytes before touch raw / gz | bytes before answer raw / gz |"
    out += [head, "|" + "---|" * 9]
    for name, rows in pages.items():
        out.append(
            f"| {name} | {len(rows)} | {_ms(_m(rows, 'first_usable'))} | {_ms(_m(rows, 'answer'))} ({_ms(_m(rows, 'from_touch'))}) | {_ms(_m(rows, 'warm'))} "
            f"| {_ms(_m(rows, 'second_page'))} | {_ms(_m(rows, 'longtask_total'))} / {_ms(_m(rows, 'longtask_max'))} "
            f"| {_kb(_m(rows, 'bytes_touch_raw'))} / {_kb(_m(rows, 'bytes_touch_gz'))} | {_kb(_m(rows, 'bytes_answer_raw'))} / {_kb(_m(rows, 'bytes_answer_gz'))} |"
        )
    ours = pages.get("ours (cost widget)", [])
    out += [
        "",
        "Ratios, ours / peer (below 1 is better for us):",
        "",
        "| peer | first usable | cold answer | cold answer, ours from touch | warm answer | bytes before answer (gz) |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in pages.items():
        if name.startswith("ours") or "@" in name or not rows or not ours:
            continue
        r = [_m(ours, key) / _m(rows, key) for key in ("first_usable", "answer", "warm", "bytes_answer_gz")]
        touch = _m(ours, "from_touch") / _m(rows, "answer")  # a peer starts at navigation, ours at the scroll
        out.append(f"| {name} | {r[0]:.3f} | {r[1]:.2f} | {touch:.2f} | {r[2]:.2f} | {r[3]:.2f} |")
    out += _browser_extra(pages)
    out += [
        "",
        "## Engine inside Pyodide (Node 20, npm pyodide, 1,000 requests cycled from the differential corpus)",
        "",
    ]
    out += [
        "| runtime | loadPyodide | unpack engine | import decision.api | request p50 | request p95 |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("full stdlib", "trimmed stdlib", "shipped (.pyc)"):
        rows = node.get(name, [])
        out.append(
            f"| {name} | {_ms(_m(rows, 'boot_ms'))} | {_ms(_m(rows, 'unpack_ms'))} | {_ms(_m(rows, 'import_ms'))} "
            f"| {_m(rows, 'p50'):.3f} ms | {_m(rows, 'p95'):.3f} ms |"
        )
    same = node["same answers"][0]["ok"] == 1.0
    out += [
        "",
        f"Answers identical on all three runtimes: {'yes' if same else 'NO'}. "
        f"python_stdlib.zip {sizes['python_stdlib.zip']:,} bytes -> trimmed {sizes['trimmed']:,} bytes (source)"
        f" -> shipped {sizes.get('shipped', 0):,} bytes (byte-compiled, as the site serves it).",
        "",
    ]
    out += [
        f"## mkdocs build --strict (whole site): median {med(builds):.1f} s (runs: {', '.join(f'{b:.1f}' for b in builds)})",
        "",
    ]
    if lh:
        out.append(lighthouse_table(lh, *lh_runs))
    return "\n".join(out) + "\n"


def _browser_extra(pages: dict[str, list[dict[str, float]]]) -> list[str]:
    """Who the cold visit's long animation frames went to, and the scrolling reader's wait (bench/browser.py)."""
    out = [
        "",
        "Long animation frames of the cold visit, by source (medians): Material's bundle, our scripts"
        " (widget, embed), other scripts (inline, peers' own), rendering outside scripts, the rest (parsing, tasks with no script):",
        "",
        "| contender | long frames total | Material | ours | other scripts | rendering | rest |",
        "|---|---|---|---|---|---|---|",
    ]
    keys = ("lf_total", "lf_material", "lf_ours", "lf_script", "lf_render", "lf_other")
    for name, rows in pages.items():
        if rows and "lf_total" in rows[0]:
            out.append(f"| {name} | " + " | ".join(_ms(_m(rows, key)) for key in keys) + " |")
    arrival = [r["from_arrival"] for rows in pages.values() for r in rows if "from_arrival" in r]
    if arrival:
        out += [
            "",
            "Reader scrolling down half a screen a second from the top (fresh context, cold): the cost widget's"
            f" answer came {_ms(med(arrival))} after the widget reached mid-screen"
            f" (median of {len(arrival)}; runs: {', '.join(_ms(a) for a in arrival)}).",
        ]
    return out


def lighthouse_table(lh: dict[str, list[dict[str, float]]], runs: int, embed_runs: int) -> str:
    """Medians per page: the four category scores, TBT, LCP, CLS, FCP, Speed Index, bytes on the wire."""
    out = [
        "## Lighthouse 12.2.3, mobile, every page (served gzipped with max-age=600, as GitHub Pages does)",
        "",
        "| page | runs ok | performance | accessibility | best practices | SEO | TBT | LCP | CLS | FCP | Speed Index | bytes (gz) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, rows in lh.items():
        embed = page.startswith("embed/") and page != "embed/"
        seo = f"{_m(rows, 'seo'):.2f}"
        out.append(
            f"| {page or '/'} | {len(rows)}/{embed_runs if embed else runs} | {_m(rows, 'performance'):.2f} "
            f"| {_m(rows, 'accessibility'):.2f} | {_m(rows, 'best-practices'):.2f} | {seo} | {_ms(_m(rows, 'tbt'))} "
            f"| {_ms(_m(rows, 'lcp'))} | {_m(rows, 'cls'):.3f} | {_ms(_m(rows, 'fcp'))} | {_ms(_m(rows, 'si'))} "
            f"| {_kb(_m(rows, 'bytes'))} |"
        )
    marks = [r["benchmark"] for rows in lh.values() for r in rows if r.get("benchmark")]
    out += [
        "",
        "Embed pages name the guide page their widget lives on as their canonical address (built with a"
        " site_url). They load Pyodide at once (the widget is the whole page), so their bytes include the"
        " runtime as far as it had arrived when Lighthouse stopped.",
        f"Lighthouse's benchmark index of this machine during the runs: median {med(marks):,.0f}"
        f" (range {min(marks, default=0):,.0f} to {max(marks, default=0):,.0f}); lower means a busier CPU and"
        " longer simulated blocking time.",
        "",
    ]
    return "\n".join(out)


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def wrap(table: str) -> str:
    pkg = lambda name: json.loads((ROOT / "node_modules" / name / "package.json").read_text())["version"]  # noqa: E731
    load = os.getloadavg()
    probe = "import importlib.metadata as m; print(m.version('markdown-exec'))"
    mdexec = _version([str(ROOT / ".venv/bin/python"), "-c", probe])
    machine = (
        f"- machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.platform()}; "
        f'load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (contenders interleaved run by run; "Runs" below says what else shared the cores)\n'
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- versions: {_version(['/usr/bin/chromium', '--version'])}; node {_version(['node', '--version'])}; "
        f"pyodide {pkg('pyodide')}; @pyscript/core {pkg('@pyscript/core')}; lighthouse {pkg('lighthouse')}; "
        f"markdown-exec {mdexec}\n"
    )
    notes = (ROOT / "bench" / "NOTES.md").read_text(encoding="utf-8")
    return f"# Benchmark results\n\n`make bench` wrote this file.\n\n{machine}\n{table}\n{notes}"
