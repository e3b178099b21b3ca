"""The runtime a page needs for live widgets: Pyodide's core files, the engine archive, the JS.

`write_runtime(dest, pyodide_dir)` lays out, under `dest` (without `pyodide_dir`, from the runtime the
package carries, .prebuilt, so no Node is needed):

    pyodide/            the three core files of the pinned npm `pyodide` package the browser fetches
    whatmatters/        widget.js, worker.js: two generated modules that start the hand-written ones (.scripts)
      scripts/          the hand-written modules, as they are, and whatmatters.css (with_static=True)
      engine/           whatmatters-<version>-<hash>.zip, fetched with Subresource Integrity
      stdlib/           stdlib-<hash>.zip: Python's stdlib trimmed to what the engine imports (.stdlib)
                        (both hold .pyc compiled for Pyodide's Python at build time, .bytecode)
      runtime.json      what the worker loads, with sizes for the progress line, and a lock file without packages

The MkDocs hook calls it after each build; `whatmatters assets DEST` calls it for any
other site. It is build-time code: the browser never imports it.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
from typing import Any

from .. import __version__
from ..loading import load
from .archive import PACKAGE_DIR, build_archive, integrity
from .bytecode import BytecodeError
from .prebuilt import PYODIDE_FILES, engine_archive, packaged, pyodide_version
from .scripts import SCRIPTS_DIR, copy_modules, write_dev_scripts
from .stdlib import minimal_lock, write_trimmed_stdlib

# What the browser fetches from the core; the full stdlib and lock file are only read here: the
# worker gets a stdlib trimmed to what the engine imports and a lock without packages (.stdlib).
SOURCE_FILES = ("python_stdlib.zip", "pyodide-lock.json")
# Copied as they are next to the scripts folder (with_static=True); the theme copies them for our own site.
STATIC_FILES = ("whatmatters.css",)
# Where a site's pages find the runtime, from the site's root: write_runtime is given the
# site's `assets/` folder and fills its `pyodide/` and `whatmatters/` (every other module imports these).
SITE_ASSETS = pathlib.PurePosixPath("assets")
PYODIDE_DIR = SITE_ASSETS / "pyodide"
RUNTIME_DIR = SITE_ASSETS / "whatmatters"


class AssetsError(Exception):
    """A runtime file is missing; the message says which and how to get it."""


def static_dir() -> pathlib.Path:
    """The widget modules and styles: inside the wheel as decision/_static, in a checkout under overrides/."""
    for candidate in (PACKAGE_DIR / "_static", PACKAGE_DIR.parent / "overrides" / RUNTIME_DIR):
        if (candidate / SCRIPTS_DIR / "page.js").is_file():
            return candidate
    raise AssetsError("the widget scripts are missing from this installation of whatmatters")


def find_pyodide(project_dir: pathlib.Path | None = None) -> pathlib.Path | None:
    """A checkout's npm pyodide package: in the site's folder or the one above it (Sphinx's `--sep`
    layout keeps conf.py in source/), else in this checkout of whatmatters."""
    roots: tuple[pathlib.Path, ...] = (project_dir, project_dir.parent) if project_dir is not None else ()
    for root in (*roots, PACKAGE_DIR.parent):
        if root is not None and all((root / "node_modules" / "pyodide" / n).is_file() for n in PYODIDE_FILES):
            return root / "node_modules" / "pyodide"
    return None


def write_runtime(
    dest: str | pathlib.Path,
    pyodide_dir: str | pathlib.Path | None = None,
    with_static: bool = True,
    data_dir: str | pathlib.Path | None = None,
    *,
    project_dir: str | pathlib.Path | None = None,
    setting: str = "--pyodide",
) -> dict[str, Any]:
    """Copy everything live widgets need into `dest` and return the manifest written there.

    `data_dir`, a site's own copy of decision/data/, is validated like ours and packed into
    the engine archive in place of the package's data. Without `pyodide_dir`, the runtime the
    package carries (.prebuilt) is used, so no Node is needed; when this installation has none
    made from its own code (a checkout), the npm package under `project_dir` or this checkout.
    `setting` is what the error calls the way to give `pyodide_dir` (an option of mkdocs.yml, conf.py or the CLI).
    """
    if data_dir is not None:
        load(data_dir)  # a DataError names the file and the problem before anything is written
    dest = pathlib.Path(dest)
    prebuilt_dir = packaged() if pyodide_dir is None else None
    if pyodide_dir is None and prebuilt_dir is None:
        pyodide_dir = find_pyodide(None if project_dir is None else pathlib.Path(project_dir))
        if pyodide_dir is None:
            raise AssetsError(
                "this installation of whatmatters carries no prebuilt Pyodide runtime and no node_modules/pyodide "
                f"was found; install the published wheel, or set {setting} to the folder of the npm pyodide package"
            )
    core = prebuilt_dir / "pyodide" if prebuilt_dir is not None else pathlib.Path(str(pyodide_dir))
    sources = () if prebuilt_dir is not None else SOURCE_FILES
    missing = [name for name in PYODIDE_FILES + sources if not (core / name).is_file()]
    if missing:
        raise AssetsError(
            f"Pyodide's {', '.join(missing)} not found in {core}; set {setting} to the folder of the npm pyodide "
            "package (`npm ci` puts it in node_modules/pyodide)"
        )
    (dest / PYODIDE_DIR.name).mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name in PYODIDE_FILES:
        shutil.copyfile(core / name, dest / PYODIDE_DIR.name / name)
        sizes[name] = (core / name).stat().st_size
    pyodide_bytes = sum(sizes.values())
    home = dest / RUNTIME_DIR.name
    engine_dir = home / "engine"
    if engine_dir.is_dir():
        shutil.rmtree(engine_dir)  # old archives have other names; keep only this build's
    stdlib_dir = home / "stdlib"
    if stdlib_dir.is_dir():
        shutil.rmtree(stdlib_dir)
    data = None if data_dir is None else pathlib.Path(data_dir)
    if prebuilt_dir is not None:  # compiled once when the wheel was built; the data goes in as it is
        archive = _hashed(engine_dir, f"whatmatters-{__version__}", engine_archive(prebuilt_dir, data))
        stdlib = _hashed(stdlib_dir, "stdlib", (prebuilt_dir / "stdlib.zip").read_bytes())
        lock = json.loads((prebuilt_dir / "lock.json").read_text(encoding="utf-8"))
    else:
        try:  # both byte-compiled for this Pyodide's Python (.bytecode): no compiling from source at start
            archive = build_archive(engine_dir, data, core)
            stdlib = write_trimmed_stdlib(core / "python_stdlib.zip", stdlib_dir, core)
        except BytecodeError as exc:
            raise AssetsError(str(exc)) from None
        lock = minimal_lock(core / "pyodide-lock.json")
    if with_static:
        for name in STATIC_FILES:
            shutil.copyfile(static_dir() / name, home / name)
        copy_modules(static_dir() / SCRIPTS_DIR, home / SCRIPTS_DIR)
    # The two scripts pages and the worker load are generated, never copied: build "dev" until published.
    write_dev_scripts(home)
    manifest: dict[str, Any] = {
        "version": __version__,
        "engine": {"url": f"engine/{archive.name}", "integrity": integrity(archive), "bytes": archive.stat().st_size},
        "pyodide": {
            "version": pyodide_version(core),
            "index": "../pyodide/",
            "module": "../pyodide/pyodide.mjs",
            "bytes": pyodide_bytes,
            "lock": lock,
        },
        "stdlib": {"url": f"stdlib/{stdlib.name}", "bytes": stdlib.stat().st_size},
    }
    manifest["total_bytes"] = manifest["engine"]["bytes"] + pyodide_bytes + manifest["stdlib"]["bytes"]
    # What the worker's progress counts: the files fetched with fetch(). Pyodide's two .mjs files
    # arrive as module imports, which no fetch sees.
    manifest["fetched_bytes"] = manifest["engine"]["bytes"] + sizes["pyodide.asm.wasm"] + manifest["stdlib"]["bytes"]
    (home / "runtime.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _hashed(folder: pathlib.Path, stem: str, data: bytes) -> pathlib.Path:
    """Write `data` as `<stem>-<first 12 hex of its SHA-256>.zip` in `folder`, as archive and stdlib name theirs."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}.zip"
    target.write_bytes(data)
    return target
