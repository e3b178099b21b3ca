"""The built distribution, made once per session for the packaging tests (helpers.wheel)."""

from __future__ import annotations

import pytest

from helpers.wheel import Artifacts, Venv, build_artifacts, make_venv


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """The sdist, and the wheel built from it with no node or npm on PATH."""
    return build_artifacts(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def venv(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtualenv holding that wheel, installed by the README's line."""
    return make_venv(tmp_path_factory.mktemp("venv"), artifacts.wheel)
