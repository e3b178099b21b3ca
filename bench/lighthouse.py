"""Lighthouse on the built site, served the way GitHub Pages serves it: gzip on the wire, ten-minute cache.

GitHub Pages compresses text, scripts, JSON, SVG and wasm with gzip (no brotli) for a client
that asks for it, and sends `Cache-Control: max-age=600`. `browser.serve(root, GzipHandler)` does the same
from 127.0.0.1, so Lighthouse's simulated slow 4G sees the bytes a reader would download.
(`browser.serve`, used by the browser contenders, sends raw bytes; its gz figures are
computed, not sent.) Archives (.zip, .tar.gz) go out as they are: they hardly compress and
Pages leaves them alone.

`run(root, pages, runs)` runs Lighthouse 12.2.3 (npm, `CHROME_PATH=/usr/bin/chromium`,
mobile) `runs` times on every page, pages interleaved run by run, and returns per page the
four category scores, TBT, LCP, CLS, FCP, Speed Index and the bytes transferred.
`python bench/lighthouse.py SITE_DIR [PAGE...]` runs it on a built site (one run unless
BENCH_LH_RUNS says otherwise), prints each run's figures and the first run's performance audits
that lose points, and keeps the JSON reports in BENCH_LH_KEEP (default /tmp/lighthouse-reports).

With Chromium 156, Lighthouse 12.2.3 cannot read part of the trace ("frame_sequence"): the
diagnostic audits largest-contentful-paint-element, layout-shifts, render-blocking-resources,
prioritize-lcp-image, lcp-lazy-loaded and non-composited-animations report an error. None of
them is scored; the metrics and the four category scores are computed as usual.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import pathlib
import subprocess
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import browser

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Content types GitHub Pages sends gzipped (its CDN compresses text-like types and wasm).
GZIPPED = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "text/xml",
    "image/svg+xml",
    "application/wasm",
    "text/plain",
    "application/manifest+json",
}
# Figures kept from each report: category scores and these audits' numeric values.
AUDITS = {
    "tbt": "total-blocking-time",
    "lcp": "largest-contentful-paint",
    "cls": "cumulative-layout-shift",
    "fcp": "first-contentful-paint",
    "si": "speed-index",
    "bytes": "total-byte-weight",
}


@functools.cache
def _gzipped(path: pathlib.Path, mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), 6, mtime=0)


class GzipHandler(browser.Handler):
    """browser.Handler (Pages' cache header, the sitemap with our port) plus gzip for text-like files.

    HTTP/1.1 with keep-alive, as a browser meets Pages (which speaks HTTP/2): with HTTP/1.0 every
    request would open its own connection, and Lighthouse's simulation charges each one a handshake.
    """

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server names it)
        local = pathlib.Path(self.translate_path(self.path))
        if local.is_dir() and self.path.split("?")[0].endswith("/"):
            local = local / "index.html"
        ctype = self.guess_type(str(local))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if self.path.endswith("/sitemap.xml") or not wants or ctype not in GZIPPED or not local.is_file():
            super().do_GET()
            return
        stat = local.stat()
        body = _gzipped(local, stat.st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        self.wfile.write(body)


def is_embed(page: str) -> bool:
    """An embed page (a frame for other sites), not the guide's own Embed page."""
    return page.startswith("embed/") and page != "embed/"


def site_pages(site: pathlib.Path) -> list[str]:
    """Every page of the built site, relative to it ("" is the home page): guide pages, then embed pages; 404 left out."""
    pages = [p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")]
    pages = ["" if p == "./" else p for p in pages]
    return sorted(pages, key=lambda p: (is_embed(p), p))


def _row(line: dict[str, Any]) -> dict[str, float]:
    row = {k: float(v or 0) for k, v in line["categories"].items()}
    for key, name in AUDITS.items():
        row[key] = float(line["audits"][name] or 0)
    row["benchmark"] = float(line.get("benchmarkIndex") or 0)
    return row


def run(
    root: pathlib.Path, pages: list[str], runs: int, keep: pathlib.Path | None = None
) -> dict[str, list[dict[str, float]]]:
    """`runs` Lighthouse runs on each of `pages` (under root/site/), interleaved; JSON reports kept in `keep`."""
    results: dict[str, list[dict[str, float]]] = {page: [] for page in pages}
    env = {**os.environ, "CHROME_PATH": browser.CHROMIUM}
    with browser.serve(root, GzipHandler) as base:
        urls = {f"{base}/site/{page}": page for page in pages}
        cmd = ["node", str(ROOT / "bench/lighthouse.mjs"), str(runs), str(keep or "-"), *urls]
        started = time.perf_counter()
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT) as proc:
            assert proc.stdout is not None
            for done, text in enumerate(proc.stdout, 1):
                line = json.loads(text)
                page = urls[line["url"]]
                if line["ok"]:
                    results[page].append(_row(line))
                else:
                    print(f"  lighthouse {page or '/'} run {line['run']}: failed: {line.get('error')}", flush=True)
                if done % len(pages) == 0:
                    took = time.perf_counter() - started
                    print(f"  lighthouse run {done // len(pages)}/{runs} done ({took:,.0f} s so far)", flush=True)
    return results


def findings(report: dict[str, object]) -> list[str]:
    """The performance audits that lose points, with their display values, for diagnosis."""
    audits = report["audits"]
    assert isinstance(audits, dict)
    out = []
    for audit_id, a in audits.items():
        if a.get("scoreDisplayMode") in ("metricSavings", "numeric", "binary") and (a.get("score") or 0) < 0.9:
            out.append(f"{audit_id}: {a.get('displayValue', '')} (score {a.get('score')})")
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python bench/lighthouse.py SITE_DIR [PAGE...]")
    site = pathlib.Path(sys.argv[1]).resolve()
    keep = pathlib.Path(os.environ.get("BENCH_LH_KEEP", "/tmp/lighthouse-reports"))
    keep.mkdir(parents=True, exist_ok=True)
    # The site is served under /site/ (it is built with SITE_URL=http://127.0.0.1/site/).
    root = keep / "root"
    root.mkdir(exist_ok=True)
    link = root / "site"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(site)
    chosen = sys.argv[2:] or site_pages(site)
    out = run(root, chosen, int(os.environ.get("BENCH_LH_RUNS", "1")), keep)
    for page, rows in out.items():
        for row in rows:
            print(
                f"{page or '/'}: perf {row['performance']:.2f} a11y {row['accessibility']:.2f} bp {row['best-practices']:.2f}"
                f" seo {row['seo']:.2f} tbt {row['tbt']:.0f} lcp {row['lcp']:.0f} fcp {row['fcp']:.0f} si {row['si']:.0f}"
                f" cls {row['cls']:.3f} KiB {row['bytes'] / 1024:.0f}"
            )
        report = keep / ((page.strip("/").replace("/", "_") or "index") + ".1.json")
        if report.is_file():
            for finding in findings(json.loads(report.read_text(encoding="utf-8"))):
                print(f"    {finding}")
