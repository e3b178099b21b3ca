"""The built distribution as a user gets it: sdist, a wheel built from the sdist with no Node on PATH,
and a fresh virtualenv that installs the wheel by the README's install line.

`WHATMATTERS_SDIST` and `WHATMATTERS_WHEEL` name artifacts built elsewhere (the release workflow
builds them once and runs these tests against them); without them the tests build both here.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
from typing import Any

from helpers.browser import LIVE_MS
from helpers.site import ROOT

# The README's one install line: `pip install 'whatmatters[EXTRAS]'`.
INSTALL = re.compile(r"^pip install '(whatmatters(\[[a-z,]+\])?)'$", re.M)
LIVE_JS = "() => [...document.querySelectorAll('[data-wm-widget]')].every((w) => w.dataset.wmState === 'live')"


def readme_install() -> tuple[str, str]:
    """(the README's install line, its extras such as `[mkdocs,sphinx,zensical]`); exactly one such line."""
    found = INSTALL.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) == 1, f"README.md should hold one `pip install 'whatmatters[...]'` line, not {found}"
    return f"pip install '{found[0][0]}'", found[0][1]


def bare_path(folder: pathlib.Path, *programs: str) -> str:
    """A PATH of one folder holding links to just `programs` (absolute paths): no node, no npm."""
    folder.mkdir(parents=True, exist_ok=True)
    for program in programs:
        link = folder / pathlib.Path(program).name
        if not link.exists():
            link.symlink_to(program)
    return str(folder)


def run(command: list[str], cwd: pathlib.Path, env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@dataclasses.dataclass(frozen=True)
class Artifacts:
    sdist: pathlib.Path
    wheel: pathlib.Path
    node_free_path: str  # the PATH the wheel was built with


def build_artifacts(work: pathlib.Path) -> Artifacts:
    """The sdist from this checkout (its hook prebuilds the runtime with Node if needed), then the
    wheel from the unpacked sdist with a PATH that has no node or npm."""
    node_free = bare_path(work / "bin", sys.executable)
    assert shutil.which("node", path=node_free) is None and shutil.which("npm", path=node_free) is None
    given = os.environ.get("WHATMATTERS_SDIST"), os.environ.get("WHATMATTERS_WHEEL")
    if all(given):
        return Artifacts(pathlib.Path(str(given[0])), pathlib.Path(str(given[1])), node_free)
    dist = work / "dist"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(dist), str(ROOT)], ROOT, env)
    (sdist,) = dist.glob("whatmatters-*.tar.gz")
    with tarfile.open(sdist) as tar:
        tar.extractall(work / "unpacked", filter="data")
    (source,) = (work / "unpacked").iterdir()
    bare = {"HOME": os.environ.get("HOME", str(work)), "PATH": node_free, "LANG": "C.UTF-8"}
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist), "."], source, bare)
    (wheel,) = dist.glob("whatmatters-*.whl")
    return Artifacts(sdist, wheel, node_free)


@dataclasses.dataclass(frozen=True)
class Venv:
    """A fresh virtualenv with the wheel installed; `env` has only its bin/ on PATH and no PYTHONPATH."""

    root: pathlib.Path
    env: dict[str, str]
    install: list[str]

    def bin(self, name: str) -> str:
        return str(self.root / "bin" / name)

    def run(self, program: str, *args: str, cwd: pathlib.Path, timeout: int = 300) -> str:
        return run([self.bin(program), *args], cwd, self.env, timeout)


def make_venv(work: pathlib.Path, wheel: pathlib.Path) -> Venv:
    """`python -m venv`, then the README's install line with the wheel's path in place of the name."""
    root = work / "venv"
    run([sys.executable, "-m", "venv", str(root)], work, {"PATH": os.environ["PATH"], "HOME": os.environ["HOME"]})
    _, extras = readme_install()
    install = ["pip", "install", "--quiet", "--disable-pip-version-check", f"{wheel}{extras}"]
    env = {"HOME": os.environ.get("HOME", str(work)), "PATH": str(root / "bin"), "LANG": "C.UTF-8"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    run([str(root / "bin" / install[0]), *install[1:]], work, env, timeout=900)
    return Venv(root, env, install)


def all_live(chromium: Any, base: str, pages: list[str], known: str | None = None) -> dict[str, list[str]]:
    """Open each page, scroll to every widget and wait until all are live; returns each page's widget ids.

    Fails on a console error (but one containing `known`, a theme's own) or any request to another origin."""
    from helpers.browser import wait_state, watch

    context = chromium.new_context(viewport={"width": 1000, "height": 900})
    try:
        log = watch(context, base)
        page = context.new_page()
        found = {}
        for path in pages:
            page.goto(base + path, wait_until="load")
            ids = page.evaluate("[...document.querySelectorAll('[data-wm-widget]')].map((w) => w.id)")
            assert ids, f"{path} has no widget"
            for wid in ids:  # a widget starts when it comes into view
                wait_state(page, wid, "live")
            page.wait_for_function(LIVE_JS, timeout=LIVE_MS)
            found[path] = ids
        assert not log.foreign, log.foreign
        errors = [e for e in log.errors if known is None or known not in e]
        assert not errors, errors
        return found
    finally:
        context.close()
