"""Hatch build hook: the prebuilt browser runtime goes into the sdist and the wheel.

Building the sdist, or a wheel straight from a checkout, writes `decision/_runtime/`
(decision.packing.prebuilt) when it is missing or was made from other code: that needs Node and
the npm `pyodide` package (`npm ci`). The sdist then carries the folder, so a wheel built from
the unpacked sdist finds it fresh and needs no Node. An editable install skips it: a checkout
falls back to node_modules/pyodide.
"""

from __future__ import annotations

import pathlib
import sys
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = pathlib.Path(__file__).resolve().parent


class RuntimeHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            return
        sys.path.insert(0, str(ROOT))
        try:
            from decision.packing import prebuilt
        finally:
            sys.path.remove(str(ROOT))
        pyodide = ROOT / "node_modules" / "pyodide"
        checkout_pyodide = pyodide if (pyodide / "package.json").is_file() else None
        if prebuilt.is_fresh(prebuilt.RUNTIME, checkout_pyodide):
            return
        if checkout_pyodide is None:
            raise RuntimeError(
                "whatmatters: decision/_runtime is missing or stale and node_modules/pyodide isn't here: "
                "run `npm ci` (Node 20) and build again"
            )
        self.app.display_info(f"whatmatters: prebuilding the browser runtime from {pyodide}")
        try:
            prebuilt.prebuild(pyodide)
        except prebuilt.PrebuildError as exc:
            raise RuntimeError(f"whatmatters: {exc}") from None
