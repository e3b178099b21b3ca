"""The engine inside Pyodide under Node: the runner script and the node executable it needs."""

from __future__ import annotations

import pathlib
import shutil

import pytest

from helpers.site import ROOT

RUNNER = pathlib.Path(__file__).resolve().parent / "pyodide_runner.mjs"
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide" / "package.json"


def node() -> str:
    """The node executable; fails (never skips) when the JavaScript side is not installed."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on PATH: install Node.js 20 or newer, then run `npm ci` in the project root.")
    if not PYODIDE_PACKAGE.is_file():
        pytest.fail(f"{PYODIDE_PACKAGE.parent} is missing: run `npm ci` in the project root.")
    return found
