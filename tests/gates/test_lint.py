"""The habits of a well-kept Python project, checked in `make test`: ruff (lint and format) and mypy."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYTHON_PATHS = ["decision", "tests", "tools", "hooks"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "args",
    [("ruff", "check", *PYTHON_PATHS), ("ruff", "format", "--check", *PYTHON_PATHS)],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(args: tuple[str, ...]) -> None:
    """ruff finds nothing to complain about and nothing to reformat (settings in pyproject.toml)."""
    done = run(*args)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_on_the_package() -> None:
    """mypy --strict passes on decision/, runtime and build side alike (settings in pyproject.toml)."""
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_would_catch_a_planted_problem(tmp_path: pathlib.Path) -> None:
    """The lint gate can fail: an unused import in a file under the same settings is reported."""
    planted = tmp_path / "planted.py"
    planted.write_text("import os\n", encoding="utf-8")
    done = run("ruff", "check", "--config", str(ROOT / "pyproject.toml"), str(planted))
    assert done.returncode != 0 and "F401" in done.stdout
