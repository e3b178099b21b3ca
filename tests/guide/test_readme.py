"""The README is a door, not a manual: short, every command it shows run by the suite, a map that
matches the tree, and no internal module path in it or in any page a user reads."""

from __future__ import annotations

import pathlib
import re
import subprocess

import pytest

from helpers.wheel import readme_install

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MAX_LINES = 200
SHELL_BLOCK = re.compile(r"^```(?:sh|bash|shell|console)\n(.*?)^```$", re.M | re.S)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# What a user must never be told to write: a path inside the package that moves when the code does.
INTERNAL = re.compile(r"\bdecision\.(?:integrations|packing|publishing|build|cli|refresh)\b|python -m decision\.\w")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def shell_commands(text: str) -> list[str]:
    """Each command of a Markdown text's shell blocks, without its comment or a `$ ` prompt."""
    lines = (
        line.split("#", 1)[0].strip().removeprefix("$ ") for b in SHELL_BLOCK.findall(text) for line in b.splitlines()
    )
    return [line for line in lines if line]


def suite_files() -> list[pathlib.Path]:
    return sorted(p for p in (ROOT / "tests").rglob("test_*.py") if p.resolve() != pathlib.Path(__file__).resolve())


def make_dry_run(target: str) -> str:
    """What `make TARGET` would run, without running it."""
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def serve_is_run() -> bool:
    """A test starts `make serve` itself and reads the guide from it."""
    return any('["make", "serve"]' in p.read_text(encoding="utf-8") for p in suite_files())


def runs_the_whole_suite() -> bool:
    """`make test` runs pytest with no selection: this very suite, every file of it."""
    runs = [line for line in make_dry_run("test").splitlines() if "-m pytest" in line]
    return len(runs) == 1 and runs[0].rstrip().endswith("-m pytest")


def install_is_run() -> bool:
    """The packaging test installs the built wheel by the README's own line (helpers.wheel.make_venv reads it)."""
    users = [p for p in (ROOT / "tests").rglob("*.py") if p.parent.name != "helpers"]
    return any("make_venv(" in p.read_text(encoding="utf-8") for p in users)


# Each command a README may show, and how the suite runs it.
RUN_BY_THE_SUITE = {"make serve": serve_is_run, "make test": runs_the_whole_suite, readme_install()[0]: install_is_run}


def unrun(text: str) -> list[str]:
    """The shell commands of `text` that the suite doesn't run."""
    return [c for c in shell_commands(text) if c not in RUN_BY_THE_SUITE or not RUN_BY_THE_SUITE[c]()]


def user_docs() -> list[pathlib.Path]:
    return [README, ROOT / "CONTRIBUTING.md", ROOT / "mkdocs.yml", *sorted((ROOT / "content").rglob("*.md"))]


class TestTheReadme:
    def test_it_is_short(self) -> None:
        """At most 200 lines: the manual lives on the site and in CONTRIBUTING.md."""
        assert len(readme().splitlines()) <= MAX_LINES

    def test_every_command_it_shows_is_run_by_the_suite(self) -> None:
        """Each command in the README's shell blocks is one a test runs (or, for `make test`, the suite itself)."""
        assert shell_commands(readme()), "the README shows no command"
        assert unrun(readme()) == []

    def test_a_command_no_test_runs_is_caught(self) -> None:
        """A shell block with a command the suite doesn't run is listed, comments and prompts stripped."""
        planted = "```sh\nmake serve   # read it\n$ make deploy\n```\n"
        assert shell_commands(planted) == ["make serve", "make deploy"]
        assert unrun(planted) == ["make deploy"]

    def test_its_links_lead_somewhere(self) -> None:
        """Every relative link in the README points at a file or folder of the repository."""
        links = [link for link in LINK.findall(readme()) if "://" not in link]
        assert links
        assert [link for link in links if not (ROOT / link).exists()] == []


class TestTheMap:
    def paths(self) -> list[str]:
        section = readme().split("## What is where\n", 1)[1].split("\n## ", 1)[0]
        return re.findall(r"^\| `([^`]+)` \|", section, re.M)

    def test_every_path_exists(self) -> None:
        """Each row of "What is where" names a path that is there (a `*.py` row, files that are)."""
        paths = self.paths()
        assert paths
        assert [p for p in paths if not (list(ROOT.glob(p)) if "*" in p else (ROOT / p).exists())] == []

    def test_every_part_of_the_package_is_on_it(self) -> None:
        """Every subpackage of decision/ and every top-level folder of code has its row, so the map can't go stale."""
        paths = {p.rstrip("/") for p in self.paths()}
        rooms = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "decision").glob("*/__init__.py")}
        rooms |= {"decision/data", "content", "hooks", "overrides", "tests", "tools", "bench"}
        assert sorted(rooms - paths) == []

    def test_no_folder_of_the_package_is_named_build(self) -> None:
        """`build` reads as output to people and tools; no room of the package is called that."""
        assert not (ROOT / "decision" / "build").exists() and "decision/build" not in self.paths()


class TestPublicNames:
    @pytest.mark.parametrize("path", user_docs(), ids=lambda p: p.relative_to(ROOT).as_posix())
    def test_no_internal_module_path(self, path: pathlib.Path) -> None:
        """What users read names only public names: the `whatmatters` extension, plugin and command, decision.sphinx, decision.fence."""
        text = path.read_text(encoding="utf-8")
        assert [m.group(0) for m in INTERNAL.finditer(text)] == []

    def test_the_check_catches_one(self) -> None:
        """An internal path, dotted or run with python -m, is found; the public names are not."""
        found = INTERNAL.findall(
            "extensions: [decision.integrations.markdown], run python -m decision.publishing.csp, "
            "plugins: [whatmatters], extensions = ['decision.sphinx'], format: decision.fence.format"
        )
        assert found == ["decision.integrations", "python -m decision.p"]
