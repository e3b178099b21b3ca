"""`whatmatters`: every subcommand in-process through `cli.main`.

Help, `ask`, bad input and real processes have their own files: test_cli_help.py, test_cli_ask.py,
test_cli_bad_input.py and test_cli_processes.py; the shared `run` and names are in helpers/cli.py.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from helpers.cli import ATTACK, MODEL, PLAN_TOPICS, SEED, K, feed, run, run_json

HARMLESS = "How long should I knead bread dough?"


class TestCommands:
    @pytest.mark.parametrize(
        ("users", "depends", "stage"),
        [
            ("0", False, "poc"),
            ("50", False, "mvp"),
            ("5000", False, "beta"),
            ("1", True, "poc"),
            ("3", True, "mvp"),
            ("500", True, "production"),
        ],
    )
    def test_stage(self, users: str, depends: bool, stage: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`stage` finds the stage and prints its checklist."""
        argv = ["stage", "--users", users] + (["--depends"] if depends else [])
        assert run_json(capsys, *argv)["stage"]["id"] == stage
        code, out, _ = run(capsys, *argv)
        s = next(s for s in K.stages if s.id == stage)
        assert code == 0 and s.name in out and all(item in out for item in s.checklist)

    def test_plan_all_flags(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`plan` takes every signal flag and its JSON gives a verdict and reason for every topic."""
        result = run_json(
            capsys,
            "plan",
            "--users",
            "5000",
            "--p95-seconds",
            "3.5",
            "--db-cpu",
            "90",
            "--queries-optimized",
            "--repeated-reads",
            "--paid-api",
            "--abuse-seen",
            "--task-seconds",
            "12",
            "--must-not-lose-tasks",
            "--engineers",
            "40",
            "--servers",
            "12",
            "--services",
            "12",
            "--logins",
            "--bigger-server-possible",
        )
        for topic in PLAN_TOPICS:
            v = result["verdicts"][topic]
            assert v["verdict"] in K.verdicts and isinstance(v["reason"], str) and v["reason"]
        assert result["verdicts"]["rate-limiting"]["verdict"] == "add-now"
        assert result["verdicts"]["kubernetes"]["verdict"] == "try-first"
        assert result["verdicts"]["caching"]["verdict"] == "try-first"  # a bigger database first
        assert result["signals"]["services"] == 12 and result["signals"]["logins"] is True
        assert result["signals"]["db_cpu"] == 90 and result["signals"]["bigger_server_possible"] is True

    def test_plan_negative_flags(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--no-FLAG gives a false signal, which settles its question."""
        result = run_json(capsys, "plan", "--no-paid-api", "--no-logins", "--no-abuse-seen", "--users", "10")
        assert result["verdicts"]["rate-limiting"]["verdict"] == "not-yet"
        assert result["verdicts"]["rate-limiting"]["assumed"] == []

    def test_plan_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`plan` in text lists the basics and every topic by name, and notes the assumptions."""
        code, out, _ = run(capsys, "plan")
        assert code == 0
        assert all(b.name in out for b in K.basics) and all(p.name in out for p in K.problems)
        assert all(g.name in out for g in K.safeguards)
        assert "didn't give only ever leads to the simpler verdict" in out

    @pytest.mark.parametrize(
        "argv",
        [
            ["--users", "50", "--servers", "12", "--must-not-lose-tasks", "--task-seconds", "10"],
            ["--users", "100", "--must-not-lose-tasks"],
        ],
    )
    def test_unknowns_never_add_kubernetes_or_a_queue(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The two plans from issue 19: no Kubernetes or queue "Add it now", and the assumptions said."""
        result = run_json(capsys, "plan", *argv)
        for topic in ("kubernetes", "message-queues"):
            assert result["verdicts"][topic]["verdict"] != "add-now"
        mq = result["verdicts"]["message-queues"]
        assert mq["verdict"] == "try-first" and mq["assumptions"]
        table = next(a for a in mq["assumptions"] if a["question"] == "table")
        assert table["otherwise"] == [{"answer": "No", "verdict": "add-now", "label": "Add it now"}]
        code, out, _ = run(capsys, "plan", *argv)
        assert code == 0
        assert "Assumed \u201cYes\u201d to \u201cWould a jobs table" in out
        assert "Add it now if the answer is \u201cNo\u201d" in out

    def test_one_app_on_twelve_servers_keeps_off_kubernetes(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = run_json(capsys, "plan", "--services", "1", "--servers", "12", "--no-bigger-server-possible")
        assert result["verdicts"]["kubernetes"]["verdict"] == "not-yet"

    def test_logins_mean_rate_limiting_now(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = run_json(capsys, "plan", "--users", "12", "--logins", "--no-paid-api", "--no-abuse-seen")
        assert result["verdicts"]["rate-limiting"]["verdict"] == "add-now"
        assert result["safeguards"]["login-protection"]["verdict"] == "do-now"

    def test_stage_pays(self, capsys: pytest.CaptureFixture[str]) -> None:
        """40 paying users who depend on it: MVP with its safeguards and the reason, not production."""
        result = run_json(capsys, "stage", "--users", "40", "--depends", "--pays")
        assert result["stage"]["id"] == "mvp" and result["pays"] is True
        assert {g["when"] for g in result["safeguards"]} == {"depends", "pays"}
        code, out, _ = run(capsys, "stage", "--users", "40", "--depends", "--pays")
        assert code == 0 and "With 40 users" in out
        assert all(item in out for g in result["safeguards"] for item in g["items"])

    def test_cost_without_tokens_assumes_the_typical_request(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`cost --model gpt-4o` alone says it assumed the guide's typical request and prints its figures."""
        typical = K.ai.cost_reference
        assert (typical.input_tokens, typical.output_tokens) == (500, 500)
        code, out, err = run(capsys, "cost", "--model", "gpt-4o")
        assert code == 0 and not err
        said, *figures = out.splitlines()
        assert said.startswith("Assuming the guide's typical request: 500 input and 500 output tokens")
        code, explicit, _ = run(capsys, "cost", "--model", "gpt-4o", "--input-tokens", "500", "--output-tokens", "500")
        assert code == 0 and figures == explicit.splitlines()
        assert "per request:" in explicit
        code, out, err = run(capsys, "cost", "--model", "gpt-4o", "--json")
        assert code == 0 and "Assuming" in err
        assert (
            json.loads(out)["total_usd"]
            == run_json(capsys, "cost", "--model", "gpt-4o", "--input-tokens", "500", "--output-tokens", "500")[
                "total_usd"
            ]
        )

    def test_cached_share_is_a_percentage(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--cached-share takes 0-100 and the engine's own sentence refuses anything else."""
        base = ["cost", "--model", "gpt-4o", "--input-tokens", "1000", "--output-tokens", "0"]
        full, half = run_json(capsys, *base), run_json(capsys, *base, "--cached-share", "50")
        assert half["cached_share"] == 0.5 and half["total_usd"] < full["total_usd"]
        code, out, err = run(capsys, *base, "--cached-share", "150")
        assert code == 2 and not out
        assert "should be between 0 and 100" in err

    def test_cost(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`cost --json` has total_usd; the seed workload on GPT-4 is $200, and text mentions the total."""
        argv = [
            "cost",
            "--model",
            MODEL,
            "--prices",
            SEED,
            "--input-tokens",
            "500",
            "--output-tokens",
            "500",
            "--requests",
            "10000",
        ]
        result = run_json(capsys, *argv, "--per-day", "1000")
        assert result["total_usd"] == 200 and result["per_day_usd"] == 20
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "10,000 requests:    $200.00" in out

    def test_one_request_is_singular(self, capsys: pytest.CaptureFixture[str]) -> None:
        """One request reads "1 request", in the cost total and in the comparison's heading."""
        tokens = ["--input-tokens", "500", "--output-tokens", "500", "--requests", "1"]
        code, out, _ = run(capsys, "cost", "--model", MODEL, "--prices", SEED, *tokens)
        assert code == 0 and "  1 request:          $0.02" in out and "requests" not in out
        code, out, _ = run(capsys, "compare", "--prices", SEED, *tokens)
        assert code == 0 and out.startswith("1 request of 500 in + 500 out tokens:")

    def test_conversation(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`conversation --json` has input_tokens, output_tokens and total_usd."""
        result = run_json(
            capsys,
            "conversation",
            "--model",
            MODEL,
            "--prices",
            SEED,
            "--turns",
            "4",
            "--system",
            "100",
            "--user",
            "10",
            "--reply",
            "20",
        )
        assert result["input_tokens"] == 4 * 100 + 4 * 10 + (10 + 20) * 4 * 3 // 2
        assert result["output_tokens"] == 80
        assert result["total_usd"] == result["series"][-1]["cumulative_usd"] > 0

    def test_compare(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`compare` lists the models cheapest first; --model narrows it."""
        result = run_json(
            capsys,
            "compare",
            "--prices",
            SEED,
            "--input-tokens",
            "500",
            "--output-tokens",
            "500",
            "--requests",
            "10000",
        )
        assert {r["id"] for r in result["rows"]} == set(K.price_sets[SEED].models)
        narrowed = run_json(
            capsys,
            "compare",
            "--prices",
            SEED,
            "--model",
            "gpt-4",
            "--model",
            "claude-3-haiku",
            "--input-tokens",
            "1",
            "--output-tokens",
            "1",
        )
        assert [r["id"] for r in narrowed["rows"]] == ["claude-3-haiku", "gpt-4"]
        code, out, _ = run(capsys, "compare", "--prices", SEED, "--input-tokens", "5", "--output-tokens", "5")
        assert code == 0 and all(m.name in out for m in K.price_sets[SEED].models.values())

    def test_screen_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`screen TEXT` flags the attack and passes the harmless question."""
        assert run_json(capsys, "screen", ATTACK)["suspicious"] is True
        assert run_json(capsys, "screen", HARMLESS)["suspicious"] is False
        code, out, _ = run(capsys, "screen", ATTACK)
        assert code == 0 and "Suspicious" in out

    @pytest.mark.parametrize("argv", [["screen"], ["screen", "-"]])
    def test_screen_stdin(
        self, argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`screen` with no TEXT (or '-') reads the message from stdin."""
        feed(monkeypatch, ATTACK + "\n")
        result = run_json(capsys, *argv)
        assert result["suspicious"] is True and result["text"].strip() == ATTACK

    @pytest.mark.parametrize(
        ("argv", "strategy"),
        [
            (["--seconds", "0.5"], "instant"),
            (["--seconds", "10"], "streaming"),
            (["--seconds", "10", "--not-streamable"], "feedback"),
            (["--seconds", "60"], "async"),
        ],
    )
    def test_latency(self, argv: list[str], strategy: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`latency` picks the strategy for the wait."""
        assert run_json(capsys, "latency", *argv)["strategy"]["id"] == strategy

    def test_context(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`context` picks a strategy and, for keeping the last messages, says how many."""
        result = run_json(capsys, "context", "--turns", "50", "--tokens-per-turn", "100", "--window", "4000")
        assert result["strategy"]["id"] == "last-n"
        code, out, _ = run(capsys, "context", "--turns", "50", "--tokens-per-turn", "100", "--window", "4000")
        assert code == 0 and f"Keep the last {result['keep_last']:,} turns" in out
        early = run_json(
            capsys, "context", "--turns", "50", "--tokens-per-turn", "100", "--window", "4000", "--needs-early-context"
        )
        assert early["strategy"]["id"] == "summary"

    def test_models(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`models` lists every model of a price set."""
        result = run_json(capsys, "models", "--prices", SEED)
        assert [m["id"] for m in result["models"]] == list(K.price_sets[SEED].models)
        code, out, _ = run(capsys, "models", "--prices", SEED)
        assert code == 0 and all(m in out for m in K.price_sets[SEED].models)

    def test_topics(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`topics` lists every flow."""
        assert [t["id"] for t in run_json(capsys, "topics")["topics"]] == list(K.flows)
        code, out, _ = run(capsys, "topics")
        assert code == 0 and all(f.title in out for f in K.flows.values())


class TestAssetsWithOwnData:
    """`whatmatters assets DEST --data DIR`: a site built by another tool (Zensical, say) ships its own rules."""

    def test_the_engine_archive_carries_the_sites_data(self, capsys, tmp_path: pathlib.Path) -> None:
        """The archive written holds the changed data file, byte for byte, in place of ours."""
        import shutil
        import zipfile

        from decision.loading import DATA_DIR

        data = tmp_path / "data"
        shutil.copytree(DATA_DIR, data)
        stages = data / "stages.toml"
        stages.write_text(
            stages.read_text(encoding="utf-8").replace("max_users = 100", "max_users = 10", 1), encoding="utf-8"
        )
        pyodide = pathlib.Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"
        code, _, err = run(capsys, "assets", str(tmp_path / "site"), "--pyodide", str(pyodide), "--data", str(data))
        assert code == 0, err
        (archive,) = (tmp_path / "site" / "whatmatters" / "engine").glob("*.zip")
        assert zipfile.ZipFile(archive).read("decision/data/stages.toml") == stages.read_bytes()

    def test_broken_data_is_one_sentence(self, capsys, tmp_path: pathlib.Path) -> None:
        """Data that doesn't load stops the command with exit 2 and the loader's file and problem."""
        data = tmp_path / "data"
        data.mkdir()
        pyodide = pathlib.Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"
        code, out, err = run(capsys, "assets", str(tmp_path / "site"), "--pyodide", str(pyodide), "--data", str(data))
        assert code == 2 and out == ""
        assert "can't be used" in err and "file is missing" in err and "Traceback" not in err
        assert not (tmp_path / "site").exists()
