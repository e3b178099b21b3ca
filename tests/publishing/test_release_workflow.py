"""The release workflow (issue 24): on a version tag, least privilege per job, pinned actions,
actionlint-clean; it builds the wheel from the sdist, tests both, publishes by trusted publishing
and attaches both files to the GitHub release."""

from __future__ import annotations

import pathlib
import re
from typing import Any

import yaml

from helpers.actionlint import actionlint

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def workflow(text: str | None = None) -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8") if text is None else text)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def unpinned(data: dict[str, Any]) -> list[str]:
    return [ref for job in data["jobs"].values() for ref in uses(job) if not PINNED.match(ref)]


def test_actionlint_passes() -> None:
    assert actionlint(WORKFLOW) == []


def test_it_runs_on_a_version_tag_only() -> None:
    assert workflow()["on"] == {"push": {"tags": ["v*"]}}


def test_each_job_has_only_the_permissions_it_needs() -> None:
    """Read by default; the OIDC token only where the PyPI action runs, write only where the release is edited."""
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert "permissions" not in jobs["build"]
    assert jobs["publish"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    assert jobs["attach"]["permissions"] == {"contents": "write"}
    with_token = [name for name, job in jobs.items() if job.get("permissions", {}).get("id-token") == "write"]
    assert with_token == ["publish"]
    assert [ref.split("@")[0] for ref in uses(jobs["publish"])][-1] == "pypa/gh-action-pypi-publish"


def test_every_action_is_pinned_to_a_commit_and_a_tag_is_caught() -> None:
    data = workflow()
    assert unpinned(data) == []
    assert sum(len(uses(job)) for job in data["jobs"].values()) >= 7
    planted = WORKFLOW.read_text(encoding="utf-8").replace(
        "pypa/gh-action-pypi-publish@81e9d935c883d0b210363ab89cf05f3894778450", "pypa/gh-action-pypi-publish@release/v1"
    )
    assert unpinned(workflow(planted)) == ["pypa/gh-action-pypi-publish@release/v1"]


def test_the_same_pins_as_the_pages_workflow() -> None:
    """checkout, setup-python and setup-node at the commits pages.yml already uses."""
    pages = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    for job in workflow()["jobs"].values():
        for ref in uses(job):
            if ref.split("@")[0] in ("actions/checkout", "actions/setup-python", "actions/setup-node"):
                assert ref in pages, ref


def test_it_builds_the_wheel_from_the_sdist_tests_both_and_attaches_both() -> None:
    jobs = workflow()["jobs"]
    build = runs(jobs["build"])
    assert build.index("build --sdist") < build.index("tar -xzf dist/whatmatters-") < build.index("build --wheel")
    assert 'PATH="$GITHUB_WORKSPACE/nonode"' in build  # the wheel is built where node isn't
    assert "for file in dist/*.tar.gz dist/*.whl" in build and "python -m venv fresh" in build
    assert "tests/packing/test_wheel.py" in build and "WHATMATTERS_WHEEL=" in build and "WHATMATTERS_SDIST=" in build
    assert jobs["publish"]["needs"] == "build" and jobs["attach"]["needs"] == "publish"
    assert "gh release upload" in runs(jobs["attach"]) and "dist/*.tar.gz dist/*.whl" in runs(jobs["attach"])
