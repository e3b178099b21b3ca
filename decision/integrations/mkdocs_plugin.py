"""MkDocs plugin `whatmatters`: live decision widgets in any MkDocs site, in two lines of mkdocs.yml.

    plugins:
      - whatmatters

It adds the ```whatmatters fence (the `decision.integrations.markdown` extension, unless the site
lists it already), loads widget.js and whatmatters.css on every page, and after each build
places the runtime (Pyodide's core, the engine archive, the scripts) under `assets/`, all
served from the site's own origin: the runtime the wheel carries, so no Node is needed (or the npm
package at `pyodide_dir`). With `data_dir`, the site's own copy of decision/data/ (`whatmatters
data init DIR` makes one) drives both the build-time HTML and the browser's engine, and `mkdocs
serve` rebuilds when it changes. Build-time code.
"""

from __future__ import annotations

import pathlib
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin

from ..errors import DataError
from ..loading import load
from ..packing.assets import RUNTIME_DIR, SITE_ASSETS, AssetsError, write_runtime

EXTENSION = "whatmatters"  # the extension's public name (its entry point)
ALIASES = (EXTENSION, "decision.integrations.markdown")


class WhatMattersConfig(Config):  # type: ignore[no-untyped-call]
    """The plugin's settings in mkdocs.yml."""

    data_dir = config_options.Type(str, default="")
    """A copy of decision/data/ with the site's own rules, relative to mkdocs.yml; empty: the package's."""
    pyodide_dir = config_options.Type(str, default="")
    """The npm `pyodide` package whose core files the runtime copies, relative to mkdocs.yml; empty: the
    runtime the package carries, or in a checkout without one, `node_modules/pyodide`."""


class WhatMattersPlugin(BasePlugin[WhatMattersConfig]):  # type: ignore[no-untyped-call]
    """Adds the fence and the widget scripts, and writes the runtime after the build."""

    def _path(self, config: MkDocsConfig, value: str) -> pathlib.Path:
        return (pathlib.Path(config.config_file_path or ".").resolve().parent / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        data_dir = str(self._path(config, self.config.data_dir)) if self.config.data_dir else ""
        listed = next((name for name in ALIASES if name in config.markdown_extensions), None)
        if listed is None:
            config.markdown_extensions.append(EXTENSION)
            listed = EXTENSION
        if data_dir:
            config.mdx_configs.setdefault(listed, {})["data_dir"] = data_dir
            try:  # checked once, up front: a broken file is one line naming it, not a traceback mid-page
                load(data_dir)
            except DataError as exc:
                raise PluginError(f"whatmatters: the data in {self.config.data_dir} can't be used: {exc}") from None
        config.extra_css.append(f"{RUNTIME_DIR}/whatmatters.css")
        config.extra_javascript.append(
            config_options.ExtraScript().run_validation(  # type: ignore[no-untyped-call]
                {"path": f"{RUNTIME_DIR}/widget.js", "type": "module"}
            )
        )
        return config

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """`mkdocs serve` rebuilds when a file of the site's own data changes, as it does for a page."""
        if self.config.data_dir:
            server.watch(str(self._path(config, self.config.data_dir)))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        data_dir = self._path(config, self.config.data_dir) if self.config.data_dir else None
        pyodide_dir = self._path(config, self.config.pyodide_dir) if self.config.pyodide_dir else None
        try:
            write_runtime(
                pathlib.Path(config.site_dir) / SITE_ASSETS,
                pyodide_dir,
                True,
                data_dir,
                project_dir=self._path(config, "."),
                setting="the plugin's `pyodide_dir` in mkdocs.yml",
            )
        except (AssetsError, DataError) as exc:
            raise PluginError(f"whatmatters: {exc}") from None
