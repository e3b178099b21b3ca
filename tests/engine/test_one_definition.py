"""One definition per concept: where two places must say the same thing, a test holds them together."""

from __future__ import annotations

import ast
import pathlib
import re
import shutil
import tomllib

import pytest

from decision.errors import DataError
from decision.integrations import embed
from decision.loading import load
from decision.packing import archive, assets, stdlib
from decision.publishing import pages, size_report
from decision.render import chart, diagram

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "decision"
CSS = ROOT / "overrides" / "assets" / "whatmatters" / "whatmatters.css"


def strings(path: pathlib.Path) -> list[str]:
    """The string constants of a module's code, its docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def css_font_size(selector: str) -> int:
    """The font-size in px of the whatmatters.css rule whose selector list names `selector`."""
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS.read_text(encoding="utf-8")):
        if selector in (s.strip() for s in selectors.split(",")):
            size = re.search(r"font-size:\s*(\d+)px", body)
            assert size, f"{selector} sets no font-size in px"
            return int(size.group(1))
    raise AssertionError(f"whatmatters.css has no rule for {selector}")


class TestTheRuntimeFolder:
    def test_every_module_takes_it_from_packing_assets(self) -> None:
        """Pages, embeds and the size report use the folder write_runtime fills, not a copy of its name."""
        assert pages.RUNTIME_DIR is embed.RUNTIME_DIR is size_report.RUNTIME_DIR is assets.RUNTIME_DIR
        assert size_report.PYODIDE_DIR is assets.PYODIDE_DIR
        assert assets.RUNTIME_DIR.parent == assets.PYODIDE_DIR.parent == assets.SITE_ASSETS

    @pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
    def test_no_module_writes_its_name_out_again(self, path: pathlib.Path) -> None:
        """Only packing/assets.py spells the site's runtime folders; every other module imports them."""
        if path == PACKAGE / "packing" / "assets.py":
            return
        assert not [s for s in strings(path) if "assets/whatmatters" in s or "assets/pyodide" in s]

    def test_the_theme_and_the_wheel_carry_it_at_that_path(self) -> None:
        """MkDocs copies overrides/<RUNTIME_DIR> into the site as is, and the wheel packs that same folder."""
        assert (ROOT / "overrides" / assets.RUNTIME_DIR / "scripts" / "page.js").is_file()
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
        assert shipped == {f"overrides/{assets.RUNTIME_DIR}": "decision/_static"}


class TestZips:
    def test_the_engine_and_the_stdlib_zip_share_one_date(self) -> None:
        """Both zips are reproducible by the same fixed date, defined once."""
        assert stdlib.FIXED_DATE is archive.FIXED_DATE


class TestStageLabels:
    def copy(self, tmp_path: pathlib.Path, old: str, new: str) -> pathlib.Path:
        data = tmp_path / "data"
        shutil.copytree(PACKAGE / "data", data)
        toml = data / "stages.toml"
        text = toml.read_text(encoding="utf-8")
        assert text.count(old) == 1
        toml.write_text(text.replace(old, new), encoding="utf-8")
        return data

    def test_the_guides_labels_come_from_its_numbers(self) -> None:
        """Our stages.toml's labels read as the guide writes them, each filled from the stage's numbers."""
        assert [s.users for s in load().stages] == [
            "0 (just you)",
            "1-100",
            "100s",
            "1,000s",
            "More than 100 who rely on it",
        ]

    def test_changed_numbers_change_the_labels(self, tmp_path: pathlib.Path) -> None:
        """MVP ending at 10 users says 1-10, and the stage after it starts above 10: no label is left behind."""
        data = self.copy(tmp_path, "max_users = 100\n", "max_users = 10\n")
        assert [s.users for s in load(data).stages][1:3] == ["1-10", "10s"]
        data = self.copy(tmp_path / "relied", "min_users = 101", "min_users = 201")
        assert load(data).stages[-1].users == "More than 200 who rely on it"

    def test_a_label_that_writes_its_own_number_is_a_data_error(self, tmp_path: pathlib.Path) -> None:
        """A number typed into the label could drift from max_users: the file and the stage are named."""
        data = self.copy(tmp_path, 'users = "{above}-{max}"', 'users = "1-100"')
        with pytest.raises(DataError) as caught:
            load(data)
        assert (caught.value.file, caught.value.item) == ("stages.toml", "mvp")
        assert "writes a number itself" in caught.value.problem

    def test_an_unknown_field_is_a_data_error(self, tmp_path: pathlib.Path) -> None:
        """A label may use only {start}, {above} and {max}."""
        data = self.copy(tmp_path, 'users = "{above}-{max}"', 'users = "{low}-{max}"')
        with pytest.raises(DataError) as caught:
            load(data)
        assert (caught.value.file, caught.value.item) == ("stages.toml", "mvp")
        assert "may use only" in caught.value.problem


class TestDrawingText:
    def test_the_charts_font_is_the_css_one(self) -> None:
        """The chart sizes its text boxes for FONT units; whatmatters.css draws the ticks at that size."""
        assert css_font_size(".wm-tick") == css_font_size(".wm-readout text") == chart.FONT

    def test_the_diagrams_font_is_the_css_one(self) -> None:
        """The diagram wraps its text for FONT units; whatmatters.css draws it at that size."""
        assert css_font_size(".wm-diagram-svg text") == diagram.FONT
