"""Pack the engine into one zip that Pyodide can unpack into its site-packages.

The browser fetches this file and hands it to `pyodide.unpackArchive`, after which
`import decision` works there as it does here. The file name carries the version and a
hash of the bytes, so a cache can keep it forever; the zip is built the same way every
time (sorted entries, one fixed date, one set of permissions), so unchanged source keeps
its name. It carries exactly the runtime: the modules `decision.api` needs, listed below,
and the data. Nothing of the build side (integrations, packing, publishing, cli, refresh) goes: the browser never builds or prints.
"""

from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import zipfile
from collections.abc import Iterable

from .. import __version__
from .bytecode import ENGINE_OPTIMIZE, compiled_zip

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent.parent

# The runtime: what `import decision.api` loads, and nothing else (a test keeps the two equal).
RUNTIME_MODULES = (
    "__init__.py",
    "api.py",
    "request.py",
    "protocol.py",
    "errors.py",
    "knowledge.py",
    "loading.py",
    "loading_flows.py",
    "reading.py",
    "prices.py",
    "flows.py",
    "stages.py",
    "plan.py",
    "costs/__init__.py",
    "costs/lookup.py",
    "costs/money.py",
    "costs/wording.py",
    "ai_advice.py",
    "screener.py",
    "screen_model.py",
    "regex_gate.py",
    "scan.py",
    "scan_rules.py",
    "scan_ignore.py",
    "scan_request.py",
    "table_registry.py",
    "formatting.py",
    "render/__init__.py",
    "render/html.py",
    "render/tables.py",
    "render/forms.py",
    "render/flow_widget.py",
    "render/stage_widget.py",
    "render/plan_widget.py",
    "render/cost_widget.py",
    "render/conversation_widget.py",
    "render/screen_widget.py",
    "render/scan_widget.py",
    "render/ai_advice.py",
    "render/price_tables.py",
    "render/chart.py",
    "render/diagram.py",
    "render/decision_records.py",
)

# Any fixed date works; 1980-01-01 is the earliest a zip can record.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, readable by all, writable by its owner


def members(
    package_dir: pathlib.Path = PACKAGE_DIR, data_dir: pathlib.Path | None = None
) -> list[tuple[str, pathlib.Path]]:
    """The (name in the zip, file on disk) pairs that make up the archive, sorted by name.

    `data_dir`, a site's own copy of decision/data/, goes in as `decision/data/`, so the
    browser's engine answers from the same rules as the site's build-time HTML.
    """
    chosen = [(f"{package_dir.name}/{name}", package_dir / name) for name in RUNTIME_MODULES]
    data = package_dir / "data" if data_dir is None else pathlib.Path(data_dir)
    for path in data.rglob("*"):
        relative = path.relative_to(data)
        if path.is_file() and not any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
            chosen.append((f"{package_dir.name}/data/{relative.as_posix()}", path))
    return sorted(chosen)


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) entries in the order given, with one date and one mode: same entries, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # record Unix permissions whichever system builds it
            info.external_attr = FILE_MODE << 16
            zf.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def archive_bytes(package_dir: pathlib.Path = PACKAGE_DIR, data_dir: pathlib.Path | None = None) -> bytes:
    """The zip itself: same source in, same bytes out."""
    return zip_bytes((name, path.read_bytes()) for name, path in members(package_dir, data_dir))


def build_archive(
    dest_dir: str | pathlib.Path,
    data_dir: str | pathlib.Path | None = None,
    pyodide_dir: str | pathlib.Path | None = None,
) -> pathlib.Path:
    """Write `whatmatters-<version>-<hash>.zip` into `dest_dir` (made if missing) and return its path.

    The hash is the first 12 hex digits of the zip's SHA-256; `data_dir` is a site's own data.
    With `pyodide_dir` (the npm pyodide package), the modules go in as `.pyc` compiled for that
    Pyodide (.bytecode), as the site ships them; without it, as source, which CPython runs too.
    """
    data = archive_bytes(data_dir=None if data_dir is None else pathlib.Path(data_dir))
    if pyodide_dir is not None:
        data = compiled_zip(data, pathlib.Path(pyodide_dir), "site-packages", ENGINE_OPTIMIZE) or data
    digest = hashlib.sha256(data).hexdigest()[:12]
    dest = pathlib.Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / f"whatmatters-{__version__}-{digest}.zip"
    target.write_bytes(data)
    return target


def integrity(path: str | pathlib.Path) -> str:
    """The Subresource Integrity value for a file: `sha384-` and the base64 of its SHA-384."""
    digest = hashlib.sha384(pathlib.Path(path).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")
