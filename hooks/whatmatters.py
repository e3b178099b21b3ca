"""MkDocs hook: place the live widgets' runtime (Pyodide core, engine archive) into the site.

Thin on purpose: this is step 1 of `whatmatters publish` (decision/publishing/post_build.py),
the one post-build command that does all four hooks' work for a site built by any tool.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.publishing.post_build import place_runtime


# After the pages are written: copy the runtime next to the theme's assets (the theme copied the scripts).
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    root = pathlib.Path(config.config_file_path).resolve().parent
    place_runtime(pathlib.Path(config.site_dir), root / "node_modules" / "pyodide", with_static=False)
