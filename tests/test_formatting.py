"""The shared formats: what a page and a terminal both print for counts and shares."""

from __future__ import annotations

import pytest

from decision.formatting import requests, share


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1 request"), (0, "0 requests"), (2, "2 requests"), (10_000, "10,000 requests")]
)
def test_request_counts_agree_with_their_noun(n: int, text: str) -> None:
    assert requests(n) == text


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (0.0, "0%"),
        (1.0, "100%"),
        (0.3, "30%"),
        (0.96, "96%"),
        (0.9967, "99.7%"),  # a saving of $2,691 out of $2,700 is not all of it
        (0.0042, "0.4%"),
        (0.9996, ">99.9%"),
        (0.0004, "<0.1%"),
    ],
)
def test_shares_never_round_to_all_or_nothing(fraction: float, text: str) -> None:
    assert share(fraction) == text
