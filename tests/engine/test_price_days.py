"""Prices that can't go stale unnoticed: shutdown dates from LiteLLM's model map, the price in force on
the request's day (CPython and Pyodide), cache writes, reasoning and batch rates against genai-prices."""

from __future__ import annotations

import datetime
import json
import pathlib
import re
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest

from decision import costs
from decision.api import handle
from decision.loading import DATA_DIR, knowledge, load
from decision.packing.archive import build_archive
from decision.refresh import model_map
from decision.refresh import prices as prices_refresh
from helpers.pyodide import RUNNER

ROOT = pathlib.Path(__file__).resolve().parents[2]
CURRENT = DATA_DIR / "prices" / "current.json"
TODAY = datetime.date.today()
TOMORROW = TODAY + datetime.timedelta(days=1)


def committed() -> dict[str, Any]:
    return json.loads(CURRENT.read_text(encoding="utf-8"))


def theirs(row: dict[str, Any], usage: Any, day: datetime.date, batch: bool = False) -> Decimal:
    """genai-prices' own price for `usage` on the row's model, on `day`."""
    from genai_prices.data import providers

    provider_id, _, model_ref = row["genai_prices_ref"].partition("/")
    provider = next(p for p in providers if p.id == provider_id)
    info = next(m for m in provider.models if m.id == model_ref)
    when = datetime.datetime.combine(day, datetime.time(12), datetime.UTC)
    context = {"processing": "batch"} if batch else None
    return Decimal(info.calc_price(usage, provider, genai_request_timestamp=when, price_context=context).total_price)


def cents(value: float | Decimal) -> Decimal:
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(Decimal("0.0001"))


def leave_by(day: datetime.date) -> str:
    return (day + datetime.timedelta(days=committed()["leave_within_days"])).isoformat()


class TestShutdowns:
    def test_no_current_model_is_shut_down_or_due_within_30_days_by_the_maintained_source(self) -> None:
        """Read LiteLLM's map now: none of the models the engine offers today is past, or within 30 days of,
        the shutdown date the map (or an override) gives for it."""
        _, raw = model_map.read_map()
        index = model_map.index_map(raw)
        config = prices_refresh.providers_config()
        from genai_prices.data import providers

        infos = {f"{p.id}/{m.id}": (p.id, m) for p in providers for m in p.models}
        offered = costs.price_set(knowledge(), "current", TODAY.isoformat()).models
        rows = {r["id"]: r for r in committed()["model"]}
        dated = 0
        for mid in offered:
            provider_id, info = infos[rows[mid]["genai_prices_ref"]]
            entry = model_map.entry_for(index, config["providers"][provider_id]["litellm"], info)
            shutdown, _ = model_map.shutdown_of(info, entry, prices_refresh.retired_models())
            if shutdown:
                dated += 1
                assert shutdown > leave_by(TODAY), (mid, shutdown)
        assert dated >= 5  # the map does date some current models: the check is not empty

    def test_the_models_the_issue_found_are_gone(self) -> None:
        """The models shut down by 2026-12-11 that the set used to offer are out of it."""
        ids = {r["id"] for r in committed()["model"]}
        for gone in ("gpt-3.5-turbo", "gpt-4", "o1", "o3-mini", "o4-mini", "o3", "gpt-5", "gpt-5-mini", "gpt-5-nano"):
            assert gone not in ids, gone
        assert not {"gemini-2.5-pro", "gemini-2.5-flash", "claude-sonnet-4-5"} & ids

    def test_data_dates_leave_the_set_on_the_day(self) -> None:
        """A model whose shutdown date in the data comes within 30 days of the asked day is not offered,
        and naming it says when it shuts down and what replaces it."""
        m = knowledge().price_sets["current"].models["gpt-4o"]
        assert m.shutdown and m.replacement
        before = datetime.date.fromisoformat(m.shutdown) - datetime.timedelta(days=31)
        inside = datetime.date.fromisoformat(m.shutdown) - datetime.timedelta(days=29)
        base = {"v": 1, "op": "cost", "model": "gpt-4o", "input_tokens": 10, "output_tokens": 10}
        assert handle({**base, "date": before.isoformat()})["ok"]
        refused = handle({**base, "date": inside.isoformat()})
        assert refused["error"]["code"] == "shut-down"
        assert m.shutdown in refused["error"]["message"] and "successor" in refused["error"]["message"]
        listed = handle({"v": 1, "op": "models", "date": inside.isoformat()})["result"]["models"]
        assert "gpt-4o" not in {v["id"] for v in listed}

    def test_models_due_within_90_days_are_marked_retiring(self) -> None:
        """A model due to shut down within 90 days says "Retiring <date>" in the table, with its successor."""
        m = knowledge().price_sets["current"].models["gpt-4o"]
        day = (datetime.date.fromisoformat(m.shutdown or "") - datetime.timedelta(days=60)).isoformat()
        response = handle({"v": 1, "op": "table", "name": "prices", "models": "gpt-4o", "date": day, "render": True})
        successor = knowledge().price_sets["current"].models[m.replacement or ""]
        assert f"Retiring {m.shutdown}" in response["html"] and successor.name in response["html"]

    def test_widget_defaults_are_live_for_the_next_30_days(self) -> None:
        """Every widget default that names a model of a set with shutdown dates answers today."""
        for spec in knowledge().widgets.values():
            if "model" in spec.defaults:
                response = handle({"v": 1, "op": spec.op, **spec.defaults, "date": TODAY.isoformat()})
                assert response["ok"], (spec.id, response)
                m = knowledge().price_sets[spec.defaults["set"]].models[spec.defaults["model"]]
                assert not m.shutdown or m.shutdown > leave_by(TODAY), spec.id

    def test_a_default_due_to_shut_down_fails_the_build(self, tmp_path: pathlib.Path) -> None:
        """With data saying the cost widget's default shuts down in 10 days, its fence refuses, so the build stops."""
        from decision.integrations.markdown import FenceError, render_fence

        data = tmp_path / "data"
        shutil.copytree(DATA_DIR, data)
        doc = committed()
        default = knowledge().widgets["cost"].defaults["model"]
        soon = (TODAY + datetime.timedelta(days=10)).isoformat()
        for row in doc["model"]:
            if row["id"] == default:
                row["shutdown"] = soon
        (data / "prices" / "current.json").write_text(json.dumps(doc), encoding="utf-8")
        assert render_fence({"widget": "cost"}, knowledge())
        with pytest.raises(FenceError, match=f"shuts down on {soon}"):
            render_fence({"widget": "cost"}, load(data))

    def test_no_model_named_in_the_guide_is_shut_down_or_due(self) -> None:
        """No page of content/ names a model (by id or name) that is shut down or due within 30 days,
        by the maintained source's dates: the 2024 record's own table is the one exception."""
        from genai_prices.data import providers

        _, raw = model_map.read_map()
        index = model_map.index_map(raw)
        config = prices_refresh.providers_config()
        retired = prices_refresh.retired_models()
        offered = {m.name for m in costs.price_set(knowledge(), "current", TODAY.isoformat()).models.values()}
        going: set[str] = set()
        for p in providers:
            if p.id not in config["providers"]:
                continue
            for info in p.models:
                entry = model_map.entry_for(index, config["providers"][p.id]["litellm"], info)
                shutdown, _ = model_map.shutdown_of(info, entry, retired)
                if shutdown and shutdown <= leave_by(TODAY):
                    going |= {info.id} | ({info.name} if info.name and info.name not in offered else set())
        assert {"gpt-5-mini", "GPT-5 mini"} <= going
        found = []
        for page in sorted((ROOT / "content").glob("*.md")):
            text = page.read_text(encoding="utf-8")
            text = re.sub(r'!!! note "Which table to use".*?(?=\n\S)', "", text, flags=re.S)  # the 2024 record
            for name in going:
                if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text):
                    found.append(f"{page.name}: {name}")
        assert not found


