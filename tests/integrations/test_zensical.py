"""Issue 23: a Zensical project set up exactly as the Embed page's Zensical section shows builds
pages that hold the engine's widget HTML, with the extension and with the custom fence.

The `zensical.toml` comes from the page's own ```toml blocks, so the page and this test can't drift."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import tomllib

import markdown
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = ROOT / "content" / "embed.md"
FENCE = "```whatmatters\nwidget: stage\nusers: 50\n```\n"
# The Zensical subprocess imports this checkout's `decision`, as the test itself does.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

pytestmark = pytest.mark.site


def section() -> str:
    """The Embed page's Zensical section, from its heading to the next second-level heading."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("### Zensical\n")
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)]


def toml_blocks() -> list[str]:
    return re.findall(r"^```toml\n(.*?)^```$", section(), re.S | re.M)


def configs() -> dict[str, str]:
    """The two `zensical.toml` files a reader can write from the page: the extension, or the
    custom fence in place of the `whatmatters = {}` line, as the page says."""
    whole, fence = toml_blocks()
    assert whole.count("whatmatters = {}\n") == 1 and "Instead of `whatmatters = {}`" in section()
    return {"extension": whole, "custom fence": whole.replace("whatmatters = {}\n", fence)}


def run(args: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180, check=False
    )


def test_the_section_shows_both_forms_by_public_names() -> None:
    """Two ```toml blocks: a whole `zensical.toml`, then the custom fence by `decision.fence`'s names."""
    blocks = toml_blocks()
    assert len(blocks) == 2, blocks
    assert "decision.integrations" not in section()
    extension = tomllib.loads(configs()["extension"])["project"]
    assert extension["markdown_extensions"] == {"whatmatters": {}}
    custom = tomllib.loads(configs()["custom fence"])["project"]["markdown_extensions"]
    assert custom == {
        "pymdownx": {
            "superfences": {
                "custom_fences": [
                    {
                        "name": "whatmatters",
                        "class": "whatmatters",
                        "format": "decision.fence.format",
                        "validator": "decision.fence.validator",
                    }
                ]
            }
        }
    }


@pytest.mark.parametrize("form", ["extension", "custom fence"])
def test_a_zensical_project_as_the_page_shows(tmp_path: pathlib.Path, form: str) -> None:
    """`zensical build --clean` renders the fence as the engine does, links the widget's script and
    stylesheet, and `whatmatters publish site` then puts both where the page links them, renamed."""
    config = configs()[form]
    (tmp_path / "zensical.toml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Handbook\n\n" + FENCE, encoding="utf-8")

    built = run(["-m", "zensical", "build", "--clean"], tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    html = markdown.markdown(FENCE, extensions=["whatmatters"])
    widget = html[html.index("<div") : html.rindex("</div>") + len("</div>")]
    assert 'data-wm-widget="stage"' in widget and 'id="wm-stage"' in widget
    assert widget in page
    assert "language-whatmatters" not in page and "widget: stage" not in page

    project = tomllib.loads(config)["project"]
    (script,) = project["extra_javascript"]
    (stylesheet,) = project["extra_css"]
    assert f'<script src="./{script["path"]}" type="module">' in page
    assert f'<link rel="stylesheet" href="./{stylesheet}">' in page

    command = re.search(r"^zensical build && whatmatters (publish site) --site-url (\S+)$", section(), re.M)
    assert command, "the section shows no `zensical build && whatmatters publish site` step"
    args = [*command.group(1).split(), "--site-url", command.group(2)]
    pyodide = ROOT / "node_modules" / "pyodide"
    published = run(["-m", "decision", *args, "--pyodide", str(pyodide)], tmp_path)
    assert published.returncode == 0, published.stdout + published.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<(?:script src|link rel="stylesheet" href)="\./(assets/whatmatters/[^"]+)"', page)
    assert len(linked) == 2 and all(re.search(r"\.[0-9a-f]{12}\.(js|css)$", p) for p in linked), linked
    for path in linked:  # renamed after their content, and the page follows
        assert (tmp_path / "site" / path).is_file(), path
    assert "Sitemap: " + command.group(2) in (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
