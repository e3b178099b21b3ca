"""MkDocs hook: place the live widgets' runtime (Pyodide core, engine archive) into the site.

Thin on purpose: the work is `decision.packing.assets.write_runtime`, which `whatmatters assets`
also exposes for sites built with other tools.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.packing.assets import SITE_ASSETS, write_runtime


# After the pages are written: copy the runtime next to the theme's assets.
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    root = pathlib.Path(config.config_file_path).resolve().parent
    write_runtime(pathlib.Path(config.site_dir) / SITE_ASSETS, root / "node_modules" / "pyodide", with_static=False)
