"""The widgets inside other tools: the Markdown extension (MkDocs, Zensical, any
Python-Markdown site), the MkDocs plugin, the Sphinx extension and the embed pages.

Users name them by their public names (`whatmatters` in `mkdocs.yml` and `zensical.toml`,
`decision.sphinx` in `conf.py`, `decision.fence` for a superfences fence), never by these paths.
"""
