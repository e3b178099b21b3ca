"""The engine archive, and the engine running from it inside Pyodide under Node.

`tests/helpers/pyodide_runner.mjs` unpacks the archive the way the browser's worker does and answers
the whole request corpus, on exactly the runtime files the site ships (`write_runtime`: the
trimmed stdlib and the engine, both byte-compiled for Pyodide); every answer must equal
CPython's, HTML included. A second run on Pyodide's full, source stdlib traces every stdlib
file the engine imports, which the trimmed stdlib must hold.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys
import zipfile
from typing import Any

import pytest

import decision
from decision import api
from decision.loading import knowledge
from decision.packing.archive import build_archive, integrity
from decision.packing.assets import write_runtime
from decision.packing.stdlib import KEEP
from decision.table_registry import TABLES
from helpers.corpus import BAD, GOOD, NOT_OBJECTS, REQUESTS
from helpers.pyodide import PYODIDE_PACKAGE, RUNNER, node

pytestmark = pytest.mark.pyodide

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE_DIR = pathlib.Path(decision.__file__).resolve().parent

# Everything the runner is sent: the corpus, then valid JSON that is not an object.
SENT: list[Any] = [*REQUESTS, *NOT_OBJECTS]


def _cpython(request: Any) -> Any:
    """CPython's answer, through the same JSON round trip the runner's answers take."""
    return json.loads(json.dumps(api.handle(request)))


@dataclasses.dataclass(frozen=True)
class Run:
    responses: list[Any]
    stderr: str

    def reported(self, label: str) -> str:
        """The value of the runner's `runner: <label> <value>` line on stderr."""
        found = re.search(rf"^runner: {re.escape(label)} (.*)$", self.stderr, re.MULTILINE)
        assert found, f"the runner did not report '{label}'; its stderr was:\n{self.stderr}"
        return found.group(1)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return build_archive(tmp_path_factory.mktemp("archive"))


@dataclasses.dataclass(frozen=True)
class Shipped:
    engine: pathlib.Path
    stdlib: pathlib.Path


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Shipped:
    """The engine archive and the standard library exactly as the site ships them (`write_runtime`)."""
    node()
    home = tmp_path_factory.mktemp("assets")
    manifest = write_runtime(home, PYODIDE_PACKAGE.parent, with_static=False)
    where = home / "whatmatters"
    return Shipped(where / manifest["engine"]["url"], where / manifest["stdlib"]["url"])


