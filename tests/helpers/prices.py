"""The committed price snapshot and the guide's prices page, for the price tests: reading, asking, parsing tables."""

from __future__ import annotations

import html
import html.parser
import json
import pathlib
import re
from typing import Any

from decision.api import handle
from decision.loading import DATA_DIR

ROOT = pathlib.Path(__file__).resolve().parents[2]
CURRENT = DATA_DIR / "prices" / "current.json"
PAGE = ROOT / "content" / "ai-costs.md"
WORKLOAD = {"input_tokens": 500, "output_tokens": 500, "requests": 10_000}


def committed() -> dict[str, Any]:
    return json.loads(CURRENT.read_text(encoding="utf-8"))


def ask(request: dict[str, Any]) -> dict[str, Any]:
    return handle({"v": 1, **request})


class _Tables(html.parser.HTMLParser):
    """Collects every <table>'s header cells and body rows as text, plus all the page text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            (table["rows"] if table["head"] else table["head"]).extend([self._row] if table["head"] else self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(page_html: str) -> _Tables:
    parser = _Tables()
    parser.feed(page_html)
    return parser


def _table(request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine's result for a prices table and the table parsed from its HTML, caption and the
    notes under it (model name -> its higher tiers and notes, as text) included."""
    response = ask({"op": "table", "name": "prices", "render": True, **request})
    parsed = parse(response["html"])
    notes = {
        html.unescape(name): html.unescape(re.sub(r"<[^>]+>", " ", said))
        for name, said in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", response["html"].partition("wm-row-notes")[2])
    }
    return response["result"], {
        **parsed.tables[0],
        "caption": " ".join("".join(parsed.text).split()),
        "notes": notes,
    }
