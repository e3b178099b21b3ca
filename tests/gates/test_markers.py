"""Markers say what a test needs: every test that drives Chromium is `browser`, every test that runs the
engine inside Pyodide is `pyodide`, so `make test-fast` (`-m "not browser and not pyodide and not site"`)
never starts either. Read from the test files' source, without running them."""

from __future__ import annotations

import ast
import pathlib

TESTS = pathlib.Path(__file__).resolve().parents[1]
# What a test (or a helper or fixture of its file) touches, and the marker that must say so.
NEEDS = {"chromium": "browser", "RUNNER": "pyodide"}


def marks(node: ast.AST) -> set[str]:
    """The `pytest.mark.X` names in a decorator list or a `pytestmark = ...` value."""
    return {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Attribute) and n.value.attr == "mark"
    }


def names(node: ast.AST) -> set[str]:
    """Every name a function's parameters and body use."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if isinstance(node, ast.FunctionDef):
        used |= {a.arg for a in node.args.args + node.args.kwonlyargs}
    return used


def unmarked(path: pathlib.Path) -> list[str]:
    """`file::test needs marker` for each test function that reaches a need without its marker."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            module |= marks(node.value)
    # Functions of the file (fixtures and helpers) that touch a need, one level deep.
    reaching = {need: {need} for need in NEEDS}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("test_"):
            for need in NEEDS:
                if need in names(node):
                    reaching[need].add(node.name)
    found = []
    scopes = [(node, module) for node in tree.body]
    while scopes:
        node, outer = scopes.pop()
        if isinstance(node, ast.ClassDef):
            scopes += [(child, outer | marks(ast.Module(node.decorator_list, []))) for child in node.body]
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            have = outer | marks(ast.Module(node.decorator_list, []))
            for need, marker in NEEDS.items():
                if names(node) & reaching[need] and marker not in have:
                    found.append(f"{path.relative_to(TESTS)}::{node.name} needs @pytest.mark.{marker}")
    return found


class TestMarkers:
    def test_every_test_reaching_chromium_or_pyodide_is_marked(self) -> None:
        """No test takes Chromium or the Pyodide runner (itself or through its file's fixtures) unmarked."""
        found = [line for path in sorted(TESTS.glob("*/test_*.py")) for line in unmarked(path)]
        assert found == []

    def test_the_check_sees_an_unmarked_test(self, tmp_path: pathlib.Path) -> None:
        """A test file with an unmarked Pyodide test and an unmarked browser fixture is caught."""
        (tmp_path / "x").mkdir()
        path = tmp_path / "x" / "test_x.py"
        path.write_text(
            "import pytest\n@pytest.fixture\ndef page(chromium):\n    return chromium\n"
            "def test_a(page):\n    pass\n@pytest.mark.pyodide\ndef test_b():\n    RUNNER\ndef test_c():\n    RUNNER\n",
            encoding="utf-8",
        )
        global TESTS
        saved, TESTS = TESTS, tmp_path
        try:
            assert unmarked(path) == [
                "x/test_x.py::test_c needs @pytest.mark.pyodide",
                "x/test_x.py::test_a needs @pytest.mark.browser",
            ]
        finally:
            TESTS = saved
