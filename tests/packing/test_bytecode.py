"""The stdlib and engine byte-compiled for Pyodide at build time (decision.packing.bytecode).

What the site ships holds a sourceless `.pyc` for every module it carried as `.py`, and
nothing else changes; the compile runs inside Pyodide under Node once per input (then the
cache answers), gives the same bytes every time, and without Node the build ships source.
That Pyodide runs these files and answers like CPython is tests/pyodide/test_pyodide.py's job.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pathlib
import shutil
import subprocess
import time
import zipfile

import pytest

from decision.packing import bytecode
from decision.packing.archive import archive_bytes
from decision.packing.assets import AssetsError, write_runtime
from decision.packing.stdlib import KEEP

pytestmark = pytest.mark.pyodide

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"


def _needs_node() -> None:
    """Fails (never skips) when the JavaScript side is not installed."""
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH: install Node.js 20 or newer, then run `npm ci` in the project root.")
    if not (PYODIDE / "package.json").is_file():
        pytest.fail(f"{PYODIDE} is missing: run `npm ci` in the project root.")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[zipfile.ZipFile, zipfile.ZipFile]:
    """The engine archive and the stdlib zip as write_runtime lays them out for the site."""
    _needs_node()
    home = tmp_path_factory.mktemp("assets")
    manifest = write_runtime(home, PYODIDE, with_static=False)
    where = home / "whatmatters"
    return zipfile.ZipFile(where / manifest["engine"]["url"]), zipfile.ZipFile(where / manifest["stdlib"]["url"])


def _no_node(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bytecode.shutil, "which", lambda name, *args, **kwargs: None)


class TestWhatTheSiteShips:
    def test_the_engine_has_a_pyc_for_each_module_and_the_same_data(self, shipped) -> None:
        """Each runtime module `NAME.py` is shipped as `NAME.pyc` only; the data files are the source's, byte for byte."""
        engine, _ = shipped
        source = zipfile.ZipFile(io.BytesIO(archive_bytes()))
        expected = sorted(n + "c" if n.endswith(".py") else n for n in source.namelist())
        assert engine.namelist() == expected
        assert [n for n in engine.namelist() if n.endswith(".py")] == []
        data = [n for n in source.namelist() if not n.endswith(".py")]
        assert data and all(engine.read(n) == source.read(n) for n in data)

    def test_the_stdlib_has_a_pyc_for_each_kept_file(self, shipped) -> None:
        """The trimmed stdlib holds exactly KEEP, each file as its .pyc."""
        _, stdlib = shipped
        assert stdlib.namelist() == sorted(name + "c" for name in KEEP)

    def test_every_pyc_is_sourceless_bytecode_of_one_python(self, shipped) -> None:
        """Every .pyc starts with one magic number, and its header asks for no check against a source file."""
        headers = [(z.read(n)[:4], z.read(n)[4:16]) for z in shipped for n in z.namelist() if n.endswith(".pyc")]
        assert len({magic for magic, _ in headers}) == 1
        assert headers[0][0].endswith(b"\r\n")
        assert {rest for _, rest in headers} == {bytes(12)}

    def test_entries_keep_one_date_and_their_modes(self, shipped) -> None:
        """The engine's entries stay 1980-01-01 and rw-r--r--, as its source archive's are."""
        engine, _ = shipped
        assert {i.date_time for z in shipped for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in engine.infolist()} == {0o100644}


LINES_PROBE = """
import { readFileSync } from "node:fs";
const { loadPyodide } = await import(process.argv[2]);
const py = await loadPyodide({ stdLibURL: process.argv[3] });
py.FS.mkdirTree("/engine");
py.unpackArchive(new Uint8Array(readFileSync(process.argv[4])), "zip", { extractDir: "/engine" });
process.stdout.write(py.runPython(`
import json, sys, traceback, types
sys.path.insert(0, "/engine")
import decision.api, json.decoder
def lines(code):
    yield code.co_firstlineno, {line for _, _, line in code.co_lines()}
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            yield from lines(c)
try:
    json.loads("{")
except ValueError as exc:
    shown = traceback.format_exception(exc)
json.dumps({
    "stdlib": [list(ls) for first, ls in lines(json.decoder.JSONDecoder.raw_decode.__code__)],
    "first": json.decoder.JSONDecoder.raw_decode.__code__.co_firstlineno,
    "engine": [len(ls) for first, ls in lines(decision.api.handle.__code__)],
    "traceback": shown,
})
`));
process.exit(0);
"""


