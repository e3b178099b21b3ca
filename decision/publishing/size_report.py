"""What a built site weighs: its total, its largest files, and what a first-time reader downloads.

GitHub Pages gzips text (and WebAssembly) as it sends it, allows a 1 GB site and asks for
under 100 GB a month of traffic. `report(site_dir)` measures the site the way Pages sends
it: every file's size, and the gzip bytes of everything a reader who has never visited
downloads to open a page with widgets and bring them to life (the page, the theme's CSS
and JS, the search index, the sitemap (instant navigation), the widget script and the modules it imports, the worker and its modules, the manifest, the Pyodide core and
the engine archive). Only the Pyodide core may be over 1 MB (1,048,576 bytes); `check`
names any other file that is.

With a wheel in `dist/` (`python -m build`), the report also gives its size and the share of it
that is the prebuilt browser runtime.

Build-time code: `make build` runs `python -m decision.publishing.size_report site`, which prints
the report and exits 1 when a file other than the Pyodide core is over 1 MB.
"""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import json
import pathlib
import posixpath
import re
import sys
import zipfile

from ..packing.assets import PYODIDE_DIR, RUNTIME_DIR

LIMIT = 1 << 20  # 1 MB as browsers and `du -h` count it
# What a host like Pages compresses on the fly; archives and images go as they are.
COMPRESSED = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".map", ".wasm"})
GZIP_LEVEL = 6  # the usual default of web servers and CDNs
SOFT_LIMIT = 100 * 10**9  # GitHub Pages: 100 GB a month