def dated_data(tmp: pathlib.Path) -> pathlib.Path:
    """A copy of the package data whose only set has a model whose price doubles tomorrow."""
    data = tmp / "data"
    shutil.copytree(DATA_DIR, data)
    for f in (data / "prices").iterdir():
        f.unlink()
    doc = {
        "id": "dated",
        "name": "Dated prices",
        "unit": "per-1m",
        "effective": TODAY.isoformat(),
        "checked": TODAY.isoformat(),
        "source": "a test",
        "note": "A change dated tomorrow.",
        "model": [
            {
                "id": "m1",
                "name": "Model One",
                "provider": "Test",
                "input": 1,
                "output": 4,
                "scheduled": [{"from": TOMORROW.isoformat(), "input": 2, "output": 8}],
            },
            {"id": "m2", "name": "Model Two", "provider": "Test", "input": 3, "output": 5},
        ],
    }
    (data / "prices" / "dated.json").write_text(json.dumps(doc), encoding="utf-8")
    widgets = (data / "widgets.toml").read_text(encoding="utf-8")
    widgets = re.sub(r'model = "[^"]+", set = "(current|seed-2024)"', 'model = "m1", set = "dated"', widgets)
    (data / "widgets.toml").write_text(widgets, encoding="utf-8")
    return data


DATED_REQUESTS = [
    {
        "v": 1,
        "op": "cost",
        "set": "dated",
        "model": "m1",
        "input_tokens": 1_000_000,
        "output_tokens": 1_000_000,
        "date": day,
    }
    for day in (TODAY.isoformat(), TOMORROW.isoformat())
]


