"""MkDocs hook: the embed pages under embed/ and embed.js, for widgets on other people's pages.

Thin on purpose: the work is `decision.integrations.embed.write_embeds`. Runs after
hooks/whatmatters.py (the runtime) and before hooks/pages.py, which gives the embed pages'
widgets the build id and hashed script names like every other page, and hooks/csp.py.
"""

from __future__ import annotations

import pathlib

from mkdocs.config.defaults import MkDocsConfig

from decision.integrations.embed import write_embeds


# After the pages are written: one embed page per widget and per flow topic, in the theme's colours.
def on_post_build(config: MkDocsConfig, **kwargs: object) -> None:
    palette = config.theme.get("palette") or [{}]
    first = palette[0] if isinstance(palette, list) else palette
    write_embeds(
        pathlib.Path(config.site_dir), first.get("primary", "indigo"), first.get("accent", "amber"), config.site_url
    )
