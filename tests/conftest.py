"""Shared fixtures: a built site, a static server for it, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
from typing import Any, Callable, Iterator

import pytest
from mkdocs.utils.yaml import yaml_load

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Builds with the extension option `data_dir` set; MkDocs has no command-line switch for
# an extension's options, so the config is loaded as the CLI would and then given one.
_BUILD_WITH_DATA = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=True)
assert "decision.markdown" in config.markdown_extensions, "mkdocs.yml doesn't load decision.markdown"
config.mdx_configs["decision.markdown"] = {"data_dir": sys.argv[3]}
build(config)
"""


def site_config() -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (its YAML tags included)."""
    with CONFIG.open(encoding="utf-8") as f:
        return yaml_load(f)


def nav_pages(nav: Any = None) -> list[str]:
    """Every Markdown page the nav (nested sections included) points to, in nav order."""
    nav = site_config()["nav"] if nav is None else nav
    pages = []
    for item in nav if isinstance(nav, list) else [nav]:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            pages += nav_pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            pages.append(value)
    return pages


def page_path(page: str) -> str:
    """A page's URL path with directory URLs: a.md -> a/, dir/index.md -> dir/, index.md -> ''."""
    path = pathlib.PurePosixPath(page)
    folder = path.parent if path.stem in ("index", "README") else path.parent / path.stem
    return "" if str(folder) == "." else f"{folder.as_posix()}/"


@dataclasses.dataclass(frozen=True)
class Build:
    """A site MkDocs wrote, with everything it printed while writing it."""

    site: pathlib.Path
    output: str


def mkdocs_build(site: pathlib.Path, config: pathlib.Path = CONFIG,
                 data_dir: pathlib.Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a strict MkDocs build from the project root, stdout and stderr together."""
    if data_dir is None:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    else:
        command = [sys.executable, "-c", _BUILD_WITH_DATA, str(config), str(site), str(data_dir)]
    return subprocess.run(command, cwd=ROOT, env=BUILD_ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120, check=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The guide as `mkdocs build --strict` writes it, built once per test session."""
    site = tmp_path_factory.mktemp("site")
    done = mkdocs_build(site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {done.returncode}):\n{done.stdout}")
    return Build(site, done.stdout)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files quietly, with the types browsers insist on for modules and wasm."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".zip": "application/zip", ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@contextlib.contextmanager
def static_server(directory: pathlib.Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at an ephemeral port, under `prefix`; yields its URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    with contextlib.ExitStack() as stack:
        root = directory
        if prefix != "/":
            # GitHub Pages serves a project site under /<repo>/: mount the site there.
            root = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory()))
            mount = root / prefix.strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(directory.resolve(), target_is_directory=True)
        handler = functools.partial(_SiteHandler, directory=str(root))
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


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[pathlib.Path, str], str]]:
    """A function that serves a directory (under an optional prefix) until the session ends."""
    with contextlib.ExitStack() as stack:
        yield lambda directory, prefix="/": stack.enter_context(static_server(directory, prefix))


@pytest.fixture(scope="module")
def chromium():  # -> playwright.sync_api.Browser
    """Debian's Chromium driven by Playwright; one browser per test module, never downloaded."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(the browser tests never download a browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
