"""A standard library trimmed to what the engine imports inside Pyodide, and a lock file without packages.

Pyodide's `python_stdlib.zip` is 2.5 MB; the engine, Pyodide's own start-up and
`unpackArchive` read 133 of its files (traced inside Pyodide by `bench/engine_node.mjs --trace`
or `tests/helpers/pyodide_runner.mjs` while answering the whole differential corpus; the modules
Python has frozen into its binary, such as os, io, site and importlib's bootstrap, name a file
in the zip but never read it, so they are left out). Pyodide's own start reads 125 of them
(asyncio for its event loop, ast and tokenize to run code, shutil and zipfile for packages,
inspect, typing, dataclasses...), `unpackArchive` one (encodings/cp437.py, for zip member
names), and the engine 7: datetime, decimal, difflib, numbers and tomllib's three. The engine
escapes HTML itself (decision.formatting.esc) because `import html` would add html.entities
(25 KB deflated). The worker loads the trimmed zip with
`loadPyodide({stdLibURL})` and the lock file inline (`lockFileContents`), so a reader skips
most of the 2.5 MB and the 119 KB `pyodide-lock.json`. `make test` runs the differential
corpus on this runtime and checks KEEP against a trace on the full stdlib.
Build-time code; the browser never imports it.
"""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
import zipfile
from typing import Any

from .archive import FIXED_DATE  # one date for both zips
from .bytecode import STDLIB_LINES, STDLIB_OPTIMIZE, compiled_zip

# Names inside python_stdlib.zip; regenerate with `make bench` (bench/trace.json) after the engine
# starts importing another stdlib module (tests/pyodide/test_pyodide.py fails until then).
KEEP = (
    "__future__.py",
    "_colorize.py",
    "_opcode_metadata.py",
    "_py_warnings.py",
    "_pyodide/__init__.py",
    "_pyodide/_base.py",
    "_pyodide/_core_docs.py",
    "_pyodide/_future_helper.py",
    "_pyodide/_importhook.py",
    "_pyodide/docs_argspec.py",
    "_pyodide/docstring.py",
    "_pyodide/jsbind.py",
    "_ssl.py",
    "_weakrefset.py",
    "annotationlib.py",
    "ast.py",
    "asyncio/__init__.py",
    "asyncio/base_events.py",
    "asyncio/base_futures.py",
    "asyncio/base_subprocess.py",
    "asyncio/base_tasks.py",
    "asyncio/constants.py",
    "asyncio/coroutines.py",
    "asyncio/events.py",
    "asyncio/exceptions.py",
    "asyncio/format_helpers.py",
    "asyncio/futures.py",
    "asyncio/graph.py",
    "asyncio/locks.py",
    "asyncio/log.py",
    "asyncio/mixins.py",
    "asyncio/protocols.py",
    "asyncio/queues.py",
    "asyncio/runners.py",
    "asyncio/selector_events.py",
    "asyncio/sslproto.py",
    "asyncio/staggered.py",
    "asyncio/streams.py",
    "asyncio/subprocess.py",
    "asyncio/taskgroups.py",
    "asyncio/tasks.py",
    "asyncio/threads.py",
    "asyncio/timeouts.py",
    "asyncio/transports.py",
    "asyncio/trsock.py",
    "asyncio/unix_events.py",
    "base64.py",
    "bisect.py",
    "bz2.py",
    "codeop.py",
    "collections/__init__.py",
    "compression/__init__.py",
    "compression/_common/__init__.py",
    "compression/_common/_streams.py",
    "compression/zstd/__init__.py",
    "compression/zstd/_zstdfile.py",
    "concurrent/__init__.py",
    "concurrent/futures/__init__.py",
    "concurrent/futures/_base.py",
    "contextlib.py",
    "contextvars.py",
    "copy.py",
    "copyreg.py",
    "dataclasses.py",
    "datetime.py",
    "decimal.py",
    "difflib.py",
    "dis.py",
    "encodings/__init__.py",
    "encodings/aliases.py",
    "encodings/cp437.py",
    "encodings/utf_8.py",
    "enum.py",
    "fnmatch.py",
    "functools.py",
    "glob.py",
    "heapq.py",
    "importlib/__init__.py",
    "importlib/_abc.py",
    "importlib/abc.py",
    "inspect.py",
    "json/__init__.py",
    "json/decoder.py",
    "json/encoder.py",
    "json/scanner.py",
    "keyword.py",
    "linecache.py",
    "locale.py",
    "logging/__init__.py",
    "lzma.py",
    "numbers.py",
    "opcode.py",
    "operator.py",
    "pathlib/__init__.py",
    "pathlib/_os.py",
    "pyodide/__init__.py",
    "pyodide/_package_loader.py",
    "pyodide/_state.py",
    "pyodide/code.py",
    "pyodide/common.py",
    "pyodide/ffi/__init__.py",
    "pyodide/webloop.py",
    "random.py",
    "re/__init__.py",
    "re/_casefix.py",
    "re/_compiler.py",
    "re/_constants.py",
    "re/_parser.py",
    "reprlib.py",
    "selectors.py",
    "shutil.py",
    "signal.py",
    "socket.py",
    "ssl.py",
    "string/__init__.py",
    "struct.py",
    "subprocess.py",
    "tempfile.py",
    "textwrap.py",
    "threading.py",
    "token.py",
    "tokenize.py",
    "tomllib/__init__.py",
    "tomllib/_parser.py",
    "tomllib/_re.py",
    "traceback.py",
    "types.py",
    "typing.py",
    "warnings.py",
    "weakref.py",
    "zipfile/__init__.py",
    "zipfile/_path/__init__.py",
    "zipfile/_path/glob.py",
)


def trimmed_stdlib_bytes(full_zip: pathlib.Path, keep: tuple[str, ...] = KEEP) -> bytes:
    """The members of `full_zip` named in `keep`, deflated, in a fixed order with one date."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(full_zip) as src, zipfile.ZipFile(buffer, "w") as out:
        present = set(src.namelist())
        missing = sorted(set(keep) - present)
        if missing:
            raise ValueError(f"{full_zip} lacks {', '.join(missing[:5])}: trace the stdlib again for this Pyodide")
        for name in sorted(keep):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, src.read(name), compresslevel=9)
    return buffer.getvalue()


def write_trimmed_stdlib(
    full_zip: pathlib.Path, dest_dir: pathlib.Path, pyodide_dir: pathlib.Path | None = None
) -> pathlib.Path:
    """Write `stdlib-<hash>.zip` into `dest_dir` and return its path.

    With `pyodide_dir`, its modules are `.pyc` compiled for that Pyodide (.bytecode), as the site ships them.
    """
    data = trimmed_stdlib_bytes(full_zip)
    if pyodide_dir is not None:
        data = compiled_zip(data, pyodide_dir, "stdlib", STDLIB_OPTIMIZE, STDLIB_LINES) or data
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"stdlib-{hashlib.sha256(data).hexdigest()[:12]}.zip"
    target.write_bytes(data)
    return target


def minimal_lock(full_lock: pathlib.Path) -> dict[str, Any]:
    """Pyodide's lock file with its `info` and no packages: the engine loads none."""
    info = json.loads(full_lock.read_text(encoding="utf-8"))["info"]
    return {"info": info, "packages": {}}
