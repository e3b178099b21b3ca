"""Sphinx extension: the `whatmatters` directive, in reStructuredText and in MyST Markdown.

    extensions = ["decision.sphinx"]                         # conf.py (add "myst_parser" for MyST)

    .. whatmatters::                                   ```{whatmatters}
                                                       widget: flow
       widget: flow                                    topic: caching
       topic: caching                                  ```

The directive's body is a fence's body, rendered by the same engine and renderer as the
Markdown fence; after an HTML build the runtime is copied into `_static/`, so the widget
goes live from the site's own origin. `whatmatters_data_dir` in conf.py points at a site's
own copy of decision/data/ (build-time HTML and the browser's engine alike);
`whatmatters_pyodide_dir` at the npm `pyodide` package, for another Pyodide than the one the wheel
carries. Both paths are relative to the folder of conf.py (with `sphinx-quickstart --sep`, that is
`source/`), or absolute. Thin on purpose. Build-time code.
"""

from __future__ import annotations

import pathlib
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import __version__
from ..errors import DataError
from ..knowledge import Knowledge
from ..loading import knowledge, load
from ..packing.assets import RUNTIME_DIR, write_runtime
from .markdown import FenceError, option_line, parse_options, render_fence

_knowledge: dict[str, Knowledge] = {}
LOG = logging.getLogger(__name__)


def _site_knowledge(app: Sphinx) -> Knowledge:
    data_dir = app.config.whatmatters_data_dir
    if data_dir not in _knowledge:
        _knowledge[data_dir] = load(pathlib.Path(app.confdir) / data_dir) if data_dir else knowledge()
    return _knowledge[data_dir]


def _check_data(app: Sphinx) -> None:
    """Before any page is read: a site's own data that can't be used stops the build with one
    line naming the file. Sphinx wraps any exception, its own ExtensionError included, in a
    traceback and a request to report a Sphinx bug; so the line is logged as an error and the
    build ends there (SystemExit passes Sphinx's handler, exit status 2)."""
    try:
        _site_knowledge(app)
    except DataError as exc:
        where = app.config.whatmatters_data_dir or "the package"
        LOG.error("whatmatters: the data in %s can't be used: %s", where, exc)
        raise SystemExit(2) from None


class WhatMattersDirective(SphinxDirective):
    """A table or widget, its options as `key: value` lines in the body."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        taken = self.env.temp_data.setdefault("whatmatters_ids", set())  # this document's widget ids
        try:
            html = render_fence(parse_options(list(self.content), 0), _site_knowledge(self.env.app), taken)
        except FenceError as exc:
            exc.line = exc.line or option_line(exc, list(self.content))
            if exc.line is None:  # the fence as a whole: named by the directive's line
                raise self.error(f"whatmatters: {exc}") from None
            # One option line: named by its own line, counted from the top of the file.
            # MyST gives no content offset of its own; its body starts on the line after the fence's.
            start = self.content_offset if self.content_offset >= self.lineno else self.lineno
            return [self.reporter.error(f"whatmatters: {exc}", line=start + exc.line)]
        return [nodes.raw("", html, format="html")]


def _copy_runtime(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: the runtime under _static/, next to the pages that load it."""
    if exception is not None or app.builder.format != "html":
        return
    data_dir, pyodide_dir = app.config.whatmatters_data_dir, app.config.whatmatters_pyodide_dir
    try:
        write_runtime(
            pathlib.Path(app.outdir) / "_static",
            pathlib.Path(app.confdir) / pyodide_dir if pyodide_dir else None,
            True,
            pathlib.Path(app.confdir) / data_dir if data_dir else None,
            project_dir=pathlib.Path(app.confdir),
            setting="`whatmatters_pyodide_dir` in conf.py",
        )
    except Exception as exc:  # AssetsError or DataError: say which file, not a traceback
        raise ExtensionError(f"whatmatters: {exc}") from None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("whatmatters_data_dir", "", "env", types=[str])
    app.add_config_value("whatmatters_pyodide_dir", "", "env", types=[str])
    app.add_directive("whatmatters", WhatMattersDirective)
    app.add_js_file(f"{RUNTIME_DIR.name}/widget.js", type="module")
    app.add_css_file(f"{RUNTIME_DIR.name}/whatmatters.css")
    app.connect("builder-inited", _check_data)
    app.connect("build-finished", _copy_runtime)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
