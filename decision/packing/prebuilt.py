"""The runtime the wheel carries, built once with Node so that an installed package needs none.

`prebuild(pyodide_dir)` writes `decision/_runtime/` (gitignored; the hatch build hook writes it
for the sdist and the wheel):

    pyodide/        Pyodide's three core files, its package.json (the version) and its licence notice
    lock.json       Pyodide's lock file without packages (.stdlib.minimal_lock)
    stdlib.zip      the trimmed standard library, byte-compiled for that Pyodide (.stdlib, .bytecode)
    engine.zip      the engine's modules, byte-compiled, without any data: the data goes in as
                    it is when a site is built (`engine_archive`), so a site's own data needs no Node
    stamp.json      a hash of what went in (the engine's code, the packing code) and the Pyodide version

`packaged()` is that folder when its stamp matches this code, else None: a checkout whose engine
changed since the prebuild falls back to node_modules and node. Build-time code.
"""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
import shutil
import zipfile

from .archive import PACKAGE_DIR, RUNTIME_MODULES, archive_bytes, members, zip_bytes
from .bytecode import ENGINE_OPTIMIZE, SCRIPT, STDLIB_LINES, STDLIB_OPTIMIZE, compiled_zip
from .stdlib import minimal_lock, trimmed_stdlib_bytes

RUNTIME = PACKAGE_DIR / "_runtime"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# What the compiled files depend on besides the Pyodide release: the engine's code and the code that packs it.
PACKING = ("packing/archive.py", "packing/bytecode.py", "packing/stdlib.py", "packing/prebuilt.py")
NOTICE = """Pyodide (https://github.com/pyodide/pyodide), version {version}, is distributed under the
Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/). The files in this folder are copied
unchanged from its npm package `pyodide`; their source is at https://github.com/pyodide/pyodide
(tag {version}) and in that npm package. The Python standard library in ../stdlib.zip comes from
the same package (Python Software Foundation License), byte-compiled and trimmed.
"""


class PrebuildError(Exception):
    """The prebuild can't run here; the message says what is missing."""


def sources_hash(package_dir: pathlib.Path = PACKAGE_DIR) -> str:
    """SHA-256 over the engine's modules, the packing code and the compile script, by name and bytes."""
    digest = hashlib.sha256()
    for name in (*RUNTIME_MODULES, *PACKING):
        digest.update(name.encode() + b"\0" + hashlib.sha256((package_dir / name).read_bytes()).digest())
    digest.update(hashlib.sha256(SCRIPT.read_bytes()).digest())
    return digest.hexdigest()


def stamp(version: str) -> dict[str, str]:
    return {"sources": sources_hash(), "pyodide": version}


def pyodide_version(pyodide_dir: pathlib.Path) -> str:
    try:
        return str(json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def read_stamp(runtime: pathlib.Path = RUNTIME) -> dict[str, str] | None:
    try:
        found = json.loads((runtime / "stamp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def is_fresh(runtime: pathlib.Path = RUNTIME, pyodide_dir: pathlib.Path | None = None) -> bool:
    """The prebuilt folder is whole and was made from this code (and from `pyodide_dir`'s release, if given)."""
    found = read_stamp(runtime)
    if found is None or found.get("sources") != sources_hash():
        return False
    if pyodide_dir is not None and found.get("pyodide") != pyodide_version(pyodide_dir):
        return False
    needed = [runtime / "pyodide" / n for n in (*PYODIDE_FILES, "package.json")]
    needed += [runtime / n for n in ("lock.json", "stdlib.zip", "engine.zip")]
    return all(path.is_file() for path in needed)


def packaged() -> pathlib.Path | None:
    """The prebuilt runtime, when this installation has one made from its own code."""
    return RUNTIME if is_fresh(RUNTIME) else None


def _code_zip() -> bytes:
    """The engine archive's modules alone (no data), laid out as archive.archive_bytes lays them out."""
    whole = zipfile.ZipFile(io.BytesIO(archive_bytes()))
    buffer = io.BytesIO()
    with whole, zipfile.ZipFile(buffer, "w") as out:
        for info in whole.infolist():
            if info.filename.endswith(".py"):
                out.writestr(info, whole.read(info), compresslevel=9)
    return buffer.getvalue()


def prebuild(pyodide_dir: str | pathlib.Path, dest: pathlib.Path = RUNTIME) -> pathlib.Path:
    """Write the runtime folder from the npm pyodide package at `pyodide_dir`; needs `node` on PATH."""
    pyodide_dir = pathlib.Path(pyodide_dir)
    missing = [n for n in (*PYODIDE_FILES, "python_stdlib.zip", "pyodide-lock.json") if not (pyodide_dir / n).is_file()]
    if missing:
        raise PrebuildError(f"Pyodide's {', '.join(missing)} not found in {pyodide_dir}; run `npm ci` first")
    engine = compiled_zip(_code_zip(), pyodide_dir, "site-packages", ENGINE_OPTIMIZE)
    stdlib_source = trimmed_stdlib_bytes(pyodide_dir / "python_stdlib.zip")
    stdlib = compiled_zip(stdlib_source, pyodide_dir, "stdlib", STDLIB_OPTIMIZE, STDLIB_LINES)
    if engine is None or stdlib is None:
        raise PrebuildError("byte-compiling for Pyodide needs `node` on PATH (Node 20 or newer)")
    version = pyodide_version(pyodide_dir)
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "pyodide").mkdir(parents=True)
    for name in (*PYODIDE_FILES, "package.json"):
        shutil.copyfile(pyodide_dir / name, partial / "pyodide" / name)
    licence = pyodide_dir / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, partial / "pyodide" / "LICENSE")
    else:
        (partial / "pyodide" / "NOTICE").write_text(NOTICE.format(version=version), encoding="utf-8")
    lock = minimal_lock(pyodide_dir / "pyodide-lock.json")
    (partial / "lock.json").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (partial / "stdlib.zip").write_bytes(stdlib)
    (partial / "engine.zip").write_bytes(engine)
    (partial / "stamp.json").write_text(json.dumps(stamp(version), indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    partial.rename(dest)
    return dest


def engine_archive(runtime: pathlib.Path, data_dir: pathlib.Path | None = None) -> bytes:
    """The compiled engine with the package's data (or a site's `data_dir`) added as it is.

    Entries are sorted by name and written as .bytecode.assemble writes them, so for the package's
    data the bytes equal those of the archive compiled under Node, and the same input gives the same bytes.
    """
    entries: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(runtime / "engine.zip") as code:
        entries += [(info.filename, code.read(info)) for info in code.infolist()]
    rules = [(name, path) for name, path in members(data_dir=data_dir) if name.startswith(f"{PACKAGE_DIR.name}/data/")]
    entries += [(name, path.read_bytes()) for name, path in rules]
    return zip_bytes(sorted(entries))
