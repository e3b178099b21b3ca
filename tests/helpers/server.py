"""A static server for a built site on 127.0.0.1, also under a `/<repo>/` prefix as GitHub Pages serves it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import pathlib
import tempfile
import threading
from collections.abc import Iterator
from typing import ClassVar


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files quietly, with the types browsers insist on for modules and wasm."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: pathlib.Path, prefix: str = "/", types: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at an ephemeral port, under `prefix`; yields its URL.

    `types` overrides the media type of some extensions, as a less careful server would send them."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    with contextlib.ExitStack() as stack:
        root = directory
        if prefix != "/":
            # GitHub Pages serves a project site under /<repo>/: mount the site there.
            root = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory()))
            mount = root / prefix.strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(directory.resolve(), target_is_directory=True)
        handler: functools.partial[http.server.SimpleHTTPRequestHandler] = functools.partial(
            _SiteHandler, directory=str(root)
        )
        if types:
            careless = type(
                "_CarelessHandler", (_SiteHandler,), {"extensions_map": {**_SiteHandler.extensions_map, **types}}
            )
            handler = functools.partial(careless, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
