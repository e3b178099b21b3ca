"""MkDocs hook: a strict Content-Security-Policy as the first element of every page's <head>.

Thin on purpose: this is step 4 of `whatmatters publish` (decision/publishing/post_build.py),
which hashes the inline scripts the theme actually wrote (so a Material upgrade updates the
policy instead of breaking it) and writes one policy into every HTML file.

`mkdocs serve` gets no policy: its live reload injects an inline script into each page as
it serves it, after the build, which a hash computed here could never allow. Only the
served preview is affected; `mkdocs build` and `mkdocs gh-deploy` always add the policy.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.publishing.post_build import protect

_serving = False


# Remember whether this run is `mkdocs serve`, whose injected live-reload script a policy would block.
def on_startup(command: str, dirty: bool, **kwargs: object) -> None:
    global _serving
    _serving = command == "serve"


# After every page is written: hash the inline scripts and put the policy into each page.
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    if not _serving:
        protect(pathlib.Path(config.site_dir))
