"""The same page of widgets built by five site tools: Material, Zensical, Sphinx alabaster and furo, a bare page.

Each builder writes a small project under a folder and returns the folder to serve and the
page's path in it. Every one of them takes its runtime files from this checkout's node_modules.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import markdown

from helpers.site import BUILD_ENV, ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
# The widgets whose parts the theme tests look at: a flow and its diagram, the cost chart and its
# fields, the stage finder's checkboxes, the plan's form, the screener's text box.
WIDGETS = [
    {"widget": "flow", "topic": "caching"},
    {"widget": "cost"},
    {"widget": "stage"},
    {"widget": "plan"},
    {"widget": "screen"},
]
ENV = {**BUILD_ENV, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
# Our own site's palettes (mkdocs.yml): indigo, and an amber accent that is 1.9:1 on white.
PALETTE = """\
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: amber
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: amber
"""


def body(options: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in options.items())


def markdown_page() -> str:
    return "# Handbook\n\n" + "".join(f"```whatmatters\n{body(w)}```\n\n" for w in WIDGETS)


def rst_page() -> str:
    return "Handbook\n========\n\n" + "".join(
        ".. whatmatters::\n\n" + textwrap.indent(body(w), "   ") + "\n" for w in WIDGETS
    )


def run(args: list[str], cwd: pathlib.Path) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def material(folder: pathlib.Path) -> pathlib.Path:
    """A new MkDocs site with `plugins: [search, whatmatters]` and Material's light and dark palettes."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(markdown_page(), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        f"site_name: Handbook\ntheme:\n  name: material\n  palette:\n{PALETTE}"
        f"plugins:\n  - search\n  - whatmatters:\n      pyodide_dir: {PYODIDE}\n",
        encoding="utf-8",
    )
    run(["-m", "mkdocs", "build", "-q", "--strict"], folder)
    return folder / "site"


def zensical(folder: pathlib.Path) -> pathlib.Path:
    """A Zensical project as the Embed page sets one up, with light and dark palettes, then `whatmatters assets`."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(markdown_page(), encoding="utf-8")
    palettes = "".join(
        f'\n[[project.theme.palette]]\nmedia = "(prefers-color-scheme: {m})"\nscheme = "{s}"\n'
        'primary = "indigo"\naccent = "amber"\n'
        for m, s in (("light", "default"), ("dark", "slate"))
    )
    (folder / "zensical.toml").write_text(
        '[project]\nsite_name = "Handbook"\nextra_css = ["assets/whatmatters/whatmatters.css"]\n'
        'extra_javascript = [{ path = "assets/whatmatters/widget.js", type = "module" }]\n'
        f"{palettes}\n[project.markdown_extensions]\nwhatmatters = {{}}\n",
        encoding="utf-8",
    )
    run(["-m", "zensical", "build", "--clean"], folder)
    run(["-m", "decision", "assets", "site/assets", "--pyodide", str(PYODIDE)], folder)
    return folder / "site"


def sphinx(folder: pathlib.Path, theme: str) -> pathlib.Path:
    """A Sphinx project in reStructuredText with `decision.sphinx`, built with -W."""
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "conf.py").write_text(
        f'project = "Handbook"\nextensions = ["decision.sphinx"]\nhtml_theme = "{theme}"\n'
        f"whatmatters_pyodide_dir = {str(PYODIDE)!r}\n",
        encoding="utf-8",
    )
    (folder / "src" / "index.rst").write_text(rst_page(), encoding="utf-8")
    run(["-m", "sphinx", "-b", "html", "-q", "-W", "src", "out"], folder)
    return folder / "out"


def bare(folder: pathlib.Path) -> pathlib.Path:
    """A plain HTML page: the widgets' static HTML, our stylesheet and script, `whatmatters assets` beside it."""
    html = markdown.markdown(markdown_page(), extensions=["whatmatters"])
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Handbook</title>\n'
        '<link rel="stylesheet" href="assets/whatmatters/whatmatters.css">\n'
        '<script type="module" src="assets/whatmatters/widget.js"></script>\n'
        f"</head>\n<body>\n{html}\n</body>\n</html>\n",
        encoding="utf-8",
    )
    run(["-m", "decision", "assets", "assets", "--pyodide", str(PYODIDE)], folder)
    return folder


BUILDERS = {
    "material": material,
    "zensical": zensical,
    "alabaster": lambda folder: sphinx(folder, "alabaster"),
    "furo": lambda folder: sphinx(folder, "furo"),
    "bare": bare,
}
