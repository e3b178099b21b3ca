"""CONTRIBUTING.md's four recipes ("Four recipes"), each followed for real, from that page's own code blocks.
Recipes 1 and 2 are here, 3 in test_recipes_prices.py, 4 in test_recipes_widgets.py.

Every class makes one of the changes people make to the guide, in a private copy of
decision/data/ (or in a temporary module, for code), and sees it through: the data loads
and validates, the engine's one door answers it, the Markdown extension renders it, the
recipe's own check commands succeed, and a broken variant is refused by name. The files a
recipe shows (a block titled with its path) are read from CONTRIBUTING.md, so the page and
this test can't drift apart. Nothing here touches the package's own files; code registrations
go through monkeypatch, so they are undone after each test.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
from typing import Any

import pytest

from decision import DataError, api, load
from decision.integrations.markdown import FenceError
from decision.loading import knowledge
from decision.table_registry import TABLES
from helpers.recipes import FLOW, TABLE, append, fence, ok, page, run_checks, shown, widget_request

# --- 1. A new flow topic ---------------------------------------------------------------

SEARCH_PROBLEM = shown(FLOW, "decision/data/problems.toml")

SEARCH_FLOW = shown(FLOW, "decision/data/flows/search.toml")


class TestNewFlowTopic:
    @pytest.fixture
    def copy(self, data: pathlib.Path) -> pathlib.Path:
        append(data / "problems.toml", SEARCH_PROBLEM)
        (data / "flows" / "search.toml").write_text(SEARCH_FLOW, encoding="utf-8")
        return data

    def test_loads_and_answers(self, copy: pathlib.Path) -> None:
        k = load(copy)
        assert "search" in k.flows and k.problems[-1].id == "search"
        assert ok({"op": "flow", "topic": "search", "answers": {}}, k)["result"]["question"]["id"] == "users"
        done = ok({"op": "flow", "topic": "search", "answers": {"users": "yes", "fulltext": "no"}}, k)["result"]
        assert done["done"] and done["verdict"]["id"] == "add-now"
        assert done["verdict"]["reason"].startswith("Many users and an index")
        assert [s["question"] for s in done["path"]] == ["users", "fulltext"]
        topics = ok({"op": "topics"}, k)["result"]["topics"]
        assert {"id": "search", "title": "Do you need a search engine yet?"} in topics

    def test_the_plan_decides_it_from_the_bound_signal(self, copy: pathlib.Path) -> None:
        k = load(copy)
        few = ok({"op": "plan", "signals": {"users": 50}}, k)["result"]["verdicts"]["search"]
        assert few["verdict"] == "not-yet" and few["assumed"] == []
        many = ok({"op": "plan", "signals": {"users": 50_000}}, k)["result"]["verdicts"]["search"]
        assert many["verdict"] == "try-first" and many["assumed"] == ["fulltext"]
        assert many["name"] == "A search engine"

    def test_the_fence_renders_its_widget_and_signs(self, copy: pathlib.Path) -> None:
        out = page(fence("widget: flow", "topic: search") + "\n" + fence("table: signs", "topic: search"), copy)
        assert 'id="wm-flow-search"' in out
        assert widget_request(out, "flow") == {"v": 1, "op": "flow", "topic": "search"}
        # The static first state is the whole tree: both questions and every reason.
        for text in (
            "Do you have 10,000 or more active users?",
            "Does the database&#x27;s full-text index still answer fast enough?",
            "With few users, the database&#x27;s own search is fast enough.",
            "a search engine earns its keep now.",
        ):
            assert text in out
        assert "Add a full-text index to the database you already have." in out
        # The package's own data knows no such topic: the fence fails without the copy.
        with pytest.raises(FenceError, match="search"):
            page(fence("widget: flow", "topic: search"))

    def test_the_recipes_own_checks_answer_from_the_copy(
        self, copy: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The recipe's `whatmatters ask` and `plan` commands succeed on the copy, and answer with the new topic."""
        printed = run_checks(FLOW, copy, monkeypatch)
        asked = [out for command, out in printed.items() if command.startswith("whatmatters ask search")]
        planned = [out for command, out in printed.items() if command.startswith("whatmatters plan")]
        assert len(asked) == 1 and len(planned) == 1, list(printed)
        assert "Do you need a search engine yet?" in asked[0]
        assert load(copy).verdicts["add-now"].label.upper() in asked[0]
        assert "A search engine" in planned[0]

    def test_a_dangling_next_is_refused_naming_the_file(self, copy: pathlib.Path) -> None:
        flow = copy / "flows" / "search.toml"
        flow.write_text(SEARCH_FLOW.replace('next = "fulltext"', 'next = "fulltex"'), encoding="utf-8")
        with pytest.raises(DataError) as info:
            load(copy)
        assert (info.value.file, info.value.item) == ("flows/search.toml", "users")
        assert "unknown reference: next question 'fulltex'" in str(info.value)

    def test_a_flow_without_its_problem_is_refused(self, data: pathlib.Path) -> None:
        (data / "flows" / "search.toml").write_text(SEARCH_FLOW, encoding="utf-8")
        with pytest.raises(DataError) as info:
            load(data)
        assert (info.value.file, info.value.item) == ("flows/search.toml", "search")


