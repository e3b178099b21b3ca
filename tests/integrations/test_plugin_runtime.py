"""Where the plugin, Sphinx and the CLI get Pyodide (issue 24): the error when there is none speaks each
tool's own setting, and `mkdocs serve` watches a site's own data."""

from __future__ import annotations

import pathlib
import types

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from decision.integrations import sphinx as sphinx_ext
from decision.integrations.mkdocs_plugin import WhatMattersPlugin
from decision.packing import assets
from helpers.cli import run


@pytest.fixture
def no_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation with no prebuilt runtime and no node_modules/pyodide anywhere."""
    monkeypatch.setattr(assets, "packaged", lambda: None)
    monkeypatch.setattr(assets, "find_pyodide", lambda project_dir=None: None)


def plugin(tmp_path: pathlib.Path, **options: str) -> tuple[WhatMattersPlugin, MkDocsConfig]:
    p = WhatMattersPlugin()
    errors, warnings = p.load_config(options)
    assert errors == [] and warnings == []
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "x", "site_dir": str(tmp_path / "site")})
    return p, config


def test_the_plugin_names_pyodide_dir(no_runtime: None, tmp_path: pathlib.Path) -> None:
    p, config = plugin(tmp_path)
    with pytest.raises(PluginError) as caught:
        p.on_post_build(config=config)
    message = str(caught.value)
    assert "`pyodide_dir` in mkdocs.yml" in message and "npm ci" not in message and "--pyodide" not in message


def test_sphinx_names_its_setting(no_runtime: None, tmp_path: pathlib.Path) -> None:
    app = types.SimpleNamespace(
        builder=types.SimpleNamespace(format="html"),
        outdir=str(tmp_path / "out"),
        confdir=str(tmp_path),
        config=types.SimpleNamespace(whatmatters_data_dir="", whatmatters_pyodide_dir=""),
    )
    with pytest.raises(sphinx_ext.ExtensionError, match=r"`whatmatters_pyodide_dir` in conf\.py"):
        sphinx_ext._copy_runtime(app, None)  # type: ignore[arg-type]


def test_the_cli_names_its_option(no_runtime: None, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assets", str(tmp_path / "site"))
    assert (code, out) == (2, "") and "--pyodide" in err and err.count("\n") == 1


def test_an_explicit_folder_without_pyodide_says_which_setting(tmp_path: pathlib.Path) -> None:
    p, config = plugin(tmp_path, pyodide_dir="nowhere")
    with pytest.raises(PluginError, match=r"pyodide\.mjs.*`pyodide_dir` in mkdocs\.yml"):
        p.on_post_build(config=config)


def test_mkdocs_serve_watches_the_sites_data(tmp_path: pathlib.Path) -> None:
    watched: list[str] = []
    server = types.SimpleNamespace(watch=lambda path, *a, **k: watched.append(path))
    p, config = plugin(tmp_path, data_dir="rules")
    assert p.on_serve(server, config=config, builder=None) is server  # type: ignore[arg-type]
    assert watched == [str(tmp_path / "rules")]
    p, config = plugin(tmp_path)
    watched.clear()
    p.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert watched == []
