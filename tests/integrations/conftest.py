"""The integration tests' shared fixture: a private copy of decision/data/ for a recipe to change."""

from __future__ import annotations

import pathlib
import shutil

import pytest

from decision.loading import DATA_DIR


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    """A private copy of decision/data/ that a recipe may change."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy
