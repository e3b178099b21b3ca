"""CONTRIBUTING.md's four recipes ("Four recipes"), each followed for real, from that page's own code blocks.

Every class makes one of the changes people make to the guide, in a private copy of
decision/data/ (or in a temporary module, for code), and sees it through: the data loads
and validates, the engine's one door answers it, the Markdown extension renders it, the
recipe's own check commands succeed, and a broken variant is refused by name. The files a
recipe shows (a block titled with its path) are read from CONTRIBUTING.md, so the page and
this test can't drift apart. Nothing here touches the package's own files; code registrations
go through monkeypatch, so they are undone after each test.
"""

from __future__ import annotations

import base64
import contextlib
import html
import importlib
import io
import json
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from typing import Any

import markdown
import pytest

from decision import DataError, api, load, loading
from decision.cli import commands
from decision.integrations.markdown import FenceError
from decision.knowledge import Knowledge
from decision.loading import DATA_DIR, knowledge
from decision.packing import archive
from decision.table_registry import TABLES

EXTENSION = "whatmatters"
CONTRIBUTING = pathlib.Path(__file__).resolve().parents[2] / "CONTRIBUTING.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
TITLE = re.compile(r'title="([^"]+)"')
MAKE_TARGETS = ("make build", "make test")


def recipe(heading: str) -> str:
    """The section of CONTRIBUTING.md under `### heading`, up to the next heading."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    start = text.index(f"\n### {heading}\n")
    ends = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i != -1]
    return text[start : min(ends, default=len(text))]


def shown(heading: str, path: str) -> str:
    """The code block of a recipe titled with `path`: the file, or the part of it, the recipe tells you to write."""
    found = [body for _, info, body in BLOCK.findall(recipe(heading)) if TITLE.findall(info) == [path]]
    assert len(found) == 1, f"CONTRIBUTING.md's recipe {heading!r} should show {path} once"
    return found[0]


def checks(heading: str) -> list[str]:
    """The commands a recipe's shell blocks give to check the change."""
    lines = [line for lang, _, body in BLOCK.findall(recipe(heading)) if lang == "sh" for line in body.splitlines()]
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def run_checks(heading: str, data_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Run a recipe's `whatmatters` check commands in-process on `data_dir`; what each printed, by command."""
    printed: dict[str, str] = {}
    monkeypatch.setattr(loading, "DATA_DIR", data_dir)
    knowledge.cache_clear()
    try:
        for command in checks(heading):
            if command in MAKE_TARGETS:
                continue  # the build and the suite: what this file's fence and engine tests stand in for
            words = shlex.split(command)
            assert words[0] == "whatmatters", f"a recipe check this test doesn't run: {command!r}"
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                status = commands.main(words[1:])
            assert status == 0, (command, out.getvalue())
            printed[command] = out.getvalue()
    finally:
        knowledge.cache_clear()
    return printed


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    """A private copy of decision/data/ that a recipe may change."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def append(path: pathlib.Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(text), encoding="utf-8")


def page(source: str, data_dir: pathlib.Path | None = None) -> str:
    """A Markdown page converted as the site converts it, from `data_dir` if given."""
    configs = {EXTENSION: {"data_dir": str(data_dir)}} if data_dir is not None else {}
    return markdown.markdown(textwrap.dedent(source), extensions=[EXTENSION], extension_configs=configs)


def fence(*lines: str) -> str:
    return "```whatmatters\n" + "\n".join(lines) + "\n```\n"


def ok(request: dict[str, Any], k: Knowledge | None = None) -> dict[str, Any]:
    response = api.handle({"v": 1, **request}, k)
    assert response["ok"], response
    return response


def widget_request(out: str, name: str) -> dict[str, Any]:
    """The request a rendered widget element carries (its data-wm-request), parsed."""
    match = re.search(rf'data-wm-widget="{name}"[^>]*data-wm-request="([^"]*)"', out)
    assert match, f"no {name} widget element in {out[:300]!r}"
    return json.loads(html.unescape(match.group(1)))


# --- 1. A new flow topic ---------------------------------------------------------------

FLOW = "A new question flow"
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
TABLE = "A new table"
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


# --- 3. A new price set --------------------------------------------------------------------

PRICES = "A new price set"
DEMO_PRICES = shown(PRICES, "decision/data/prices/demo-2026.toml")


def _per_token(per_million: str) -> Decimal:
    return Decimal(per_million) / Decimal(1_000_000)


class TestNewPriceSet:
    @pytest.fixture
    def copy(self, data: pathlib.Path) -> pathlib.Path:
        (data / "prices" / "demo-2026.toml").write_text(DEMO_PRICES, encoding="utf-8")
        return data

    def test_loads_and_costs_exactly(self, copy: pathlib.Path) -> None:
        k = load(copy)
        assert set(k.price_sets) >= {"demo-2026", "current", "seed-2024"}
        assert k.default_price_set == "current"
        one = 1200 * _per_token("0.15") + 300 * _per_token("0.6")  # $0.00036
        result = ok(
            {
                "op": "cost",
                "set": "demo-2026",
                "model": "tiny-1",
                "input_tokens": 1200,
                "output_tokens": 300,
                "requests": 1000,
                "requests_per_day": 250,
            },
            k,
        )["result"]
        assert result["set"] == "demo-2026" and result["model"]["name"] == "Tiny One"
        assert result["per_request_usd"] == float(one) == 0.00036
        assert result["total_usd"] == float(one * 1000) == 0.36
        assert result["per_day_usd"] == float(one * 250) == 0.09
        assert result["per_month_usd"] == float(one * 250 * 30) == 2.7
        # Half the input at the cached price: 600 fresh + 600 cached + 300 out.
        cached = ok(
            {
                "op": "cost",
                "set": "demo-2026",
                "model": "tiny-1",
                "input_tokens": 1200,
                "output_tokens": 300,
                "cached_share": 50,
            },
            k,
        )["result"]
        assert (
            cached["per_request_usd"]
            == float(600 * _per_token("0.15") + 600 * _per_token("0.075") + 300 * _per_token("0.6"))
            == 0.000315
        )
        assert [row["id"] for row in result["comparison"]["rows"]] == ["tiny-1", "large-1"]

    def test_the_prices_fence_renders_it(self, copy: pathlib.Path) -> None:
        k = load(copy)
        table = ok({"op": "table", "name": "prices", "set": "demo-2026"}, k)["result"]
        ref = k.ai.cost_reference
        assert [row["id"] for row in table["rows"]] == ["large-1", "tiny-1"]  # by provider, then name
        tiny = table["rows"][1]
        assert tiny["input_per_1m"] == 0.15 and tiny["output_per_1m"] == 0.6
        assert tiny["reference_usd"] == float(
            (ref.input_tokens * _per_token("0.15") + ref.output_tokens * _per_token("0.6")) * ref.requests
        )
        out = page(fence("table: prices", "set: demo-2026"), copy)
        assert '<div class="wm-generated" data-wm-table="prices">' in out
        assert '<strong>Tiny One</strong></td><td data-label="Provider">Acme</td>' in out
        # input, cached input (none listed for this one), output: per 1M tokens, as the set writes them
        assert (
            '<strong>Large One</strong></td><td data-label="Provider">Acme</td>'
            '<td class="wm-num" data-label="Input per 1M tokens">$3.00</td>'
            '<td class="wm-num" data-label="Cached input per 1M tokens">–</td>'
            '<td class="wm-num" data-label="Output per 1M tokens">$15.00</td>'
        ) in out
        assert (
            "Rates in USD per 1M tokens: Demo prices (2026)." in out
            and "Source: Made up for this example. Not real prices." in out
        )

    def test_the_recipes_own_checks_answer_from_the_copy(
        self, copy: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The recipe's `whatmatters cost` and `models` commands succeed on the copy and show the recipe's sum."""
        printed = run_checks(PRICES, copy, monkeypatch)
        cost = [out for command, out in printed.items() if command.startswith("whatmatters cost")]
        models = [out for command, out in printed.items() if command.startswith("whatmatters models")]
        assert len(cost) == 1 and len(models) == 1, list(printed)
        assert "Tiny One" in cost[0] and "$0.00036" in cost[0]
        assert "$0.00036" in recipe(PRICES)  # the sum the page works out by hand
        assert "tiny-1" in models[0] and "large-1" in models[0]

    def test_a_negative_price_is_refused_naming_the_file(self, copy: pathlib.Path) -> None:
        file = copy / "prices" / "demo-2026.toml"
        file.write_text(DEMO_PRICES.replace("output = 15", "output = -15"), encoding="utf-8")
        with pytest.raises(DataError) as info:
            load(copy)
        assert (info.value.file, info.value.item) == ("prices/demo-2026.toml", "large-1")
        assert "negative" in info.value.problem

    def test_the_engine_archive_carries_it_and_answers_from_it(
        self, copy: pathlib.Path, tmp_path: pathlib.Path
    ) -> None:
        package = tmp_path / "package" / "decision"
        shutil.copytree(DATA_DIR.parent, package, ignore=shutil.ignore_patterns("__pycache__", "data"))
        shutil.copytree(copy, package / "data")
        names = dict(archive.members(package))
        assert names["decision/data/prices/demo-2026.toml"] == package / "data" / "prices" / "demo-2026.toml"
        unpacked = tmp_path / "unpacked"
        with zipfile.ZipFile(io.BytesIO(archive.archive_bytes(package))) as zf:
            assert zf.read("decision/data/prices/demo-2026.toml").decode("utf-8") == DEMO_PRICES
            zf.extractall(unpacked)
        # What the browser does after unpackArchive: import the engine from the archive and ask it.
        script = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); import decision.api as a; "
            "print(a.__file__); print(json.dumps(a.handle({'v': 1, 'op': 'cost', 'set': 'demo-2026', "
            "'model': 'large-1', 'input_tokens': 1000, 'output_tokens': 100})))"
        )
        run = subprocess.run(
            [sys.executable, "-I", "-c", script, str(unpacked)], capture_output=True, text=True, timeout=60, check=True
        )
        where, answer = run.stdout.splitlines()
        assert pathlib.Path(where) == unpacked / "decision" / "api.py"
        response = json.loads(answer)
        assert response["ok"], response
        assert response["result"]["per_request_usd"] == float(1000 * _per_token("3") + 100 * _per_token("15"))


