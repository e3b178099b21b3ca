"""Issue 24, item 4: a misspelled widget fails `mkdocs build` and `sphinx-build -W` with one line
naming the page and the line counted from the top of the file (front matter included), never a
traceback; under Zensical the build prints that line and the page shows an error box."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import markdown
import pytest

from decision import fence
from decision.integrations.markdown import FenceError

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
}
# The misspelled fence opens on line 8 of the file; Markdown tools see it on line 3.
PAGE = "---\ntitle: Handbook\ndescription: A page with front matter\n---\n\n# Handbook\n\n```whatmatters\nwidget: stagg\n```\n"
SAID = "whatmatters fence at index.md, line 8: unknown widget 'stagg' (widgets: flow, stage,"
CUSTOM_FENCE_YML = (
    "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: whatmatters\n"
    "          class: whatmatters\n          format: !!python/name:decision.fence.format\n"
    "          validator: !!python/name:decision.fence.validator\n"
)
CUSTOM_FENCE_TOML = (
    "[project.markdown_extensions.pymdownx.superfences]\ncustom_fences = [\n"
    '  { name = "whatmatters", class = "whatmatters", format = "decision.fence.format", '
    'validator = "decision.fence.validator" },\n]\n'
)

pytestmark = pytest.mark.site


def run(args: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=180, check=False
    )


def project(root: pathlib.Path, config: str, name: str, page: str = PAGE) -> pathlib.Path:
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / name).write_text(config, encoding="utf-8")
    return root


def one_line(output: str, said: str) -> None:
    """The error is one line holding `said`, and nothing like a traceback comes with it."""
    assert "Traceback" not in output and 'File "' not in output, output
    assert [line for line in output.splitlines() if said in line], output


@pytest.mark.parametrize("form", ["plugin", "extension", "custom fence"])
def test_mkdocs_fails_with_one_line(tmp_path: pathlib.Path, form: str) -> None:
    config = (
        "site_name: Handbook\n"
        + {
            "plugin": "plugins:\n  - whatmatters\n",
            "extension": "markdown_extensions:\n  - whatmatters\n",
            "custom fence": CUSTOM_FENCE_YML,
        }[form]
    )
    done = run(["-m", "mkdocs", "build", "-d", str(tmp_path / "site")], project(tmp_path, config, "mkdocs.yml"))
    assert done.returncode != 0
    one_line(done.stdout + done.stderr, SAID)


def test_mkdocs_names_a_missing_data_folder(tmp_path: pathlib.Path) -> None:
    """A `data_dir` that isn't there is named with its path; no file in it or page is blamed."""
    config = "site_name: Handbook\nplugins:\n  - whatmatters:\n      data_dir: rulez\n"
    page = "# Handbook\n\n```whatmatters\nwidget: stage\n```\n"
    done = run(["-m", "mkdocs", "build", "-d", str(tmp_path / "site")], project(tmp_path, config, "mkdocs.yml", page))
    output = done.stdout + done.stderr
    assert done.returncode != 0
    one_line(output, f"the data folder {(tmp_path / 'rulez').resolve()} doesn't exist")
    assert "verdicts.toml: " not in output and "index.md" not in output, output


def test_sphinx_w_fails_with_one_line_each(tmp_path: pathlib.Path) -> None:
    """reST and MyST: the document and the line, the option line by its own line (MyST front matter counted)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'project = "Handbook"\nextensions = ["decision.sphinx", "myst_parser"]\n'
        f"whatmatters_pyodide_dir = {str(ROOT / 'node_modules' / 'pyodide')!r}\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Handbook\n========\n\n.. toctree::\n\n   page\n\n.. whatmatters::\n\n   widget: stagg\n\n"
        ".. whatmatters::\n\n   widget: stage\n   oops\n",
        encoding="utf-8",
    )
    (src / "page.md").write_text(
        "---\ntitle: Page\n---\n# Page\n\n```{whatmatters}\nwidget: stagg\n```\n", encoding="utf-8"
    )
    done = run(["-m", "sphinx", "-W", "-b", "html", "-q", str(src), str(tmp_path / "out")], tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    one_line(output, f"{src / 'index.rst'}:8: ERROR: whatmatters: unknown widget 'stagg'")
    one_line(output, f"{src / 'index.rst'}:15: ERROR: whatmatters: 'oops' should look like 'key: value'")
    one_line(output, f"{src / 'page.md'}:6: ERROR: whatmatters: unknown widget 'stagg'")


@pytest.mark.parametrize("form", ["extension", "custom fence"])
def test_zensical_prints_the_line_and_shows_a_box(tmp_path: pathlib.Path, form: str) -> None:
    """Zensical prints a traceback for whatever an extension raises, so it gets the line and the page a box."""
    config = '[project]\nsite_name = "Handbook"\n\n' + (
        "[project.markdown_extensions]\nwhatmatters = {}\n" if form == "extension" else CUSTOM_FENCE_TOML
    )
    done = run(["-m", "zensical", "build", "--clean"], project(tmp_path, config, "zensical.toml"))
    assert done.returncode == 0, done.stdout + done.stderr
    one_line(done.stdout + done.stderr, SAID)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    box = '<div class="wm-fence-error" role="alert"><p>' + SAID.replace("'", "&#x27;")
    assert box in page
    assert "language-whatmatters" not in page and "widget: stagg" not in page


def test_zensical_names_a_missing_data_folder(tmp_path: pathlib.Path) -> None:
    config = (
        '[project]\nsite_name = "Handbook"\n\n[project.markdown_extensions]\nwhatmatters = { data_dir = "rulez" }\n'
    )
    page = "# Handbook\n\n```whatmatters\nwidget: stage\n```\n"
    done = run(["-m", "zensical", "build", "--clean"], project(tmp_path, config, "zensical.toml", page))
    said = f"the data folder {(tmp_path / 'rulez').resolve()} doesn't exist"
    one_line(done.stdout + done.stderr, said)
    assert said.replace("'", "&#x27;") in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


FENCE_CONFIG = {
    "pymdownx.superfences": {
        "custom_fences": [
            {"name": "whatmatters", "class": "whatmatters", "format": fence.format, "validator": fence.validator}
        ]
    }
}


class TestPlainMarkdown:
    """Outside any site tool the custom fence raises the FenceError itself, never a code block."""

    def test_the_custom_fence_raises_rather_than_becoming_code(self) -> None:
        with pytest.raises(FenceError, match=r"fence at line 3: unknown widget 'stagg'"):
            markdown.markdown(
                "# T\n\n```whatmatters\nwidget: stagg\n```\n",
                extensions=list(FENCE_CONFIG),
                extension_configs=FENCE_CONFIG,
            )

    def test_inline_options_are_refused_not_turned_into_code(self) -> None:
        with pytest.raises(FenceError, match="options go on their own lines"):
            markdown.markdown(
                '```whatmatters widget="stage"\n```\n', extensions=list(FENCE_CONFIG), extension_configs=FENCE_CONFIG
            )

    def test_an_option_at_fault_is_named_by_its_own_line(self) -> None:
        with pytest.raises(
            FenceError, match=r"fence at line 5: unknown option 'colour' for widget 'stage' \(options: "
        ):
            markdown.markdown("# T\n\n```whatmatters\nwidget: stage\ncolour: red\n```\n", extensions=["whatmatters"])
        with pytest.raises(FenceError, match=r"fence at line 4: option 'users' of widget 'stage': 'lots' should be a"):
            markdown.markdown("# T\n\n```whatmatters\nusers: lots\nwidget: stage\n```\n", extensions=["whatmatters"])
