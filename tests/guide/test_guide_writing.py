"""Plain words on every page: no sentence over 40 words outside tables and code, and every
abbreviation a page uses (in its prose or in the tables it places) explained on that page."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterator
from typing import Any

import pytest

from decision import api
from helpers.site import nav_pages

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
MAX_WORDS = 40

DEFINITION = re.compile(r"^\*\[([^\]]+)\]:[ \t]*(\S.*)$", re.M)
FENCE = re.compile(r"^([ \t]*)(```|~~~).*?^\1\2[ \t]*$", re.M | re.S)
TOKEN = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z0-9]*(?![\w/])")
PERCENTILE = re.compile(r"\bp\d{2}\b")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[\"“(*_]*[A-Z0-9$])")


def is_abbreviation(token: str) -> bool:
    """Two or more capitals making up most of the letters: API, HTTPS, PoC, LLM01; not OpenAI or GitHub."""
    letters = [c for c in token if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and capitals / len(letters) > 0.5


def fences(markdown: str) -> Iterator[dict[str, str]]:
    """The options of each ```whatmatters fence on a page."""
    for match in FENCE.finditer(markdown):
        lines = match.group(0).strip().splitlines()
        if lines[0].strip() != "```whatmatters":
            continue
        yield dict(line.strip().split(": ", 1) for line in lines[1:-1] if ": " in line)


def prose(markdown: str) -> str:
    """The page's running text: no code, tables, abbreviation definitions, link targets or markup."""
    text = FENCE.sub("\n\n", markdown)
    text = DEFINITION.sub("", text)
    text = re.sub(r"^[ \t]*\|.*$", "", text, flags=re.M)  # table rows
    text = re.sub(r"`[^`]+`", "Code", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r'^[ \t]*(!!!|\?\?\?)\+? *[a-z]+ *"?([^"\n]*)"?', r"\2.\n", text, flags=re.M)
    return re.sub(r"[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}", "", text)


def blocks(text: str) -> Iterator[str]:
    """Paragraphs, list items and headings, each as one line."""
    for block in re.split(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*] |\d+\. |#))", text):
        line = " ".join(block.split())
        line = re.sub(r"^(#+|[-*]|\d+\.) ", "", line)
        if line:
            yield line


def long_sentences(text: str) -> list[str]:
    return [s for b in blocks(text) for s in SENTENCE_END.split(b) if len(s.split()) > MAX_WORDS]


def abbreviations(text: str) -> set[str]:
    """The abbreviations a text uses, plurals folded into their singular (APIs counts as API)."""
    found = {re.sub(r"(?<=[A-Z])s$", "", t) for t in TOKEN.findall(text) if is_abbreviation(t)}
    return found | set(PERCENTILE.findall(text))


def explained(markdown: str) -> set[str]:
    """Abbreviations a page explains: an abbr definition, or the abbreviation in brackets after its words."""
    terms = {m.group(1) for m in DEFINITION.finditer(markdown)}
    terms |= set(re.findall(r"\w[\w ,'-]+ \(([A-Za-z0-9]+)\)", prose(markdown)))
    return {a for term in terms for a in abbreviations(term)} | terms


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("id", "stage", "basic", "topic", "set", "source"):
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def table_text(markdown: str) -> str:
    """The words of the generated tables the page places (not the widgets, whose text is tested elsewhere)."""
    parts = []
    for options in fences(markdown):
        if "table" not in options or options["table"] in ("prices", "widgets"):
            continue  # price tables name models and their makers; the widgets table lists fence options
        request = {
            "v": 1,
            "op": "table",
            "name": options["table"],
            **{k: v for k, v in options.items() if k != "table"},
        }
        response = api.handle(request)
        assert response["ok"], response
        parts.append(". ".join(strings(response["result"])))
    return "\n\n".join(parts)


def offenders(markdown: str) -> dict[str, list[str]]:
    """What a page gets wrong: its long sentences, and the abbreviations it uses without explaining."""
    text = prose(markdown)
    tables = table_text(markdown)
    used = abbreviations(text) | abbreviations(tables)
    return {
        "long sentences": long_sentences(text) + long_sentences(tables),
        "unexplained abbreviations": sorted(used - explained(markdown)),
    }


class TestPages:
    @pytest.mark.parametrize("name", nav_pages())
    def test_plain_words(self, name: str) -> None:
        """Each page keeps sentences to 40 words outside tables and code, and explains every abbreviation it uses."""
        found = offenders((CONTENT / name).read_text(encoding="utf-8"))
        assert found == {"long sentences": [], "unexplained abbreviations": []}, (name, found)


class TestTheCheckCatches:
    PAGE = "# A page\n\nShort and clear (SAC).\n\n*[HTTP]: Hypertext Transfer Protocol\n\nHTTP is fine.\n"

    def test_a_clean_page_passes(self) -> None:
        """A page whose only abbreviations are explained, in brackets or by definition, has no offenders."""
        assert offenders(self.PAGE) == {"long sentences": [], "unexplained abbreviations": []}

    def test_a_planted_long_sentence(self) -> None:
        """A 41-word sentence is listed; the same words inside a code block or a table are not."""
        planted = " ".join(["word"] * 40) + " end."
        assert offenders(self.PAGE + "\n" + planted + "\n")["long sentences"] == [planted]
        assert offenders(self.PAGE + "\n```text\n" + planted + "\n```\n")["long sentences"] == []
        assert offenders(self.PAGE + "\n| a | b |\n|---|---|\n| " + planted + " | x |\n")["long sentences"] == []

    def test_a_planted_unexplained_abbreviation(self) -> None:
        """An abbreviation used with no definition and no expansion is listed, and so is an unexplained p95."""
        found = offenders(self.PAGE + "\nSet up the CDN, then watch p95.\n")
        assert found["unexplained abbreviations"] == ["CDN", "p95"]

    def test_an_abbreviation_in_a_placed_table(self) -> None:
        """Abbreviations in the text of a table the page places count as used on the page."""
        page = "# Basics\n\n```whatmatters\ntable: never-skip\n```\n"
        assert "HTTPS" in offenders(page)["unexplained abbreviations"]
        assert "HTTPS" not in offenders(page + "\n*[HTTPS]: HTTP, encrypted\n")["unexplained abbreviations"]

    def test_names_are_not_abbreviations(self) -> None:
        """Brand names with a capital or two inside (OpenAI, GitHub) are words, not abbreviations."""
        assert abbreviations("OpenAI and GitHub run on JavaScript") == set()
        assert abbreviations("PoC, MVP and LLM01") == {"PoC", "MVP", "LLM01"}
