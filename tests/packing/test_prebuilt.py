"""The runtime the wheel carries (decision.packing.prebuilt): the same files as the Node path, a site's
data added without Node, and a stale copy never used."""

from __future__ import annotations

import json
import pathlib
import shutil
import zipfile

import pytest

from decision.loading import DATA_DIR
from decision.packing import assets, prebuilt

pytestmark = pytest.mark.pyodide  # the prebuild byte-compiles inside Pyodide under Node

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return prebuilt.prebuild(PYODIDE, tmp_path_factory.mktemp("prebuilt") / "_runtime")


@pytest.fixture
def packaged(runtime: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.setattr(prebuilt, "RUNTIME", runtime)
    return runtime


def site_data(tmp_path: pathlib.Path) -> pathlib.Path:
    data = tmp_path / "rules"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("__pycache__"))
    stages = data / "stages.toml"
    stages.write_text(stages.read_text(encoding="utf-8").replace("max_users = 100\n", "max_users = 10\n"), "utf-8")
    return data


def test_the_folder_holds_the_runtime_and_a_stamp(runtime: pathlib.Path) -> None:
    assert prebuilt.is_fresh(runtime, PYODIDE)
    stamp = json.loads((runtime / "stamp.json").read_text(encoding="utf-8"))
    assert stamp == {"sources": prebuilt.sources_hash(), "pyodide": prebuilt.pyodide_version(PYODIDE)}
    assert "Mozilla Public License" in (runtime / "pyodide" / "NOTICE").read_text(encoding="utf-8")
    names = zipfile.ZipFile(runtime / "engine.zip").namelist()
    assert names and all(n.endswith(".pyc") for n in names)  # code only: the data goes in at site build


@pytest.mark.parametrize("own_data", [False, True], ids=["package data", "site data"])
def test_the_same_runtime_as_the_node_path(packaged: pathlib.Path, tmp_path: pathlib.Path, own_data: bool) -> None:
    """Without pyodide_dir: byte for byte what the npm package and Node give, manifest included."""
    data = site_data(tmp_path) if own_data else None
    ours = assets.write_runtime(tmp_path / "packaged", data_dir=data)
    node = assets.write_runtime(tmp_path / "node", PYODIDE, data_dir=data)
    assert ours == node
    for part in ("engine", "stdlib"):
        url = ours[part]["url"]
        home = "whatmatters"
        assert (tmp_path / "packaged" / home / url).read_bytes() == (tmp_path / "node" / home / url).read_bytes()
    if own_data:
        archive = zipfile.ZipFile(tmp_path / "packaged" / "whatmatters" / ours["engine"]["url"])
        assert archive.read("decision/data/stages.toml") == (data / "stages.toml").read_bytes()  # type: ignore[operator]


def test_a_site_with_its_own_data_needs_no_node(
    packaged: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    manifest = assets.write_runtime(tmp_path / "site", data_dir=site_data(tmp_path))
    assert manifest["pyodide"]["version"] == prebuilt.pyodide_version(PYODIDE)


def test_a_stale_copy_is_never_used(packaged: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Engine code changed since the prebuild (another hash): packaged() is None; so is a missing file."""
    assert prebuilt.packaged() == packaged
    monkeypatch.setattr(prebuilt, "sources_hash", lambda package_dir=None: "0" * 64)
    assert prebuilt.packaged() is None
    monkeypatch.undo()
    monkeypatch.setattr(prebuilt, "RUNTIME", packaged)
    (packaged / "lock.json").rename(packaged / "lock.json.away")
    try:
        assert prebuilt.packaged() is None
    finally:
        (packaged / "lock.json.away").rename(packaged / "lock.json")


def test_stale_falls_back_to_node_modules(
    packaged: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "packaged", lambda: None)
    calls = []
    real = assets.build_archive
    monkeypatch.setattr(assets, "build_archive", lambda *a: calls.append(a[2]) or real(*a))
    assets.write_runtime(tmp_path / "site")
    assert calls == [PYODIDE]