_TAG = re.compile(r"<(script|link)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_RELATIVE = re.compile(r"""new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)""")
# A module's static imports (`import { x } from "./y.js";`, `export { x } from "./y.js";`), one a line.
_IMPORT = re.compile(r"""^(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']""", re.M)


@dataclasses.dataclass(frozen=True)
class FileSize:
    """One file of the site: its path from the site root, its bytes, its bytes as Pages sends them."""

    path: str
    raw: int
    sent: int


def measure(path: pathlib.Path, relative: str) -> FileSize:
    data = path.read_bytes()
    sent = len(gzip.compress(data, GZIP_LEVEL, mtime=0)) if path.suffix in COMPRESSED else len(data)
    return FileSize(relative, len(data), min(sent, len(data)))


def site_files(site_dir: pathlib.Path) -> dict[str, FileSize]:
    """Every file of the site by its path from the root, measured."""
    return {
        p.relative_to(site_dir).as_posix(): measure(p, p.relative_to(site_dir).as_posix())
        for p in sorted(site_dir.rglob("*"))
        if p.is_file()
    }


def _resolve(page: str, url: str) -> str | None:
    """A page's relative reference as a path from the site root (None for other sites, data: and the like)."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if not url or ":" in url.split("/", 1)[0] or url.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url))


def modules(site_dir: pathlib.Path, script: str) -> list[str]:
    """The modules `script` imports, and theirs, as paths from the site root (the script itself not)."""
    found: list[str] = []
    todo = [script]
    while todo:
        current = todo.pop(0)
        if not (site_dir / current).is_file():
            continue
        for url in _IMPORT.findall((site_dir / current).read_text(encoding="utf-8")):
            path = _resolve(current, url)
            if path and path != script and path not in found:
                found.append(path)
                todo.append(path)
    return found


def first_visit(site_dir: str | pathlib.Path, page: str) -> list[str]:
    """The files a reader with an empty cache downloads to read `page` (a path such as `ai/index.html`)
    and bring its widgets to life, as paths from the site root, in the order they are found."""
    site_dir = pathlib.Path(site_dir)
    html = (site_dir / page).read_text(encoding="utf-8")
    found = [page]

    def add(path: str | None) -> None:
        if path and path not in found and (site_dir / path).is_file():
            found.append(path)

    for tag, attrs in _TAG.findall(html):
        values = {m[0].lower(): m[1] or m[2] for m in _ATTR.findall(attrs)}
        if tag.lower() == "script" and "src" in values:
            add(_resolve(page, values["src"]))
        elif tag.lower() == "link" and set(values.get("rel", "").lower().split()) & {
            "stylesheet",
            "icon",
            "modulepreload",
        }:
            add(_resolve(page, values.get("href", "")))
    config = _CONFIG.search(html)
    if config:  # Material's search: a worker that fetches the index as the page opens
        settings = json.loads(config.group(1))
        add(_resolve(page, settings.get("search") or ""))
        base = settings.get("base", ".")
        add(_resolve(page, posixpath.join(base, "search/search_index.json")))
        if "navigation.instant" in settings.get("features", []):  # instant navigation reads the sitemap
            add(_resolve(page, posixpath.join(base, "sitemap.xml")))
    if "data-wm-widget" in html:
        widget = next((p for p in found if p.startswith(f"{RUNTIME_DIR}/") and p.endswith(".js")), None)
        if widget:
            named = [
                _resolve(widget, url) for url in _RELATIVE.findall((site_dir / widget).read_text(encoding="utf-8"))
            ]
            for script in [widget, *named]:  # the widget script's modules, the worker and its modules, the manifest
                add(script)
                if script and script.endswith(".js"):
                    for module in modules(site_dir, script):
                        add(module)
        manifest_path = next((p for p in found if p.startswith(f"{RUNTIME_DIR}/") and p.endswith(".json")), None)
        if manifest_path:
            manifest = json.loads((site_dir / manifest_path).read_text(encoding="utf-8"))
            add(_resolve(manifest_path, manifest["engine"]["url"]))
            if "stdlib" in manifest:
                add(_resolve(manifest_path, manifest["stdlib"]["url"]))
            index = _resolve(manifest_path, manifest["pyodide"]["index"]) or str(PYODIDE_DIR)
            for core in sorted((site_dir / index).iterdir()):
                add(f"{index}/{core.name}")
    return found


def widget_pages(site_dir: pathlib.Path) -> list[str]:
    """The pages with at least one widget, as paths from the site root."""
    return [
        p.relative_to(site_dir).as_posix()
        for p in sorted(site_dir.rglob("*.html"))
        if "data-wm-widget=" in p.read_text(encoding="utf-8") and p.name != "404.html"
    ]


def over_limit(files: dict[str, FileSize]) -> list[FileSize]:
    """Files over 1 MB other than the Pyodide core."""
    return [f for f in files.values() if f.raw > LIMIT and not f.path.startswith(f"{PYODIDE_DIR}/")]


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


@dataclasses.dataclass
class Report:
    """The figures `make build` prints."""

    total: int
    sent_total: int
    count: int
    largest: list[FileSize]
    page: str | None
    visit: list[FileSize]
    over: list[FileSize]
    price_bytes: int = 0  # the price sets in the engine archive, gzipped
    price_files: int = 0
    freshness: str = ""  # when the prices were last checked, or a warning that they are stale
    wheel: str = ""  # what the built wheel weighs, when dist/ holds one

    @property
    def visit_bytes(self) -> int:
        return sum(f.sent for f in self.visit)

    def text(self) -> str:
        lines = [
            f"Site size: {_mb(self.total)} in {self.count} files ({_mb(self.sent_total)} gzipped as Pages sends it)",
            "Largest files:",
        ]
        lines += [f"  {_mb(f.raw):>9}  {f.path}  (sent {_mb(f.sent)})" for f in self.largest]
        if self.page:
            runtime = sum(f.sent for f in self.visit if f.path.startswith((f"{PYODIDE_DIR}/", f"{RUNTIME_DIR}/")))
            lines += [
                f"First visit to a widget page ({self.page}), gzip: {self.visit_bytes:,} bytes in {len(self.visit)} files",
                f"  page, theme and search: {self.visit_bytes - runtime:,} bytes; "
                f"widget script, worker, Pyodide and engine: {runtime:,} bytes",
                f"  GitHub Pages' soft limit of 100 GB a month is about {SOFT_LIMIT // self.visit_bytes:,} such visits",
            ]
        if self.price_files:
            lines.append(
                f"Price data the browser downloads: {self.price_bytes:,} bytes gzipped in {self.price_files} files "
                f"(budget {PRICE_BUDGET:,})"
            )
        if self.freshness:
            lines.append(self.freshness)
        if self.wheel:
            lines.append(self.wheel)
        if self.over:
            lines.append(
                "Over 1 MB outside the Pyodide core: " + ", ".join(f"{f.path} ({_mb(f.raw)})" for f in self.over)
            )
        else:
            lines.append("Over 1 MB: only the Pyodide core")
        return "\n".join(lines)


# The most the price sets may add, gzipped, to what a reader's browser downloads.
PRICE_BUDGET = 60 * 1024


def price_data(data_dir: pathlib.Path | None = None) -> tuple[int, int]:
    """(gzipped bytes, files) of the price sets the engine archive carries to the browser."""
    from ..loading import DATA_DIR

    folder = (data_dir or DATA_DIR) / "prices"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".json", ".toml"))
    return sum(len(gzip.compress(p.read_bytes(), GZIP_LEVEL, mtime=0)) for p in files), len(files)


def price_freshness(today: datetime.date, data_dir: pathlib.Path | None = None) -> tuple[str, bool]:
    """(a line saying when the current prices were last checked, whether that is too long ago)."""
    from ..loading import DATA_DIR

    path = (data_dir or DATA_DIR) / "prices" / "current.json"
    if not path.is_file():
        return "", False
    doc = json.loads(path.read_text(encoding="utf-8"))
    checked = doc.get("checked") or doc["effective"]
    limit = int(doc.get("stale_after_days", 30))
    age = (today - datetime.date.fromisoformat(checked)).days
    if age > limit:
        return (
            f"WARNING: the prices were last checked on {checked}, {age} days ago (more than {limit}): "
            "run `whatmatters prices refresh` or merge the weekly prices pull request",
            True,
        )
    return f"Prices last checked {checked} ({age} days ago; a warning after {limit})", False


def wheel_line(dist_dir: pathlib.Path) -> str:
    """The newest wheel in `dist_dir`: its size and how much of it is the prebuilt browser runtime."""
    wheels = sorted(dist_dir.glob("whatmatters-*.whl"), key=lambda p: p.stat().st_mtime) if dist_dir.is_dir() else []
    if not wheels:
        return f"Wheel: none in {dist_dir} (`python -m build` writes one there)"
    with zipfile.ZipFile(wheels[-1]) as wheel:
        runtime = [i for i in wheel.infolist() if i.filename.startswith("decision/_runtime/")]
        packed = sum(i.compress_size for i in runtime)
        unpacked = sum(i.file_size for i in runtime)
    return (
        f"Wheel {wheels[-1].name}: {_mb(wheels[-1].stat().st_size)} "
        f"(the browser runtime in it: {_mb(packed)}, {_mb(unpacked)} installed)"
    )


def report(
    site_dir: str | pathlib.Path,
    largest: int = 8,
    today: datetime.date | None = None,
    dist_dir: str | pathlib.Path = "dist",
) -> Report:
    """Measure the site in `site_dir`; the first-visit figure is for its heaviest widget page."""
    site_dir = pathlib.Path(site_dir)
    files = site_files(site_dir)
    visits = {page: [files[p] for p in first_visit(site_dir, page)] for page in widget_pages(site_dir)}
    page = max(visits, key=lambda p: sum(f.sent for f in visits[p]), default=None)
    return Report(
        total=sum(f.raw for f in files.values()),
        sent_total=sum(f.sent for f in files.values()),
        count=len(files),
        largest=sorted(files.values(), key=lambda f: (-f.raw, f.path))[:largest],
        page=page,
        visit=visits.get(page, []) if page else [],
        over=over_limit(files),
        price_bytes=(priced := price_data())[0],
        price_files=priced[1],
        freshness=price_freshness(today or datetime.date.today())[0],
        wheel=wheel_line(pathlib.Path(dist_dir)),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not pathlib.Path(argv[0]).is_dir():
        print("usage: python -m decision.publishing.size_report SITE_DIR", file=sys.stderr)
        return 2
    result = report(argv[0])
    print(result.text())
    if result.freshness.startswith("WARNING"):
        print(result.freshness, file=sys.stderr)
    return 1 if result.over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
