"""The engine tests' shared fixtures: the pinned genai-prices (price tests) and a copy of the data (loader tests)."""

from __future__ import annotations

import pathlib
import shutil
from typing import Any

import pytest

from decision.loading import DATA_DIR
from helpers.prices import committed


@pytest.fixture(scope="module")
def genai_prices() -> Any:
    """The pinned genai-prices, the one current.json was made from."""
    import genai_prices

    version = committed()["genai_prices_version"]
    if genai_prices.__version__ != version:
        pytest.fail(
            f"genai-prices {genai_prices.__version__} is installed but current.json was made from "
            f"{version}: install the pinned version (pip install -e '.[test]')"
        )
    return genai_prices


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    """A private copy of decision/data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy
