"""CONTRIBUTING.md's recipe 3, a new price set, followed for real in a temporary copy of decision/data/."""

from __future__ import annotations

import io
import json
import pathlib
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal

import pytest

from decision import DataError, load
from decision.loading import DATA_DIR
from decision.packing import archive
from helpers.recipes import PRICES, fence, ok, page, recipe, run_checks, shown

# --- 3. A new price set --------------------------------------------------------------------

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
