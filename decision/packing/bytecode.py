"""The stdlib and engine zips the site ships, byte-compiled for Pyodide's own Python.

Pyodide's npm `python_stdlib.zip` holds only `.py` files, so without bytecode every module
imported at start is compiled from source inside WebAssembly: most of `loadPyodide`'s time
(bench/NOTES.md). The `.pyc` files must match Pyodide's interpreter exactly (its 3.14 magic
number), so `pycompile.mjs` compiles them inside that very Pyodide under Node, at build time.
Each zip's `NAME.py` becomes a sourceless `NAME.pyc`; every other member stays as it is.

A compiled zip is cached under `~/.cache/whatmatters/pyc/` (`$XDG_CACHE_HOME`, or
`$WHATMATTERS_CACHE` for another place), named by a hash of what went in: the source zip, the
Pyodide release, the compile script and the options. So a build pays the ~3 s of Node once per
change of the engine's code, and `mkdocs serve` rebuilds stay fast; entries unused for 30 days
are removed when a new one is written. Without `node` on PATH the
zips ship as source, with a warning: the answers are the same, the start is slower.
Build-time code; the browser never imports it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import zipfile

SCRIPT = pathlib.Path(__file__).with_name("pycompile.mjs")
# The stdlib without docstrings and asserts (Python's -OO): 0.24 MB less to download, the same answers
# (tests/pyodide/test_pyodide.py). The engine keeps both, so it runs exactly as it does on CPython.
STDLIB_OPTIMIZE = 2
ENGINE_OPTIMIZE = 0
# Line tables: "full" keeps every line and column; "def" gives each instruction the line of its
# function's `def` (pycompile.mjs). The stdlib's tables were 0.43 MB of its 1.16 MB deflated; a
# traceback through it, which only ever reaches the console, still names file, function and def
# line. The engine keeps full tables: its tracebacks point at the line that failed.
STDLIB_LINES = "def"
ENGINE_LINES = "full"
LINES = ("full", "def")
WHERE = ("stdlib", "site-packages")
PRUNE_DAYS = 30
log = logging.getLogger(__name__)


class BytecodeError(Exception):
    """Node ran but the compile failed; the message carries its last line."""


def cache_dir() -> pathlib.Path:
    if explicit := os.environ.get("WHATMATTERS_CACHE"):
        return pathlib.Path(explicit) / "pyc"
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "whatmatters" / "pyc"


def cache_key(source: bytes, pyodide_dir: pathlib.Path, where: str, optimize: int, lines: str = "full") -> str:
    """What a compiled zip depends on: the sources, this Pyodide, the compile script and the options."""
    digest = hashlib.sha256()
    for part in (
        source,
        (pyodide_dir / "package.json").read_bytes(),
        str((pyodide_dir / "pyodide.asm.wasm").stat().st_size).encode(),
        SCRIPT.read_bytes(),
        f"{where} {optimize} {lines}".encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def compiled_zip(
    source: bytes, pyodide_dir: pathlib.Path, where: str, optimize: int, lines: str = "full"
) -> bytes | None:
    """`source`, a zip, with each `NAME.py` replaced by `NAME.pyc` for this Pyodide; None without node.

    `where` says where Pyodide will import it from ("stdlib": the zip on sys.path,
    "site-packages": where the worker unpacks the engine), so tracebacks name the right file;
    `lines` says how much of the line tables to keep (LINES).
    """
    if where not in WHERE:
        raise ValueError(f"where should be one of {WHERE}, not {where!r}")
    if lines not in LINES:
        raise ValueError(f"lines should be one of {LINES}, not {lines!r}")
    cached = cache_dir() / f"{cache_key(source, pyodide_dir, where, optimize, lines)}.zip"
    if cached.is_file():
        os.utime(cached)  # in use: not pruned
    else:
        node = shutil.which("node")
        if node is None:
            log.warning("whatmatters: node is not on PATH, so Python ships as source (slower start in the browser)")
            return None
        _compile(node, source, pyodide_dir, (where, optimize, lines), cached)
        prune(cached.parent)
    return assemble(source, cached.read_bytes())


def prune(directory: pathlib.Path, days: int = PRUNE_DAYS) -> None:
    """Remove compiled zips nothing has used for `days` days (each change of the engine's code leaves one)."""
    oldest = time.time() - days * 86_400
    for path in directory.glob("*.zip"):
        with contextlib.suppress(OSError):  # another build may have removed it first
            if path.stat().st_mtime < oldest:
                path.unlink()


def _compile(
    node: str, source: bytes, pyodide_dir: pathlib.Path, options: tuple[str, int, str], cached: pathlib.Path
) -> None:
    where, optimize, lines = options
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        (work / "source.zip").write_bytes(source)
        target = work / "target.zip"
        job = {
            "source": str(work / "source.zip"),
            "target": str(target),
            "where": where,
            "optimize": optimize,
            "lines": lines,
        }
        (work / "jobs.json").write_text(json.dumps([job]), encoding="utf-8")
        proc = subprocess.run(
            [node, str(SCRIPT), str(pyodide_dir), str(work / "jobs.json")],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        if proc.returncode != 0 or not target.is_file():
            said = [line.removeprefix("pycompile: error: ") for line in proc.stderr.splitlines() if line.strip()]
            raise BytecodeError(f"byte-compiling for Pyodide in {pyodide_dir} failed: {(said or ['no output'])[-1]}")
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        shutil.copyfile(target, partial)
        os.replace(partial, cached)  # whole or absent, even with builds running side by side


def assemble(source: bytes, compiled: bytes) -> bytes:
    """The zip `source` with each `.py` member's bytes taken from `compiled` as `.pyc`, sorted by name.

    Every entry keeps the date, mode and system of its source entry, so the same input gives
    the same bytes.
    """
    entries = []
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(io.BytesIO(compiled)) as pyc:
        for info in src.infolist():
            if info.filename.endswith(".py"):
                entries.append((info, info.filename + "c", pyc.read(info.filename + "c")))
            else:
                entries.append((info, info.filename, src.read(info)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info, name, data in sorted(entries, key=lambda entry: entry[1]):
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = info.create_system
            entry.external_attr = info.external_attr
            out.writestr(entry, data, compresslevel=9)
    return buffer.getvalue()
