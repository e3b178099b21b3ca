"""`whatmatters` as real processes: the installed script and `python -m decision`."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from decision import flows
from helpers.cli import ATTACK, MODEL, PLAN_TOPICS, SEED, SUBCOMMANDS, K, assert_one_sentence

BIN = pathlib.Path(sys.executable).with_name("whatmatters")


class TestProcesses:
    def bin(self) -> list[str]:
        assert BIN.exists(), f"the whatmatters script is not installed next to {sys.executable}"
        return [str(BIN)]

    def module(self) -> list[str]:
        return [sys.executable, "-m", "decision"]

    def call(self, command: list[str], tmp_path: pathlib.Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=tmp_path, timeout=60)

    @pytest.mark.parametrize("how", ["bin", "module"])
    def test_cost_json(self, how: str, tmp_path: pathlib.Path) -> None:
        """Installed script and `python -m decision` both print the seed's $200 for GPT-4."""
        p = self.call(
            [
                *getattr(self, how)(),
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
                "--json",
            ],
            tmp_path,
        )
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["total_usd"] == 200

    @pytest.mark.parametrize("how", ["bin", "module"])
    def test_ask_interactive(self, how: str, tmp_path: pathlib.Path) -> None:
        """A real process asks the questions and reads the answers piped to it."""
        flow = K.flows["caching"]
        path = max(flows.paths(flow), key=len)
        p = self.call([*getattr(self, how)(), "ask", "caching"], tmp_path, "".join(f"{v}\n" for _, v in path))
        assert p.returncode == 0, p.stderr
        last = flow.questions[path[-1][0]].option(path[-1][1])
        assert K.verdicts[last.verdict].label.upper() in p.stdout

    def test_screen_stdin(self, tmp_path: pathlib.Path) -> None:
        """`screen` reads a piped message."""
        p = self.call([*self.bin(), "screen", "--json"], tmp_path, ATTACK)
        assert p.returncode == 0 and json.loads(p.stdout)["suspicious"] is True

    def test_plan_json(self, tmp_path: pathlib.Path) -> None:
        """`plan --json` prints a verdict and reason for each topic."""
        p = self.call(
            [
                *self.module(),
                "plan",
                "--paid-api",
                "--services",
                "12",
                "--servers",
                "12",
                "--bigger-server-possible",
                "--json",
            ],
            tmp_path,
        )
        assert p.returncode == 0, p.stderr
        verdicts = json.loads(p.stdout)["verdicts"]
        assert {t: verdicts[t]["verdict"] for t in ("rate-limiting", "kubernetes")} == {
            "rate-limiting": "add-now",
            "kubernetes": "try-first",
        }
        assert all(set(verdicts[t]) >= {"verdict", "reason"} for t in PLAN_TOPICS)

    @pytest.mark.parametrize("name", SUBCOMMANDS)
    def test_help(self, name: str, tmp_path: pathlib.Path) -> None:
        """`whatmatters NAME --help` exits 0 in a real process."""
        p = self.call([*self.bin(), name, "--help"], tmp_path)
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith("usage:")

    @pytest.mark.parametrize("how", ["bin", "module"])
    def test_bad_input(self, how: str, tmp_path: pathlib.Path) -> None:
        """A real process exits 2 with one sentence and no traceback on bad input."""
        p = self.call(
            [*getattr(self, how)(), "cost", "--model", "nope", "--input-tokens", "1", "--output-tokens", "1"], tmp_path
        )
        assert p.returncode == 2 and p.stdout == ""
        assert_one_sentence(p.stderr)
