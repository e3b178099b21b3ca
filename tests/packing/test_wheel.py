"""Issue 24's first "Done when": the sdist builds the wheel with no Node, the wheel installs in a fresh
virtualenv by the README's line, and a new MkDocs site made with it (its own data from `whatmatters
data init`, one threshold changed, one fence of every widget) builds and goes live in Chromium,
answering by the changed threshold. Sphinx and Zensical with the same wheel: test_wheel_others.py."""

from __future__ import annotations

import os
import pathlib
import shutil
import sys
import tarfile
import zipfile
from typing import Any

import pytest

from decision.loading import knowledge
from helpers.browser import LIVE_MS, wait_state
from helpers.site import ROOT
from helpers.wheel import Artifacts, Venv, all_live, run

pytestmark = [pytest.mark.site, pytest.mark.browser]

RUNTIME = ("engine.zip", "stdlib.zip", "lock.json", "stamp.json", "pyodide/pyodide.asm.wasm", "pyodide/package.json")
FENCES = {
    "flow": "topic: caching",
    "stage": "users: 5",
    "plan": "",
    "cost": "",
    "conversation": "",
    "screen": "",
    "scan": "",
}
# 50 users: the MVP stage by the package's rules (it ends at 100 users), Alpha by this site's (at 10).
THRESHOLD = ("max_users = 100\n", "max_users = 10\n")


def page() -> str:
    body = "".join(
        f"```whatmatters\nwidget: {w}\n{extra + chr(10) if extra else ''}```\n\n" for w, extra in FENCES.items()
    )
    return "# Handbook\n\n" + body


def test_every_widget_kind_has_a_fence() -> None:
    assert sorted(FENCES) == sorted(knowledge().widgets)


def test_the_sdist_carries_what_the_wheel_needs(artifacts: Artifacts) -> None:
    """The prebuilt runtime, the widget scripts under overrides/ and the build hook."""
    with tarfile.open(artifacts.sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {f"decision/_runtime/{n}" for n in RUNTIME} <= names
    assert {"overrides/assets/whatmatters/scripts/page.js", "hatch_build.py", "pyproject.toml"} <= names


def test_the_wheel_carries_the_runtime_and_pyodides_licence(artifacts: Artifacts) -> None:
    """Built from the sdist with a PATH that has no node (so nothing was compiled then), it holds the runtime."""
    assert shutil.which("node", path=artifacts.node_free_path) is None
    names = set(zipfile.ZipFile(artifacts.wheel).namelist())
    assert {f"decision/_runtime/{n}" for n in RUNTIME} <= names
    assert names & {"decision/_runtime/pyodide/LICENSE", "decision/_runtime/pyodide/NOTICE"}
    assert "decision/_static/scripts/page.js" in names and "decision/_static/whatmatters.css" in names
    notice = next(
        n for n in names if n.startswith("decision/_runtime/pyodide/") and n.rsplit("/", 1)[1] in ("LICENSE", "NOTICE")
    )
    assert "Mozilla Public License" in zipfile.ZipFile(artifacts.wheel).read(notice).decode()


def test_the_size_report_gives_this_wheels_size_and_its_runtimes_share(artifacts: Artifacts) -> None:
    """The size report's wheel line, on the real wheel: its size, and the runtime's packed and installed bytes."""
    from decision.publishing.size_report import wheel_line

    with zipfile.ZipFile(artifacts.wheel) as wheel:
        runtime = [i for i in wheel.infolist() if i.filename.startswith("decision/_runtime/")]
    packed, installed = sum(i.compress_size for i in runtime), sum(i.file_size for i in runtime)
    size = artifacts.wheel.stat().st_size
    assert 0 < packed < size < installed  # the runtime is most of the wheel, and gzip-able
    assert wheel_line(artifacts.wheel.parent) == (
        f"Wheel {artifacts.wheel.name}: {size / 1e6:.2f} MB "
        f"(the browser runtime in it: {packed / 1e6:.2f} MB, {installed / 1e6:.2f} MB installed)"
    )


def test_the_sdist_builds_the_same_wheel_as_the_checkout(artifacts: Artifacts, tmp_path: pathlib.Path) -> None:
    """Every file of the wheel built from the sdist has the bytes of the wheel built straight from this checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(tmp_path), str(ROOT)], ROOT, env)
    (direct,) = tmp_path.glob("whatmatters-*.whl")

    def record(wheel: pathlib.Path) -> list[str]:
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
            return sorted(zf.read(name).decode().splitlines())

    assert record(direct) == record(artifacts.wheel)


def test_the_venv_runs_the_installed_package(venv: Venv, tmp_path: pathlib.Path) -> None:
    """`decision` comes from the venv, with a prebuilt runtime made from its own code; no node on PATH."""
    assert shutil.which("node", path=venv.env["PATH"]) is None
    out = venv.run(
        "python", "-c", "import decision.packing.prebuilt as p; print(p.__file__); print(p.packaged())", cwd=tmp_path
    )
    where, runtime = out.split()
    assert where.startswith(str(venv.root)) and runtime.startswith(str(venv.root)) and runtime.endswith("_runtime")


@pytest.fixture(scope="module")
def mkdocs_site(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("handbook")
    out = venv.run("whatmatters", "data", "init", "data", cwd=root)
    assert "data_dir: data" in out
    stages = root / "data" / "stages.toml"
    text = stages.read_text(encoding="utf-8")
    assert text.count(THRESHOLD[0]) == 1
    stages.write_text(text.replace(*THRESHOLD), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(page(), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        # MkDocs' own theme; its highlight.js comes from a CDN, which no page of ours may use.
        "site_name: Handbook\ntheme: {name: mkdocs, highlightjs: false}\nplugins: [search, whatmatters: {data_dir: data}]\n",
        encoding="utf-8",
    )
    venv.run("mkdocs", "build", "--strict", cwd=root)
    return root / "site"


def test_the_mkdocs_site_is_built_from_the_wheels_runtime(mkdocs_site: pathlib.Path) -> None:
    """Every widget is on the page, the Pyodide core is there and the engine carries the changed data."""
    html = (mkdocs_site / "index.html").read_text(encoding="utf-8")
    for widget in FENCES:
        assert f'data-wm-widget="{widget}"' in html, widget
    assert (mkdocs_site / "assets" / "pyodide" / "pyodide.asm.wasm").is_file()
    (archive,) = (mkdocs_site / "assets" / "whatmatters" / "engine").glob("*.zip")
    stages = zipfile.ZipFile(archive).read("decision/data/stages.toml").decode()
    assert THRESHOLD[1] in stages and THRESHOLD[0] not in stages
    assert any(n.endswith(".pyc") for n in zipfile.ZipFile(archive).namelist())  # the compiled engine, no Node here


def test_the_mkdocs_site_goes_live_and_answers_by_the_changed_threshold(
    mkdocs_site: pathlib.Path, chromium: Any, serve: Any
) -> None:
    base = serve(mkdocs_site)
    assert all_live(chromium, base, [""])[""] == [f"wm-{w}" if w != "flow" else "wm-flow-caching" for w in FENCES]
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        wait_state(page, "wm-stage", "live", LIVE_MS)
        assert page.locator("#wm-stage [data-wm-stage]").get_attribute("data-wm-stage") == "mvp"
        page.fill("#wm-stage input[name=users]", "50")
        page.locator("#wm-stage input[name=users]").dispatch_event("change")
        page.wait_for_function(
            "document.querySelector('#wm-stage [data-wm-stage]').dataset.wmStage === 'alpha'", timeout=LIVE_MS
        )
    finally:
        context.close()
