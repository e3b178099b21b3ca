"""A price set as tables: its models with their rates, and one workload on every model."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money, requests, tokens
from .html import data_table


def models_table(result: dict[str, Any]) -> str:
    """A price set's models with their rates per million tokens."""

    def rate(value: float | None) -> str:
        return "–" if value is None else money(value)

    rows = [
        [
            f"<strong>{esc(m['name'])}</strong>",
            esc(m["provider"]),
            money(m["input_per_1m"]),
            money(m["output_per_1m"]),
            rate(m["cached_input_per_1m"]),
            "–" if m["context_window"] is None else tokens(m["context_window"]),
            esc(m["effective"]),
        ]
        for m in result["models"]
    ]
    return data_table(
        [
            "Model",
            "Provider",
            "Input per 1M tokens",
            "Output per 1M tokens",
            "Cached input per 1M tokens",
            "Context window",
            "Prices from",
        ],
        rows,
        "wm-models",
    )


def compare_table(result: dict[str, Any]) -> str:
    rows = [[esc(r["name"]), money(r["total_usd"])] for r in result["rows"]]
    return data_table(["Model", requests(result["requests"])], rows, "wm-compare")
