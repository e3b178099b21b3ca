"""The shape the codebase keeps: small modules, a renderer that can't reach the knowledge,
a runtime that never imports the build side, and question texts that state their thresholds."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

from decision.knowledge import Condition
from decision.loading import knowledge

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "decision"
MAX_LINES = 400


def modules(folder: pathlib.Path = PACKAGE) -> list[pathlib.Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: pathlib.Path) -> set[str]:
    """The absolute names of the decision modules a file imports (relative imports resolved)."""
    package = ".".join(("decision", *path.relative_to(PACKAGE).parent.parts))
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.add(name)
            out.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {name for name in out if name == "decision" or name.startswith("decision.")}


# The rooms only builds and terminals use, and the public names that lead into them.
BUILD_SIDE = {"integrations", "packing", "publishing", "cli", "refresh"}
PUBLIC_NAMES = {"__main__.py", "sphinx.py", "fence.py"}


class TestModules:
    def test_no_folder_of_the_package_is_named_build(self) -> None:
        """Tools and ignore files take a `build` folder for build output and skip it."""
        assert not [p for p in PACKAGE.rglob("build") if p.is_dir()]

    def test_the_public_names_lead_into_the_rooms(self) -> None:
        """What users type (`decision.sphinx`, `decision.fence`, the `whatmatters` entry points) reaches the real code."""
        from importlib.metadata import entry_points

        import decision.fence
        import decision.sphinx
        from decision.integrations import markdown, sphinx

        assert decision.sphinx.setup is sphinx.setup
        assert decision.fence.format is markdown.fence_format and decision.fence.validator is markdown.fence_validator
        names = {
            (g, "whatmatters"): entry_points(group=g)["whatmatters"].value
            for g in ("markdown.extensions", "mkdocs.plugins", "console_scripts")
        }
        assert names[("markdown.extensions", "whatmatters")].startswith("decision.integrations.")
        assert names[("mkdocs.plugins", "whatmatters")].startswith("decision.integrations.")
        assert names[("console_scripts", "whatmatters")] == "decision.cli:main"

    @pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
    def test_no_module_is_over_400_lines(self, path: pathlib.Path) -> None:
        """Every module of the package stays small enough to read in one sitting."""
        assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES

    @pytest.mark.parametrize("path", modules(PACKAGE / "render"), ids=lambda p: p.name)
    def test_the_renderer_cannot_reach_the_knowledge(self, path: pathlib.Path) -> None:
        """The renderer imports only formatting, the protocol's limits and itself: it draws results, never data."""
        allowed = ("decision.formatting", "decision.protocol", "decision.render")
        assert {name for name in imported(path) if not name.startswith(allowed)} == set()

    @pytest.mark.parametrize(
        "path",
        [p for p in modules() if not BUILD_SIDE & set(p.relative_to(PACKAGE).parts) and p.name not in PUBLIC_NAMES],
        ids=lambda p: p.relative_to(PACKAGE).as_posix(),
    )
    def test_the_runtime_never_imports_the_build_side(self, path: pathlib.Path) -> None:
        """What ships to the browser never reaches for the CLI, the Markdown extension or the asset tools."""
        assert not [name for name in imported(path) if name.split(".")[1:2] and name.split(".")[1] in BUILD_SIDE]

    def test_the_cli_formats_without_the_renderer(self) -> None:
        """The terminal prints with the shared formatting, not with the HTML renderer."""
        names = set().union(*(imported(p) for p in modules(PACKAGE / "cli")))
        assert "decision.formatting" in imported(PACKAGE / "cli" / "terminal.py")
        assert not [name for name in names if name.startswith("decision.render")]


class TestRegistries:
    def test_every_widget_names_an_operation_of_the_door(self) -> None:
        """Each widget of widgets.toml points at an operation decision.api answers (a typo would be a dead widget)."""
        from decision.api import OPERATIONS

        assert {name: w.op for name, w in knowledge().widgets.items() if w.op not in OPERATIONS} == {}

    def test_every_table_has_a_renderer_and_a_fill(self) -> None:
        """The one table registry gives every table its options, its fill and its renderer."""
        from decision.table_registry import TABLES

        assert all(callable(t.fill) and callable(t.html) and set(t.required) <= set(t.options) for t in TABLES.values())


# How a question's text says each comparison: "10 or more", "more than 10", "under 10"...
WORDING = {
    ">=": r"{n}\S*\s+(?:\w+\s+)?or more",
    ">": r"(?:more than|above|over)\s+{n}",
    "<=": r"{n}\S*\s+(?:\w+\s+)?or (?:less|fewer)",
    "<": r"(?:less than|fewer than|under|below)\s+{n}",
}


def measured_questions() -> list[tuple[str, str, str, Condition]]:
    return [
        (flow.topic, q.id, q.text, c)
        for flow in knowledge().flows.values()
        for q in flow.questions.values()
        for c in q.yes_if
        if c.op in WORDING
    ]


class TestThresholdsInWords:
    @pytest.mark.parametrize(
        ("topic", "qid", "text", "condition"),
        measured_questions(),
        ids=[f"{t}-{q}-{c.field}" for t, q, _, c in measured_questions()],
    )
    def test_the_text_states_the_threshold_it_tests(
        self, topic: str, qid: str, text: str, condition: Condition
    ) -> None:
        """A question bound to a measured signal says the same number, the same way round, as its yes_if."""
        value = condition.value
        number = f"{value:,}" if float(value).is_integer() else str(value)
        pattern = WORDING[condition.op].format(n=re.escape(number.removesuffix(".0")))
        assert re.search(pattern, text, re.IGNORECASE), f"{topic}/{qid}: '{text}' should say {condition.op} {number}"

    def test_every_measured_question_is_checked(self) -> None:
        """The wording check above covers the numeric thresholds of the data (it would catch a new one too)."""
        assert len(measured_questions()) >= 5

    def test_a_wrong_number_would_fail(self) -> None:
        """The check reads numbers, not just words: 10 servers in the text does not pass for a threshold of 12."""
        pattern = WORDING[">="].format(n=re.escape("12"))
        assert not re.search(pattern, "Do you run 10 or more servers?")
