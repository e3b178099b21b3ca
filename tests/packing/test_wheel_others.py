"""The same wheel as test_wheel.py, in the two other generators: a Sphinx project (reST and MyST, the
default alabaster theme, `-W`) and a Zensical project set up as the Embed page's Zensical section
shows, each built in the fresh virtualenv with no node on PATH; their widgets go live in Chromium."""

from __future__ import annotations

import pathlib
import sys
from typing import Any

import pytest

from helpers.wheel import Venv, all_live

pytestmark = [pytest.mark.site, pytest.mark.browser]

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integrations"))


def zensical_config() -> str:
    """The Embed page's whole `zensical.toml` (its first ```toml block of the Zensical section)."""
    import re

    text = (ROOT / "content" / "embed.md").read_text(encoding="utf-8")
    start = text.index("### Zensical\n")
    end = text.find("\n## ", start)
    blocks = re.findall(r"^```toml\n(.*?)^```$", text[start : end if end != -1 else len(text)], re.S | re.M)
    assert blocks and "[project]" in blocks[0], blocks
    return blocks[0]


def test_a_sphinx_project(venv: Venv, chromium: Any, serve: Any, tmp_path: pathlib.Path) -> None:
    """`sphinx-build -W` in alabaster: a reST page and a MyST page, both widgets live from the wheel's runtime."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'project = "Handbook"\nextensions = ["decision.sphinx", "myst_parser"]\n', encoding="utf-8"
    )
    (src / "index.rst").write_text(
        "Handbook\n========\n\n.. toctree::\n\n   costs\n\n.. whatmatters::\n\n   widget: flow\n   topic: caching\n",
        encoding="utf-8",
    )
    (src / "costs.md").write_text("# Costs\n\n```{whatmatters}\nwidget: cost\n```\n", encoding="utf-8")
    out = tmp_path / "out"
    venv.run("sphinx-build", "-b", "html", "-q", "-W", str(src), str(out), cwd=tmp_path)
    assert 'href="_static/alabaster.css' in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "_static" / "pyodide" / "pyodide.asm.wasm").is_file()
    found = all_live(chromium, serve(out), ["index.html", "costs.html"])
    assert found == {"index.html": ["wm-flow-caching"], "costs.html": ["wm-cost"]}


def test_a_zensical_project(venv: Venv, chromium: Any, serve: Any, tmp_path: pathlib.Path) -> None:
    """`zensical build`, then `whatmatters publish site` (no --pyodide: the wheel's runtime), as the Embed page says: live."""
    config = zensical_config()
    assert "font = false" in config  # nothing from another origin, fonts included
    (tmp_path / "zensical.toml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Handbook\n\n```whatmatters\nwidget: stage\nusers: 50\n```\n", encoding="utf-8"
    )
    venv.run("zensical", "build", "--clean", cwd=tmp_path)
    venv.run("whatmatters", "publish", "site", cwd=tmp_path)
    # Zensical's search writes its styles as a <style> in a shadow root at run time, which the
    # policy's style-src 'self' refuses (the Embed page says so); the widgets need nothing of it.
    found = all_live(chromium, serve(tmp_path / "site"), [""], known="Applying inline style violates")
    assert found == {"": ["wm-stage"]}