# --- 2. A new table ----------------------------------------------------------------------

# What a contributor writes: a fill in decision/table_registry.py, a renderer in decision/render/tables.py,
# and one entry in TABLES. Here the same code lives in a temporary module.
# The recipe's two halves as one temporary module: the names the real modules import, then the
# renderer and the registry part exactly as CONTRIBUTING.md shows them.
VERDICTS_MODULE = "\n".join(
    (
        "from types import SimpleNamespace",
        "from typing import Any",
        "from decision.errors import RequestError",
        "from decision.formatting import esc",
        "from decision.knowledge import Knowledge",
        "from decision.render.html import data_table",
        "from decision.request import Request",
        "from decision.table_registry import TableKind",
        shown(TABLE, "decision/render/tables.py"),
        "table_html = SimpleNamespace(verdicts_table=verdicts_table)",
        shown(TABLE, "decision/table_registry.py"),
        'KIND = TABLES["verdicts"]',
    )
)


class TestNewTable:
    @pytest.fixture
    def registered(self, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Any:
        (tmp_path / "recipe_verdicts_table.py").write_text(VERDICTS_MODULE, encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        module = importlib.import_module("recipe_verdicts_table")
        monkeypatch.setitem(TABLES, "verdicts", module.KIND)
        yield module
        sys.modules.pop("recipe_verdicts_table", None)

    def test_the_op_returns_rows_a_json_caller_can_use(self, registered: Any) -> None:
        result = ok({"op": "table", "name": "verdicts"})["result"]
        assert json.loads(json.dumps(result)) == result
        assert result["name"] == "verdicts"
        verdicts = knowledge().verdicts
        assert [v["id"] for v in result["verdicts"]] == list(verdicts) and len(verdicts) >= 3
        add_now = verdicts["add-now"]
        assert ok({"op": "table", "name": "verdicts", "only": "add-now"})["result"]["verdicts"] == [
            {"id": "add-now", "label": add_now.label, "summary": add_now.summary}
        ]

    def test_the_fence_renders_it(self, registered: Any) -> None:
        out = page(fence("table: verdicts", "only: try-first"))
        assert '<div class="wm-generated" data-wm-table="verdicts"><div class="wm-table wm-verdicts">' in out
        verdicts = knowledge().verdicts
        assert f"<td><strong>{verdicts['try-first'].label}</strong></td>" in out
        assert verdicts["not-yet"].label not in out
        rendered = ok({"op": "table", "name": "verdicts", "only": "try-first", "render": True})["html"]
        assert rendered and rendered in out

    def test_bad_fences_fail(self, registered: Any) -> None:
        with pytest.raises(FenceError, match="unknown option 'colour' for table 'verdicts' \\(options: only\\)"):
            page(fence("table: verdicts", "colour: red"))
        with pytest.raises(FenceError, match="There is no verdict 'maybe'"):
            page(fence("table: verdicts", "only: maybe"))

    def test_unregistered_it_is_unknown_again(self, tmp_path: pathlib.Path) -> None:
        with pytest.MonkeyPatch.context() as m:
            m.setitem(TABLES, "verdicts", TABLES["stages"])
            assert ok({"op": "table", "name": "verdicts"})["result"]["stages"]
        assert "verdicts" not in TABLES
        with pytest.raises(FenceError, match="unknown table 'verdicts'"):
            page(fence("table: verdicts"))
        assert api.handle({"v": 1, "op": "table", "name": "verdicts"})["error"]["code"] == "unknown-table"
