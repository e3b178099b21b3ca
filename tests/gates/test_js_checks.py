"""The shipped scripts are checked like the Python is (#23): tsc --noEmit from their JSDoc, ESLint's
recommended rules, and `node --test` on the JS unit tests; each gate fails with the tool's own output."""

from __future__ import annotations

import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"
SCRIPTS = ROOT / "overrides" / "assets" / "whatmatters"
# Every hand-written script a site ships: the widgets' modules (the page's and the worker's), the
# embed page's script and the embed loader. The two generated scripts are checked in test_js_build_data.
SHIPPED = [
    *sorted(SCRIPTS.glob("*.js")),
    *sorted(SCRIPTS.glob("scripts/*.js")),
    ROOT / "decision" / "integrations" / "embed.js",
]
# No script file over this many lines (#23).
MAX_LINES = 400


def run(*args: str | pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, check=False)


def tool(name: str) -> pathlib.Path:
    """A pinned dev tool from node_modules; missing means `npm ci` has not run since it was added."""
    path = BIN / name
    assert path.is_file(), f"{path} is missing: run `npm ci` (package.json pins it)"
    return path


class TestTypes:
    def test_every_shipped_script_is_type_checked(self) -> None:
        """Each shipped script's first line is `// @ts-check`, so tsc reads it even outside jsconfig.json."""
        assert [
            p.relative_to(ROOT).as_posix() for p in SHIPPED if not p.read_text("utf-8").startswith("// @ts-check\n")
        ] == []

    def test_tsc_finds_nothing(self) -> None:
        """tsc --noEmit with jsconfig.json (checkJs, dom and worker libraries) reports no error."""
        done = run(tool("tsc"), "--noEmit", "-p", "jsconfig.json")
        assert done.returncode == 0, done.stdout + done.stderr

    def test_tsc_would_catch_a_planted_error(self, tmp_path: pathlib.Path) -> None:
        """The type gate can fail: a checked script calling a string method on a number is reported."""
        planted = tmp_path / "planted.js"
        planted.write_text("// @ts-check\nconst n = 1;\nn.toUpperCase();\n", encoding="utf-8")
        done = run(tool("tsc"), "--noEmit", "--allowJs", "--checkJs", str(planted))
        assert done.returncode != 0 and "toUpperCase" in done.stdout


class TestLint:
    def test_eslint_finds_nothing(self) -> None:
        """ESLint's recommended rules (eslint.config.mjs) pass on the scripts and the JS tests."""
        done = run(tool("eslint"), "--max-warnings", "0")
        assert done.returncode == 0, done.stdout + done.stderr

    def test_eslint_would_catch_a_planted_problem(self) -> None:
        """The lint gate can fail: an undefined name in a shipped script's place is reported."""
        done = subprocess.run(
            [str(tool("eslint")), "--stdin", "--stdin-filename", "overrides/assets/whatmatters/planted.js"],
            cwd=ROOT,
            input="undefinedName();\n",
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1 and "no-undef" in done.stdout


class TestSize:
    def test_no_script_is_over_400_lines(self) -> None:
        """Every shipped script and every JS unit test is at most MAX_LINES lines."""
        files = [*SHIPPED, *sorted((ROOT / "tests" / "js").glob("*.mjs"))]
        assert {
            p.relative_to(ROOT).as_posix(): n
            for p in files
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
        } == {}


class TestUnits:
    def test_node_unit_tests_pass(self) -> None:
        """`node --test tests/js/` passes (the pure helpers' unit tests, run by Node 20 without a browser)."""
        node = shutil.which("node")
        assert node, "node is not on PATH"
        tests = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))
        assert tests, "no JS unit tests in tests/js/"
        done = run(node, "--test", *tests)
        assert done.returncode == 0, done.stdout + done.stderr
