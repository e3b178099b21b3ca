"""The scan's GitHub Action: its workflow passes actionlint, and every action it uses is pinned by commit."""

from __future__ import annotations

import re

from helpers.actionlint import actionlint
from helpers.site import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "scan.yml"
ACTION = ROOT / "action.yml"


def test_the_scan_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_the_workflow_exercises_the_action_read_only_by_default() -> None:
    text = WORKFLOW.read_text()
    assert "uses: ./" in text and "permissions: {}" in text


def test_every_action_is_pinned_by_commit() -> None:
    uses = re.findall(r"uses:\s*(\S+)", ACTION.read_text() + WORKFLOW.read_text())
    remote = [u for u in uses if not u.startswith("./")]
    assert remote and all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in remote), remote
    assert "github/codeql-action/upload-sarif@" in ACTION.read_text()
