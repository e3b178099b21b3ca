"""The guide's site as the tests build and read it: mkdocs.yml, its nav, a strict MkDocs build."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import subprocess
import sys
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Builds with the extension option `data_dir` set; MkDocs has no command-line switch for
# an extension's options, so the config is loaded as the CLI would and then given one. With
# "engine" as the fourth argument, the hook that places the runtime packs that data into the
# engine too (another release: another engine, manifest and build id).
_BUILD_WITH_DATA = """
import sys
import decision.publishing.post_build as post_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
config_file, site_dir, data, *engine = sys.argv[1:]
if engine:
    place = post_build.place_runtime
    post_build.place_runtime = lambda site, pyodide=None, data_dir=None, **kw: place(site, pyodide, data, **kw)
config = load_config(config_file, site_dir=site_dir, strict=True)
assert "whatmatters" in config.markdown_extensions, "mkdocs.yml does not load the whatmatters extension"
config.mdx_configs["whatmatters"] = {"data_dir": data}
build(config)
"""


def site_config() -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (its YAML tags included, `!relative` against mkdocs.yml's folder)."""
    with CONFIG.open(encoding="utf-8") as f:
        return yaml_load(f, get_yaml_loader(config=MkDocsConfig(config_file_path=str(CONFIG))))


def nav_pages(nav: Any = None) -> list[str]:
    """Every Markdown page the nav (nested sections included) points to, in nav order."""
    nav = site_config()["nav"] if nav is None else nav
    pages = []
    for item in nav if isinstance(nav, list) else [nav]:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            pages += nav_pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            pages.append(value)
    return pages


def page_path(page: str) -> str:
    """A page's URL path with directory URLs: a.md -> a/, dir/index.md -> dir/, index.md -> ''."""
    path = pathlib.PurePosixPath(page)
    folder = path.parent if path.stem in ("index", "README") else path.parent / path.stem
    return "" if str(folder) == "." else f"{folder.as_posix()}/"


@dataclasses.dataclass(frozen=True)
class Build:
    """A site MkDocs wrote, with everything it printed while writing it."""

    site: pathlib.Path
    output: str


def mkdocs_build(
    site: pathlib.Path, config: pathlib.Path = CONFIG, data_dir: pathlib.Path | None = None, engine: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a strict MkDocs build from the project root, stdout and stderr together.

    `data_dir` is the pages' data; with `engine`, the live widgets' engine carries it too."""
    if data_dir is None:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    else:
        command = [sys.executable, "-c", _BUILD_WITH_DATA, str(config), str(site), str(data_dir)]
        command += ["engine"] if engine else []
    return subprocess.run(
        command,
        cwd=ROOT,
        env=BUILD_ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


def copy_site(site: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """A copy of a built site without the Pyodide runtime (no page links to it)."""
    shutil.copytree(site, dest, ignore=lambda folder, names: ["pyodide"] if folder.endswith("assets") else [])
    return dest
