"""The engine tests' shared fixture: the pinned genai-prices, for the price tests that compare with it."""

from __future__ import annotations

from typing import Any

import pytest

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
