"""The shared formats: what a page and a terminal both print for counts and shares."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision.formatting import esc, requests, share
from helpers.hostile import hostile_strings


def test_esc_is_html_escape() -> None:
    """The one escaper gives what `html.escape(text, quote=True)` gives, on every hostile string and more."""
    texts = [*hostile_strings(), "&amp;<>\"'", "'\"", "&#x27;", "a&&b", "<<script>>", "", "\u2028&\x00", 12.5, None]
    assert sum("&" in str(t) or "<" in str(t) or "'" in str(t) for t in texts) > 20
    for text in texts:
        assert esc(text) == html.escape(str(text), quote=True)


@given(st.text(alphabet=st.sampled_from("&<>\"'#;x27amp \x00\u00e9"), max_size=40) | st.text())
def test_esc_is_html_escape_on_any_text(text: str) -> None:
    assert esc(text) == html.escape(text, quote=True)


def test_the_engine_never_imports_html() -> None:
    """No runtime module imports `html` (it brings `html.entities` into the browser's stdlib zip)."""
    from decision.packing.archive import PACKAGE_DIR, RUNTIME_MODULES

    for name in RUNTIME_MODULES:
        source = (PACKAGE_DIR / name).read_text(encoding="utf-8")
        assert "import html" not in source and "from html" not in source, name


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