class TestLineTables:
    def test_the_stdlib_keeps_def_lines_and_the_engine_every_line(self, tmp_path: pathlib.Path, shipped) -> None:
        """In the stdlib every instruction reports its function's def line, so a traceback still names
        file, function and line; the engine's code keeps a line for each statement."""
        engine, stdlib = shipped
        for name, z in (("engine.zip", engine), ("stdlib.zip", stdlib)):
            assert z.filename is not None
            shutil.copyfile(z.filename, tmp_path / name)
        (tmp_path / "probe.mjs").write_text(LINES_PROBE, encoding="utf-8")
        proc = subprocess.run(
            [
                "node",
                str(tmp_path / "probe.mjs"),
                (PYODIDE / "pyodide.mjs").as_uri(),
                str(tmp_path / "stdlib.zip"),
                str(tmp_path / "engine.zip"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen = json.loads(proc.stdout)
        assert seen["stdlib"] == [[seen["first"]]]
        assert max(seen["engine"]) > 3
        assert f'json/decoder.py", line {seen["first"]}, in raw_decode' in "".join(seen["traceback"])


class TestCompiling:
    def test_same_input_same_bytes_and_the_second_time_from_the_cache(
        self, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two compiles in empty caches give the same bytes; a third, with node gone, is answered by the cache.

        Writing an entry removes those unused for 30 days, and only those.
        """
        _needs_node()
        source = archive_bytes()
        (tmp_path / "one" / "pyc").mkdir(parents=True)
        stale, recent = tmp_path / "one" / "pyc" / "stale.zip", tmp_path / "one" / "pyc" / "recent.zip"
        stale.write_bytes(b"")
        recent.write_bytes(b"")
        month = time.time() - 31 * 86_400
        os.utime(stale, (month, month))
        made = []
        for name in ("one", "two"):
            monkeypatch.setenv("WHATMATTERS_CACHE", str(tmp_path / name))
            made.append(bytecode.compiled_zip(source, PYODIDE, "site-packages", 0))
        assert made[0] is not None and made[0] == made[1]
        assert len(list((tmp_path / "two" / "pyc").glob("*.zip"))) == 1
        assert not stale.exists() and recent.exists()
        _no_node(monkeypatch)
        assert bytecode.compiled_zip(source, PYODIDE, "site-packages", 0) == made[0]
        assert bytecode.compiled_zip(source, PYODIDE, "site-packages", 2) is None  # other options: not cached

    def test_the_cache_key_follows_every_input(self) -> None:
        """Another source, place, optimisation level or line table is another cache entry."""
        key = bytecode.cache_key(b"zip", PYODIDE, "stdlib", 2)
        assert key == bytecode.cache_key(b"zip", PYODIDE, "stdlib", 2)
        others = {
            bytecode.cache_key(b"zip2", PYODIDE, "stdlib", 2),
            bytecode.cache_key(b"zip", PYODIDE, "site-packages", 2),
            bytecode.cache_key(b"zip", PYODIDE, "stdlib", 0),
            bytecode.cache_key(b"zip", PYODIDE, "stdlib", 2, "def"),
        }
        assert key not in others and len(others) == 4

    def test_without_node_the_site_ships_source_and_says_so(
        self, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        """With no node and nothing cached, the engine and stdlib ship as .py, and a warning names node."""
        monkeypatch.setenv("WHATMATTERS_CACHE", str(tmp_path / "empty"))
        _no_node(monkeypatch)
        with caplog.at_level(logging.WARNING, logger="decision.packing.bytecode"):
            manifest = write_runtime(tmp_path / "site", PYODIDE, with_static=False)
        home = tmp_path / "site" / "whatmatters"
        engine = zipfile.ZipFile(home / manifest["engine"]["url"]).namelist()
        assert engine == zipfile.ZipFile(io.BytesIO(archive_bytes())).namelist()
        assert zipfile.ZipFile(home / manifest["stdlib"]["url"]).namelist() == sorted(KEEP)
        assert any("node is not on PATH" in r.getMessage() for r in caplog.records)

    def test_a_failed_compile_stops_the_build_with_one_sentence(
        self, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A Pyodide that can't start under Node makes write_runtime raise AssetsError naming the failure."""
        _needs_node()
        monkeypatch.setenv("WHATMATTERS_CACHE", str(tmp_path / "cache"))
        broken = tmp_path / "pyodide"
        broken.mkdir()
        for name in ("package.json", "python_stdlib.zip", "pyodide-lock.json", "pyodide.asm.mjs", "pyodide.asm.wasm"):
            (broken / name).symlink_to(PYODIDE / name)
        (broken / "pyodide.mjs").write_text('throw new Error("no Pyodide here");\n', encoding="utf-8")
        with pytest.raises(AssetsError) as info:
            write_runtime(tmp_path / "site", broken, with_static=False)
        message = str(info.value)
        assert "byte-compiling for Pyodide" in message and "failed" in message
        assert "\n" not in message
        assert list((tmp_path / "cache" / "pyc").glob("*")) == []

    def test_where_is_checked(self) -> None:
        """Only the two places Pyodide imports from, and the two kinds of line table, are accepted."""
        with pytest.raises(ValueError):
            bytecode.compiled_zip(b"", PYODIDE, "elsewhere", 0)
        with pytest.raises(ValueError):
            bytecode.compiled_zip(b"", PYODIDE, "stdlib", 0, "none")
