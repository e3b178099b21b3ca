"""The size report's wheel line (issue 24): the built wheel's size and its runtime's share, when dist/ holds one."""

from __future__ import annotations

import pathlib
import zipfile

from decision.publishing import size_report


def fake_wheel(path: pathlib.Path, runtime: bytes, code: bytes) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as wheel:
        wheel.writestr("decision/_runtime/pyodide/pyodide.asm.wasm", runtime)
        wheel.writestr("decision/api.py", code)
    return path


def test_without_a_wheel_the_line_says_how_to_get_one(tmp_path: pathlib.Path) -> None:
    want = f"Wheel: none in {tmp_path / 'dist'} (`python -m build` writes one there)"
    assert size_report.wheel_line(tmp_path / "dist") == want
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "other-1.0-py3-none-any.whl").write_bytes(b"")
    assert size_report.wheel_line(tmp_path / "dist") == want


def test_the_line_names_the_wheel_and_its_runtime(tmp_path: pathlib.Path) -> None:
    wheel = fake_wheel(tmp_path / "dist" / "whatmatters-0.1.0-py3-none-any.whl", b"\0" * 2_000_000, b"x" * 10)
    line = size_report.wheel_line(tmp_path / "dist")
    size = size_report._mb(wheel.stat().st_size)
    assert line == f"Wheel {wheel.name}: {size} (the browser runtime in it: 2.00 MB, 2.00 MB installed)"


def test_the_report_prints_it(tmp_path: pathlib.Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    fake_wheel(tmp_path / "dist" / "whatmatters-0.1.0-py3-none-any.whl", b"\0" * 10, b"")
    text = size_report.report(site, dist_dir=tmp_path / "dist").text()
    assert "Wheel whatmatters-0.1.0-py3-none-any.whl:" in text
    assert "Wheel: none in" in size_report.report(site, dist_dir=tmp_path / "none").text()