def _run(*args: pathlib.Path) -> Run:
    proc = subprocess.run(
        [node(), str(RUNNER), *map(str, args)],
        input=json.dumps(SENT, allow_nan=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"the Pyodide runner exited with {proc.returncode}:\n{proc.stderr}")
    return Run(json.loads(proc.stdout), proc.stderr)


@pytest.fixture(scope="module")
def run(shipped: Shipped) -> Run:
    """The corpus answered on the runtime the site ships: its stdlib and engine, and a lock file without packages."""
    return _run(shipped.engine, shipped.stdlib)


@pytest.fixture(scope="module")
def full_run(archive: pathlib.Path) -> Run:
    """The corpus answered by the source engine on Pyodide's own full stdlib, where every import succeeds."""
    return _run(archive)


class TestArchive:
    def test_name_carries_version_and_content_hash(self, archive: pathlib.Path) -> None:
        """The file is named whatmatters-<version>-<first 12 hex of the SHA-256 of its bytes>.zip."""
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:12]
        assert archive.name == f"whatmatters-{decision.__version__}-{digest}.zip"

    def test_building_twice_gives_the_same_bytes(self, archive: pathlib.Path, tmp_path: pathlib.Path) -> None:
        """Unchanged source gives the same bytes and so the same name, wherever it is built."""
        again = build_archive(tmp_path / "made" / "here")
        assert again.name == archive.name
        assert again.read_bytes() == archive.read_bytes()

    def test_holds_exactly_the_runtime_modules_and_the_data(self, archive: pathlib.Path) -> None:
        """The archive's modules are the ones `import decision.api` loads, plus every data file; no CLI, no build tools."""
        names = zipfile.ZipFile(archive).namelist()
        probe = (
            "import sys, decision.api; print('\\n'.join(sorted(m.__file__ for name, m in sys.modules.items() "
            "if name == 'decision' or name.startswith('decision.'))))"
        )
        loaded = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        runtime = {f"decision/{pathlib.Path(f).resolve().relative_to(PACKAGE_DIR).as_posix()}" for f in loaded}
        data = {
            f"decision/{p.relative_to(PACKAGE_DIR).as_posix()}"
            for p in (PACKAGE_DIR / "data").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert {n for n in names if n.endswith(".py")} == runtime
        assert {n for n in names if not n.endswith(".py")} == data
        assert not [
            n
            for n in names
            if n.split("/")[1] in ("integrations", "packing", "publishing", "cli", "refresh")
            or n == "decision/__main__.py"
        ]
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        assert names == sorted(names)

    def test_entries_have_one_date_and_one_mode(self, archive: pathlib.Path) -> None:
        """Each entry is stamped 1980-01-01 00:00 and marked a plain rw-r--r-- file."""
        infos = zipfile.ZipFile(archive).infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}

    def test_integrity_is_the_sri_sha384_of_the_file(self, archive: pathlib.Path) -> None:
        """integrity() gives 'sha384-' and the base64 SHA-384 digest, as a <script integrity> wants."""
        value = integrity(archive)
        assert value.startswith("sha384-")
        assert (
            base64.b64decode(value.removeprefix("sha384-"), validate=True)
            == hashlib.sha384(archive.read_bytes()).digest()
        )

    def test_unpacked_engine_runs_on_cpython_without_site_packages(
        self, archive: pathlib.Path, tmp_path: pathlib.Path
    ) -> None:
        """Unpacked alone with no site-packages, every module imports and the corpus is answered with stdlib only."""
        zipfile.ZipFile(archive).extractall(tmp_path)
        modules = sorted(
            n.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
            for n in zipfile.ZipFile(archive).namelist()
            if n.endswith(".py") and n != "decision/__main__.py"
        )
        script = (
            "import importlib, json, sys\n"
            "before = {m.partition('.')[0] for m in sys.modules}\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "import decision.api\n"
            "answers = [decision.api.handle(r) for r in json.load(sys.stdin)]\n"
            "after = {m.partition('.')[0] for m in sys.modules}\n"
            "extra = sorted(after - before - set(sys.stdlib_module_names) - {'decision'})\n"
            "print(json.dumps({'file': decision.__file__, 'extra': extra, 'answers': answers}))\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        proc = subprocess.run(
            [sys.executable, "-S", "-c", script],
            input=json.dumps(REQUESTS),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert pathlib.Path(out["file"]).resolve().is_relative_to(tmp_path.resolve())
        assert out["extra"] == []
        assert out["answers"] == [_cpython(r) for r in REQUESTS]


class TestCorpus:
    def test_is_large_enough(self) -> None:
        """The corpus holds at least 50 requests."""
        assert len(REQUESTS) >= 50

    def test_is_plain_json(self) -> None:
        """Every request survives a strict JSON round trip (no NaN, no Infinity, no tuples)."""
        assert json.loads(json.dumps(REQUESTS, allow_nan=False)) == REQUESTS

    def test_answers_every_op_with_html(self) -> None:
        """Each operation in api.OPERATIONS has a request asking for HTML that succeeds and carries an 'html' string."""
        rendered = {
            r["op"]
            for r in REQUESTS
            if r.get("render") is True and (a := _cpython(r))["ok"] and isinstance(a.get("html"), str)
        }
        assert rendered == set(api.OPERATIONS)

    def test_gets_every_op_wrong(self) -> None:
        """Each operation in api.OPERATIONS also has a request that it refuses."""
        refused = {
            op for r in BAD if isinstance(op := r.get("op"), str) and op in api.OPERATIONS and not _cpython(r)["ok"]
        }
        assert refused == set(api.OPERATIONS)

    def test_reaches_every_table(self) -> None:
        """Each table the renderer knows is asked for and answered."""
        asked = {r["name"] for r in REQUESTS if r.get("op") == "table" and _cpython(r)["ok"]}
        assert asked == set(TABLES)

    def test_good_requests_succeed(self) -> None:
        """Every request meant to be good is answered with ok: true on CPython."""
        failed = [(r, a["error"]) for r in GOOD if not (a := _cpython(r))["ok"]]
        assert failed == []

    def test_bad_requests_get_a_friendly_error(self) -> None:
        """Every request meant to be bad gets ok: false with a code other than 'internal'."""
        answers = [(r, _cpython(r)) for r in [*BAD, *NOT_OBJECTS]]
        assert [r for r, a in answers if a["ok"]] == []
        assert [r for r, a in answers if a["error"]["code"] == "internal"] == []

    def test_nothing_hits_an_internal_error(self) -> None:
        """No corpus request makes CPython's engine fall back to its 'internal' error."""
        internal = [r for r in SENT if (_a := _cpython(r)).get("error", {}).get("code") == "internal"]
        assert internal == []


class TestPyodide:
    def test_runs_on_the_trimmed_stdlib(self, run: Run, shipped: Shipped) -> None:
        """The differential corpus runs on the standard library the site ships, not Pyodide's full one."""
        assert run.reported("stdlib") == str(shipped.stdlib)
        assert json.loads(run.reported("stdlib files imported:"))
        assert [f for f in json.loads(run.reported("stdlib files imported:")) if not f.endswith(".pyc")] == []

    def test_keep_is_every_stdlib_file_the_engine_imports(self, full_run: Run) -> None:
        """With the whole stdlib there, Pyodide's start, unpackArchive and the corpus read exactly the files KEEP lists.

        The trimmed runtime would fail an import KEEP misses, but an import inside `try: ...
        except ImportError` would quietly go another way, which only this run shows; a file
        KEEP lists that nothing reads any more is bytes every reader downloads for nothing.
        """
        imported = json.loads(full_run.reported("stdlib files imported:"))
        assert len(imported) > 100
        assert sorted(set(imported) - set(KEEP)) == [], "missing from KEEP"
        assert sorted(set(KEEP) - set(imported)) == [], "in KEEP, read by nothing"

    def test_runs_python_3_14(self, run: Run) -> None:
        """The runner reports the Python inside Pyodide, and it is 3.14."""
        assert re.fullmatch(r"3\.14\.\d+", run.reported("python"))

    def test_imports_the_engine_from_the_archive(self, run: Run) -> None:
        """The engine Pyodide runs is the archive's byte-compiled copy, unpacked into its site-packages."""
        assert re.fullmatch(r"/lib/python3\.14/site-packages/decision/__init__\.pyc", run.reported("engine at"))

    def test_answers_are_strict_json(self, run: Run) -> None:
        """Every answer can be parsed by JavaScript's JSON.parse: no NaN or Infinity anywhere."""
        assert json.loads(json.dumps(run.responses, allow_nan=False)) == run.responses

    def test_answers_every_request(self, run: Run) -> None:
        """One response comes back per request sent."""
        assert len(run.responses) == len(SENT)

    def test_answers_equal_cpython(self, run: Run) -> None:
        """For every request, Pyodide's response equals CPython's exactly, HTML included."""
        different = [
            (i, request)
            for i, (request, answer) in enumerate(zip(SENT, run.responses, strict=True))
            if answer != _cpython(request)
        ]
        assert different == []

    def test_renders_every_widget_in_pyodide(self, run: Run) -> None:
        """Inside Pyodide, each widget's operation renders non-empty HTML, and every rendered answer has 'html'."""
        asked = [
            (r, a)
            for r, a in zip(SENT, run.responses, strict=True)
            if isinstance(r, dict) and r.get("render") is True and a["ok"]
        ]
        assert all(isinstance(a.get("html"), str) for _, a in asked)
        drawn = {r["op"] for r, a in asked if a["html"].strip().startswith("<")}
        assert {w.op for w in knowledge().widgets.values()} <= drawn

    def test_imports_only_the_stdlib(self, run: Run) -> None:
        """After answering everything, the engine has loaded no module outside Python's stdlib."""
        assert json.loads(run.reported("non-stdlib modules imported by the engine:")) == []


class TestRunner:
    def test_fails_clearly_without_an_archive(self, tmp_path: pathlib.Path) -> None:
        """Given a missing archive, the runner exits non-zero and names the file."""
        missing = tmp_path / "nothing.zip"
        proc = subprocess.run(
            [node(), str(RUNNER), str(missing)], input="[]", capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        assert proc.returncode != 0
        assert "runner: error: cannot read the engine archive" in proc.stderr and str(missing) in proc.stderr
        assert proc.stdout == ""

    def test_fails_clearly_on_input_that_is_not_a_list(self, archive: pathlib.Path) -> None:
        """Given stdin that is not a JSON array, the runner exits non-zero and says so."""
        proc = subprocess.run(
            [node(), str(RUNNER), str(archive)], input='{"v": 1}', capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        assert proc.returncode != 0
        assert "runner: error: stdin should hold a JSON array" in proc.stderr
