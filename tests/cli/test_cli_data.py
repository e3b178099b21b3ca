"""`whatmatters data init DIR`: a copy of the package's data for a site to edit, and never over a folder in use."""

from __future__ import annotations

import pathlib
import tomllib

import pytest

from decision.loading import DATA_DIR, load
from helpers.cli import run, run_json


def files(folder: pathlib.Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_it_copies_every_data_file_and_says_where_to_use_it(capsys, tmp_path: pathlib.Path) -> None:
    """The new folder holds the package's data byte for byte, it loads, and the printout names each setting."""
    dest = tmp_path / "rules"
    code, out, err = run(capsys, "data", "init", str(dest))
    assert code == 0, err
    assert files(dest) == files(DATA_DIR)
    assert load(dest).flows  # a copy the loader accepts as it is
    for setting in ("mkdocs.yml", "data_dir:", "whatmatters_data_dir", "zensical.toml", "--data"):
        assert setting in out, setting
    zensical = next(line for line in out.splitlines() if "zensical.toml" in line)
    table = zensical.split("zensical.toml", 1)[1].split(", under", 1)[0].strip()
    assert tomllib.loads(table) == {"whatmatters": {"data_dir": str(dest)}}


def test_an_empty_folder_is_fine_and_json_counts_the_files(capsys, tmp_path: pathlib.Path) -> None:
    (tmp_path / "rules").mkdir()
    result = run_json(capsys, "data", "init", str(tmp_path / "rules"))
    assert result == {"dir": str(tmp_path / "rules"), "files": len(files(DATA_DIR))}


@pytest.mark.parametrize("kind", ["a folder with a file", "a file"])
def test_it_refuses_what_is_there_already(capsys, tmp_path: pathlib.Path, kind: str) -> None:
    """Exit 2 and one sentence; what was there is left as it was."""
    dest = tmp_path / "rules"
    if kind == "a file":
        dest.write_text("mine\n", encoding="utf-8")
    else:
        dest.mkdir()
        (dest / "stages.toml").write_text("mine\n", encoding="utf-8")
    code, out, err = run(capsys, "data", "init", str(dest))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "isn't an empty folder" in err and "Traceback" not in err
    kept = dest if kind == "a file" else dest / "stages.toml"
    assert kept.read_text(encoding="utf-8") == "mine\n"
