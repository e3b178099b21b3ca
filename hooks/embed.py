"""MkDocs hook: the embed pages under embed/ and embed.js, for widgets on other people's pages.

Thin on purpose: this is step 2 of `whatmatters publish` (`--embeds`), in
decision/publishing/post_build.py. Runs after hooks/whatmatters.py (the runtime) and before
hooks/pages.py, which gives the embed pages' widgets the build id and hashed script names like
every other page, and hooks/csp.py.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.publishing.post_build import add_embeds


# After the pages are written: one embed page per widget and per flow topic, in the theme's colours.
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    palette = config.theme.get("palette") or [{}]
    first = palette[0] if isinstance(palette, list) else palette
    colours = (first.get("primary", "indigo"), first.get("accent", "amber"))
    add_embeds(pathlib.Path(config.site_dir), config.site_url, colours)
