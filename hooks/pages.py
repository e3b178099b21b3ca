"""MkDocs hook: ready the built site for a host with a ten-minute cache (GitHub Pages).

Thin on purpose: this is step 3 of `whatmatters publish` (decision/publishing/post_build.py),
which gives our runtime files content-hashed names (the widget modules in a folder named by
their hash), writes the widget script and the worker anew with one build id, gives it to the
manifest and every widget, and writes robots.txt for `site_url`. Runs after hooks/whatmatters.py
(which writes the runtime) and before hooks/csp.py.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.publishing.post_build import stamp


# After the runtime is in place: hashed names, one build id, robots.txt.
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    stamp(pathlib.Path(config.site_dir), config.site_url)
