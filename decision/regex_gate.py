"""A pattern searched the way `re` would, but only where it can match: the same answer, most of the work skipped.

A pattern is an alternation of branches (`a|b|c` at the top level). Each branch is
compiled on its own, when first needed, and searched only if the message holds the words
it cannot match without: for `\\b(ignore|forget)\\s(all\\s)?previous\\b` the message must hold
"ignore" or "forget", and "previous". Those words are read off the pattern's own parse
(the stdlib's `re._parser`), so the data stays the one place the patterns are written.

Why the answer is the same: `re` tries the branches in order at each position, from the
left, so its match is the leftmost of the branches' own leftmost matches, the earliest
branch winning a tie; a branch whose words are missing matches nowhere. Where the parse
module is missing, or the pattern is one this can't split safely (a back-reference, a
global flag), the whole pattern is searched as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover (a Python without them: every branch is searched)
    sre = sre_parse = None

MIN_LETTERS = 3  # a shorter word ("a", "of") is in most messages: checking it costs more than it saves
_UNSPLITTABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux-]+\)")

Needs = tuple[tuple[str, ...], ...]  # every group must have one of its words in the message


def top_branches(source: str) -> list[str]:
    """The pattern's top-level alternatives, in order (the whole pattern if it has none or can't be split)."""
    if _UNSPLITTABLE.search(source):
        return [source]
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1 : i + 2] == "^":
                i += 1
            if source[i + 1 : i + 2] == "]":  # a leading "]" is a member, not the end
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    return out


def needs(source: str) -> Needs:
    """Groups of words a match of `source` must contain, one of each group (none: anything may match)."""
    if sre_parse is None:
        return ()
    try:
        tree = sre_parse.parse(source)
    except re.error:
        return ()
    groups = _sequence(list(tree))
    strong = [g for g in groups if min(map(len, g)) >= MIN_LETTERS]
    # The cheapest check first: a group of few words costs few scans of the message to rule out.
    return tuple(sorted(strong, key=lambda g: (len(g), -min(map(len, g)))))


CAP = 16  # the most spellings one run may hold: a longer list costs more look-ups than it saves
_EMPTY = frozenset({""})


def _sequence(items: list[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    """The groups every match of these items in a row needs.

    Items that can match only a few fixed strings (a literal, `\\s`, `[sz]`, `(rules|orders)`,
    `s?`) are joined into runs of every way they can be spelt together; the match holds one
    of each run's spellings. Any other item brings the groups of its own insides.
    """
    groups: list[tuple[str, ...]] = []
    run: frozenset[str] = _EMPTY

    def close() -> None:
        if run != _EMPTY and "" not in run:
            groups.append(tuple(sorted(run)))

    for op, av in items:
        spellings = _finite(op, av)
        if spellings is None:
            close()
            run = _EMPTY
            groups.extend(_item(op, av))
            continue
        joined = _product(run, spellings)
        if joined is None:
            close()
            run = spellings
        else:
            run = joined
    close()
    return groups


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > CAP:
        return None
    return frozenset(a + b for a in left for b in right)


def _finite(op: Any, av: Any) -> frozenset[str] | None:
    """Every string the item can match, whitespace spelt as one space, or None if there are too many."""
    if op is sre.LITERAL:
        return frozenset({" " if chr(av).isspace() else chr(av)})
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _EMPTY  # they match no character
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.add(" " if chr(value).isspace() else chr(value))
            elif kind is sre.CATEGORY and value is sre.CATEGORY_SPACE:
                chars.add(" ")
            else:
                return None
        return frozenset(chars)
    if op is sre.SUBPATTERN:
        return _finite_sequence(list(av[-1]))
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _finite_sequence(list(branch))
            if found is None:
                return None
            out |= found
        return frozenset(out) if len(out) <= CAP else None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[1] <= 2:
        body = _finite_sequence(list(av[2]))
        if body is None:
            return None
        out, power = set(), _EMPTY
        for n in range(av[1] + 1):
            if n >= av[0]:
                out |= power
            grown = _product(power, body)
            if grown is None:
                return None
            power = grown
        return frozenset(out) if len(out) <= CAP else None
    return None


def _finite_sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    run: frozenset[str] | None = _EMPTY
    for op, av in items:
        spellings = _finite(op, av)
        if spellings is None or run is None:
            return None
        run = _product(run, spellings)
    return run


def _item(op: Any, av: Any) -> list[tuple[str, ...]]:
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _sequence(list(av[2])) if av[0] >= 1 else []
    if op is sre.BRANCH:
        words: set[str] = set()
        for branch in av[1]:
            best = _best(_sequence(list(branch)))
            if best is None:
                return []
            words.update(best)
        return [tuple(sorted(words))]
    return []  # a class, a look-around: nothing that must be spelt out


def _best(groups: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The group that says most: its shortest word longest, then the fewest words."""
    return max(groups, key=lambda g: (min(map(len, g)), -len(g)), default=None)


class GatedPattern:
    """`search` answers as `re.compile(source).search` does, skipping branches whose words are missing."""

    def __init__(self, source: str) -> None:
        self.branches = [(needs(b), b) for b in top_branches(source)]
        self._compiled: dict[int, re.Pattern[str]] = {}

    def search(self, text: str, holds: Callable[[str], bool] | None = None) -> re.Match[str] | None:
        """The leftmost match, as one regex would give it; `holds` may cache "is this word in the text"."""
        has = holds or word_checker(text)
        best: re.Match[str] | None = None
        for i, (groups, source) in enumerate(self.branches):
            if not all(any(map(has, words)) for words in groups):
                continue
            regex = self._compiled.get(i)
            if regex is None:
                regex = self._compiled[i] = re.compile(source)
            found = regex.search(text)
            if found and (best is None or found.start() < best.start()):
                best = found
                if not found.start():
                    break  # nothing starts earlier, and an earlier branch would have won the tie
        return best


_OTHER_SPACE = re.compile(r"[^\S ]")


def word_checker(text: str) -> Callable[[str], bool]:
    """`word in text`, remembered, every whitespace read as a space.

    Most words the patterns name are absent from a message, and ruling one out with `in`
    reads the whole message; so the message's runs of three characters are collected once,
    and a word with a run the message lacks is ruled out without reading it again.
    """
    text = _OTHER_SPACE.sub(" ", text)
    threes = set(zip(text, text[1:], text[2:], strict=False))  # 3-tuples: zip builds them in C, slices would not
    seen: dict[str, bool] = {}

    def holds(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            possible = all(run in threes for run in zip(word, word[1:], word[2:], strict=False))
            found = seen[word] = possible and word in text
        return found

    return holds