# --- 4. A new widget kind --------------------------------------------------------------------

WIDGET = "A new widget"
LATENCY_WIDGET = shown(WIDGET, "decision/data/widgets.toml")


def saved(state: dict[str, Any]) -> str:
    """A widget state as a shared link carries it (#wm=...): base64url JSON without padding."""
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


class TestRecipeChecks:
    def test_every_check_is_one_the_suite_runs(self) -> None:
        """Each recipe's shell commands are `whatmatters` commands run above, or `make build` / `make test`."""
        for heading in (FLOW, TABLE, PRICES, WIDGET):
            for command in checks(heading):
                assert command in MAKE_TARGETS or command.startswith("whatmatters "), (heading, command)

    def test_the_check_runner_fails_a_failing_command(
        self, data: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A check that exits non-zero (a topic the data doesn't have) fails the recipe test."""
        monkeypatch.setattr(sys.modules[__name__], "checks", lambda heading: ["whatmatters ask search"])
        with pytest.raises(AssertionError, match="ask search"):
            run_checks(FLOW, data, monkeypatch)
        assert "search" not in knowledge().flows


class TestNewWidgetKind:
    @pytest.fixture
    def copy(self, data: pathlib.Path) -> pathlib.Path:
        append(data / "widgets.toml", LATENCY_WIDGET)
        return data

    def test_the_fence_renders_its_first_state(self, copy: pathlib.Path) -> None:
        k = load(copy)
        out = page(fence("widget: latency") + "\n" + fence("widget: latency", "seconds: 45"), copy)
        first = {"v": 1, "op": "latency", "seconds": 12, "streamable": True}
        assert widget_request(out, "latency") == first
        assert 'id="wm-latency"' in out and 'id="wm-latency-2"' in out
        assert 'data-wm-state-keys="seconds"' in out
        expected = ok({**first, "render": True}, k)["html"]
        assert '<p class="wm-title">Streaming</p>' in expected
        assert f'<div class="wm-body">{expected}</div>' in out
        later = ok({**first, "seconds": 45, "render": True}, k)["html"]
        assert later != expected and f'<div class="wm-body">{later}</div>' in out

    def test_restore_reads_only_its_allowlisted_state(self, copy: pathlib.Path) -> None:
        k = load(copy)
        base = {"v": 1, "op": "latency", "seconds": 12, "streamable": True}
        restored = ok({"op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": 45})}, k)
        request = restored["result"]["request"]
        assert request == {**base, "seconds": 45}
        assert ok(request, k)["result"]["strategy"]["id"] == "async"
        for state in ({"streamable": False}, {"seconds": 5, "op": "screen"}):
            refused = api.handle(
                {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved(state)}, k
            )
            assert refused["error"]["code"] == "bad-state", state
        out_of_range = api.handle(
            {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": -1})}, k
        )
        assert out_of_range["error"]["code"] == "bad-state"
        # Without the widgets.toml entry there is no such widget.
        assert (
            api.handle(
                {"v": 1, "op": "restore", "widget": "latency", "request": base, "state": saved({"seconds": 45})}
            )["error"]["code"]
            == "unknown-widget"
        )

    def test_an_unknown_option_fails_the_fence(self, copy: pathlib.Path) -> None:
        with pytest.raises(FenceError, match="unknown option 'model' for widget 'latency'"):
            page(fence("widget: latency", "model: gpt-4o"), copy)
        with pytest.raises(FenceError, match="option 'seconds' of widget 'latency': 'soon' should be a number"):
            page(fence("widget: latency", "seconds: soon"), copy)


# A widget whose op doesn't exist yet: a new answer in the engine, a renderer with a form
# (fields named by data-wm-key, the result in data-wm-swap), one OPERATIONS entry.
BUDGET_WIDGET = """
[widget.budget]
op = "budget"
options = ["model", "set", "monthly_usd", "input_tokens", "output_tokens"]
state = ["model", "monthly_usd"]
defaults = { model = "gpt-3.5-turbo", set = "seed-2024", monthly_usd = 10, input_tokens = 500, output_tokens = 500 }
"""


def _answer_budget(k: Knowledge, r: api.Request) -> dict[str, Any]:
    from decision import costs

    prices = costs.price_set(k, r.text("set", "the price set", None))
    model = costs.model(prices, r.text("model", "the model"))
    monthly = r.number("monthly_usd", "the monthly budget", 0, 1_000_000)
    one = costs.request_cost(
        prices,
        model,
        r.count("input_tokens", "the input tokens", 0, 1_000_000),
        r.count("output_tokens", "the output tokens", 0, 1_000_000),
    )
    requests = int(Decimal(repr(monthly)) / one) if one else None
    return {"set": prices.id, "model": model.id, "name": model.name, "monthly_usd": monthly, "requests": requests}


def _budget_html(result: dict[str, Any]) -> str:
    from decision.formatting import esc

    return (
        f'<form class="wm-form" data-wm-form="budget"><label>Monthly budget <input type="number" '
        f'data-wm-key="monthly_usd" data-wm-type="number" min="0" value="{esc(result["monthly_usd"])}">'
        f'</label></form><p class="wm-result" data-wm-swap="result" role="status">'
        f"{esc(result['requests'])} requests a month on {esc(result['name'])}</p>"
    )


class TestNewWidgetWithItsOwnOp:
    def test_registered_op_renders_answers_and_restores(
        self, data: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        append(data / "widgets.toml", BUDGET_WIDGET)
        k = load(data)
        monkeypatch.setitem(api.OPERATIONS, "budget", api.Operation(_answer_budget, _budget_html))
        # $10 at $0.0005 + $0.0015 per 1K tokens, 500 in and 500 out: $0.001 a request, 10,000 requests.
        first = {
            "v": 1,
            "op": "budget",
            "model": "gpt-3.5-turbo",
            "set": "seed-2024",
            "monthly_usd": 10,
            "input_tokens": 500,
            "output_tokens": 500,
        }
        assert ok(first, k)["result"]["requests"] == 10_000
        out = page(fence("widget: budget"), data)
        assert widget_request(out, "budget") == first
        assert "10000 requests a month on GPT-3.5 Turbo" in out
        assert f'<div class="wm-body">{ok({**first, "render": True}, k)["html"]}</div>' in out
        restored = ok({"op": "restore", "widget": "budget", "request": first, "state": saved({"monthly_usd": 25})}, k)
        assert ok(restored["result"]["request"], k)["result"]["requests"] == 25_000
        bad = api.handle(
            {"v": 1, "op": "restore", "widget": "budget", "request": first, "state": saved({"input_tokens": 9})}, k
        )
        assert bad["error"]["code"] == "bad-state"
        monkeypatch.undo()
        with pytest.raises(FenceError, match="Unknown operation"):
            page(fence("widget: budget"), data)