class TestPriceOnTheDay:
    def test_old_price_today_new_price_tomorrow_on_cpython(self, tmp_path: pathlib.Path) -> None:
        """A change dated tomorrow: today's request pays the old price, tomorrow's the new one."""
        k = load(dated_data(tmp_path))
        today, tomorrow = (handle(r, k)["result"] for r in DATED_REQUESTS)
        assert today["per_request_usd"] == 5.0 and tomorrow["per_request_usd"] == 10.0
        assert any(TOMORROW.isoformat() in n for n in today["notes"])
        assert not any(TOMORROW.isoformat() in n for n in tomorrow["notes"])

    @pytest.mark.pyodide
    def test_old_price_today_new_price_tomorrow_in_pyodide(self, tmp_path: pathlib.Path) -> None:
        """The same two requests, answered by the engine archive (with that data) inside Pyodide under Node."""
        data = dated_data(tmp_path)
        archive = build_archive(tmp_path / "archive", data_dir=data)
        node = shutil.which("node")
        assert node, "node is not on PATH"
        proc = subprocess.run(
            [node, str(RUNNER), str(archive)],
            input=json.dumps(DATED_REQUESTS),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        answers = json.loads(proc.stdout)
        assert [a["result"]["per_request_usd"] for a in answers] == [5.0, 10.0]
        k = load(data)
        assert answers == [json.loads(json.dumps(handle(r, k))) for r in DATED_REQUESTS]

    def test_a_bad_day_is_refused(self) -> None:
        for bad in ("tomorrow", "2026-13-01", 20261202, "2026-12-2"):
            response = handle(
                {"v": 1, "op": "cost", "model": "gpt-5.4-mini", "input_tokens": 1, "output_tokens": 1, "date": bad}
            )
            assert response["error"]["code"] == "wrong-type", bad


class TestBillingAgainstGenaiPrices:
    def test_cache_writes_cost_what_genai_prices_charges(self) -> None:
        """At a 30% hit rate, with the rest written to the cache, every model with a cache-write price costs
        what genai-prices charges for the same reads and writes, to the hundredth of a cent."""
        from genai_prices import Usage

        doc = committed()
        day = datetime.date.fromisoformat(doc["effective"])
        rows = [r for r in doc["model"] if "cache_write" in r and "cached_input" in r]
        assert len(rows) >= 5
        for row in rows:
            usage = Usage(input_tokens=10_000, cache_read_tokens=3_000, cache_write_tokens=7_000, output_tokens=500)
            ours = handle(
                {
                    "v": 1,
                    "op": "cost",
                    "model": row["id"],
                    "input_tokens": 10_000,
                    "output_tokens": 500,
                    "cached_share": 30,
                    "date": doc["effective"],
                }
            )["result"]
            assert cents(ours["per_request_usd"]) == cents(theirs(row, usage, day)), row["id"]

    def test_the_calculator_says_when_caching_costs_more(self) -> None:
        """Below the break-even hit rate caching costs more than it saves, and the answer says so; above it, it saves."""
        base = {"v": 1, "op": "cost", "model": "claude-opus-4-5", "input_tokens": 10_000, "output_tokens": 100}
        low = handle({**base, "cached_share": 10})["result"]
        high = handle({**base, "cached_share": 50})["result"]
        assert low["caching_saves_per_request_usd"] < 0 < high["caching_saves_per_request_usd"]
        assert any("costs more than it saves" in n for n in low["notes"])
        assert not any("costs more than it saves" in n for n in high["notes"])
        html = handle({**base, "cached_share": 10, "render": True})["html"]
        assert "costs more than it saves" in html

    def test_reasoning_is_billed_as_genai_prices_bills_it(self) -> None:
        """For models the data marks as reasoning, 300 output + 2,000 reasoning tokens cost what genai-prices
        charges for 2,300 output tokens; the mark comes from LiteLLM's map, not an id pattern."""
        from genai_prices import Usage

        doc = committed()
        day = datetime.date.fromisoformat(doc["effective"])
        reasoning = [r for r in doc["model"] if r.get("reasons")]
        assert len(reasoning) >= 5
        assert {"Anthropic", "Google", "OpenAI"} <= {r["provider"] for r in reasoning}
        for row in reasoning:
            ours = handle(
                {
                    "v": 1,
                    "op": "cost",
                    "model": row["id"],
                    "input_tokens": 800,
                    "output_tokens": 300,
                    "reasoning_tokens": 2000,
                    "date": doc["effective"],
                }
            )["result"]
            expected = theirs(row, Usage(input_tokens=800, output_tokens=2300), day)
            assert cents(ours["per_request_usd"]) == cents(expected), row["id"]

    def test_which_models_reason_is_litellms_word(self) -> None:
        """A row is marked as reasoning exactly when LiteLLM's map says the model supports reasoning
        (or the overrides file, each entry with a source, says so): no id pattern decides."""
        from genai_prices.data import providers

        _, raw = model_map.read_map()
        index = model_map.index_map(raw)
        config = prices_refresh.providers_config()
        overrides = prices_refresh.reasoning_overrides()
        assert all(e["source"].startswith("https://") for e in overrides.values())
        infos = {f"{p.id}/{m.id}": (p.id, m) for p in providers for m in p.models}
        for row in committed()["model"]:
            provider_id, info = infos[row["genai_prices_ref"]]
            entry = model_map.entry_for(index, config["providers"][provider_id]["litellm"], info) or {}
            assert row.get("reasons", False) == bool(entry.get("supports_reasoning") or row["id"] in overrides), row[
                "id"
            ]

    def test_batch_rates_cost_what_genai_prices_charges(self) -> None:
        """Every model with batch rates, asked with batch on, costs what genai-prices' batch price says."""
        from genai_prices import Usage

        doc = committed()
        day = datetime.date.fromisoformat(doc["effective"])
        rows = [r for r in doc["model"] if "batch" in r]
        assert len(rows) >= 5
        for row in rows:
            ours = handle(
                {
                    "v": 1,
                    "op": "cost",
                    "model": row["id"],
                    "input_tokens": 5000,
                    "output_tokens": 700,
                    "batch": True,
                    "date": doc["effective"],
                }
            )["result"]
            assert ours["batch"]
            expected = theirs(row, Usage(input_tokens=5000, output_tokens=700), day, batch=True)
            assert cents(ours["per_request_usd"]) == cents(expected), row["id"]


class TestFreshness:
    def test_every_price_table_and_cost_widget_says_when_prices_were_checked(self) -> None:
        checked = committed()["checked"]
        table = handle({"v": 1, "op": "table", "name": "prices", "render": True})["html"]
        widget = handle(
            {"v": 1, "op": "cost", "model": "gpt-5.4-mini", "input_tokens": 1, "output_tokens": 1, "render": True}
        )["html"]
        assert f"Prices last checked {checked}" in table and f"prices last checked {checked}" in widget

    def test_the_size_report_warns_when_prices_are_old(self) -> None:
        from decision.publishing import size_report

        checked = datetime.date.fromisoformat(committed()["checked"])
        fresh, stale = size_report.price_freshness(checked + datetime.timedelta(days=30))
        assert not stale and f"Prices last checked {checked}" in fresh
        warning, stale = size_report.price_freshness(checked + datetime.timedelta(days=31))
        assert stale and warning.startswith("WARNING") and "31 days ago" in warning

    def test_the_browsers_price_data_is_under_60_kb_gzipped(self) -> None:
        from decision.publishing import size_report

        sent, files = size_report.price_data()
        assert files >= 2 and 0 < sent < size_report.PRICE_BUDGET == 60 * 1024
