"""The screener's gated patterns (decision/regex_gate.py) find exactly what the whole regex finds, faster."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision.loading import knowledge
from decision.regex_gate import GatedPattern, needs, top_branches, word_checker
from decision.screener import screen_form

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import screener_sets  # noqa: E402

from helpers.hostile import hostile_strings  # noqa: E402


def span(found: re.Match[str] | None) -> tuple[int, int] | None:
    return found.span() if found else None


def differences(patterns: list[tuple[str, GatedPattern]], forms: list[str]) -> list[tuple[str, int]]:
    """(pattern, message index) wherever the gated search and the whole regex disagree."""
    out = []
    for i, form in enumerate(forms):
        holds = word_checker(form)
        for source, gated in patterns:
            if span(gated.search(form, holds)) != span(re.compile(source).search(form)):
                out.append((source[:30], i))
    return out


@pytest.fixture(scope="module")
def patterns() -> list[tuple[str, GatedPattern]]:
    return [(p.source, p.gated) for p in knowledge().ai.patterns]


@pytest.fixture(scope="module")
def forms() -> list[str]:
    texts = [s.text[:20_000] for s in screener_sets.samples()] + hostile_strings()
    return [screen_form(t)[0] for t in dict.fromkeys(texts)]


class TestSameAnswer:
    def test_every_message_of_every_set_matches_where_the_whole_regex_does(self, patterns, forms) -> None:
        """Every set in bench/screener-data, our corpus and the hostile strings: the same span for each pattern."""
        assert len(forms) > 3000
        assert differences(patterns, forms) == []

    def test_a_wrong_gate_is_caught(self, patterns, forms) -> None:
        """A gate that demands a word the pattern does not need skips real matches, and the check sees it."""
        source = next(s for s, _ in patterns if s.startswith(r"\b(ignore|disregard"))
        planted = GatedPattern(source)
        planted.branches = [((("zebra",), *groups), b) for groups, b in planted.branches]
        assert differences([(source, planted)], forms)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def test_texts_built_from_the_patterns_own_words(self, patterns, data) -> None:
        """Messages made of the words the gates look for, in any order, with odd separators between them."""
        vocabulary = sorted({w for _, g in patterns for groups, _ in g.branches for grp in groups for w in grp})
        words = data.draw(st.lists(st.sampled_from([*vocabulary, "you", "the", "a", "to", "my"]), max_size=12))
        gaps = data.draw(st.lists(st.sampled_from([" ", "\n", ": ", ", ", "", " all "]), min_size=len(words)))
        form = "".join(w + g for w, g in zip(words, gaps, strict=False))
        assert differences(patterns, [form]) == []


class TestSplitting:
    @pytest.mark.parametrize(
        ("source", "branches"),
        [
            (r"a|b", ["a", "b"]),
            (r"(a|b)c", ["(a|b)c"]),
            (r"[|]x|y", ["[|]x", "y"]),
            (r"[]|]x|y", ["[]|]x", "y"]),
            (r"[^]|]x|y", ["[^]|]x", "y"]),
            (r"\|x|y", [r"\|x", "y"]),
            (r"(a)|\1", [r"(a)|\1"]),  # a back-reference: not split
            (r"(?i)a|b", [r"(?i)a|b"]),  # a global flag: not split
        ],
    )
    def test_top_level_alternatives(self, source: str, branches: list[str]) -> None:
        assert top_branches(source) == branches

    def test_the_words_a_match_cannot_do_without(self) -> None:
        """Fixed spellings in a row are joined, every whitespace read as one space."""
        joined = ("forget all previous", "forget previous", "ignore all previous", "ignore previous")
        assert needs(r"\b(ignore|forget)\s(all\s)?previous\b") == (joined,)
        assert needs(r"\bsummari[sz]e\s(it|this)") == (
            ("summarise it", "summarise this", "summarize it", "summarize this"),
        )
        assert needs(r"(^|\n)###\s?system:") == ((" ### system:", " ###system:", "### system:", "###system:"),)
        many = needs(r"\b(a|b|c|d|e|f|g|h|i)(j|k|l)\sanswer\s(\w+\s)*ignore")  # 27 spellings: too many to join
        assert ("ignore",) in many and all(len(g) <= 16 for g in many)

    @pytest.mark.parametrize(
        "source",
        [r"(ignore)?\sprevious{0}", r"(?!ignore)\w+", r"[a-z]{80,}", r"(ignore|a)\s", r"x(ab|cd)y"],
    )
    def test_nothing_is_demanded_that_a_match_may_lack(self, source: str) -> None:
        """An optional word, a look-ahead, a class or a branch with no long word demands nothing."""
        assert all("ignore" not in group and "ab" not in group for group in needs(source))
