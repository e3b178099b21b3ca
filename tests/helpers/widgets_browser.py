"""Shared by the live-widget tests in Chromium: CPython's answer for a widget, the longest flow walk, the cost cases."""

from __future__ import annotations

import json
from typing import Any

from decision import flows
from decision.api import handle
from decision.loading import knowledge

K = knowledge()


def engine(page: Any, element_id: str, **fields: Any) -> dict[str, Any]:
    """CPython's answer for the widget's own request (read from the page) with `fields` changed."""
    request = json.loads(page.get_attribute(f"#{element_id}", "data-wm-request"))
    response = handle({**request, **fields, "render": True})
    assert response["ok"], response
    return response


def longest_path(topic: str) -> list[tuple[str, str]]:
    """The flow's longest walk from its first question to a verdict (the first of equals)."""
    return max(flows.paths(K.flows[topic]), key=len)


def cost_cases() -> list[tuple[str, int, int, int]]:
    """Three workloads on the cheapest, a middling and the dearest model of the widget's price set."""
    set_id = K.widgets["cost"].defaults["set"]
    models = sorted(K.price_sets[set_id].models.values(), key=lambda m: (m.input + m.output, m.id))
    return [
        (models[0].id, 1_200, 300, 25_000),
        (models[len(models) // 2].id, 8_000, 1_500, 40),
        (models[-1].id, 37, 2_222, 1_000_000),
    ]
