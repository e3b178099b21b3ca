"""'Check my project' in Chromium: a picked folder shows the basics and signals `whatmatters scan --json`
gives for it, and no request leaves the page or carries a file's contents."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import pytest

from helpers.browser import ANSWER_MS, LIVE_MS, wait_state
from helpers.scan_corpus import AWS, REPOS, write

pytestmark = [pytest.mark.browser, pytest.mark.site]

WIDGET = "wm-scan"
ROOT = pathlib.Path(__file__).resolve().parents[2]


def fixture_folder(tmp: pathlib.Path, name: str) -> pathlib.Path:
    """One repository of the labelled corpus, plus what a picked folder brings that git leaves out."""
    repo = write(tmp, name)
    (repo / ".gitignore").write_text(".env\nbuild/\n", encoding="utf-8")
    (repo / ".env").write_text(f"AWS_ACCESS_KEY_ID={AWS}\n", encoding="utf-8")  # ignored: not a finding
    (repo / "build").mkdir()
    (repo / "build" / "app.py").write_text("DEBUG = True\n", encoding="utf-8")  # ignored folder
    (repo / "node_modules" / "lib").mkdir(parents=True)
    (repo / "node_modules" / "lib" / "index.js").write_text('el.innerHTML = "<b>" + x;\n', encoding="utf-8")
    (repo / "logo.bin").write_bytes(b"\0\1\2PK" * 100)  # binary
    return repo


def cli_report(folder: pathlib.Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "decision", "scan", "--json", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def decide(tour) -> Any:
    page = tour.open("decide/")
    wait_state(page, WIDGET, "live", timeout=LIVE_MS)
    return page


def shown(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """id => {
        const el = document.getElementById(id);
        const basics = {};
        for (const li of el.querySelectorAll("[data-wm-basic]")) {
          basics[li.dataset.wmBasic] = {
            passed: li.classList.contains("wm-basic--pass"),
            where: [...li.querySelectorAll(".wm-where")].map((c) => c.textContent),
          };
        }
        const signals = {};
        for (const li of el.querySelectorAll("[data-wm-signal]")) {
          signals[li.dataset.wmSignal] = li.querySelector("strong").textContent;
        }
        return { basics, signals };
      }""",
        WIDGET,
    )


def expected(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "basics": {
            b["id"]: {"passed": b["passed"], "where": [f"{f['file']}:{f['line']}" for f in b["findings"][:20]]}
            for b in report["basics"]
        },
        "signals": {k: "yes" if v is True else str(v) for k, v in report["signals"].items()},
    }


@pytest.mark.parametrize("name", sorted(REPOS))
def test_folder_matches_the_cli(decide: Any, clean, tmp_path: pathlib.Path, name: str) -> None:
    folder = fixture_folder(tmp_path, name)
    report = cli_report(folder)
    sent: list[tuple[str, str]] = []
    listener = lambda request: sent.append((request.url, request.post_data or ""))  # noqa: E731
    decide.on("request", listener)
    try:
        before = decide.evaluate("id => document.getElementById(id).querySelector('.wm-result').innerHTML", WIDGET)
        decide.set_input_files(f"#{WIDGET} input[data-wm-files]", str(folder))
        decide.wait_for_function(
            "([id, before]) => { const r = document.getElementById(id).querySelector('.wm-result');"
            " return r.innerHTML !== before && r.querySelector('[data-wm-basic]'); }",
            arg=[WIDGET, before],
            timeout=ANSWER_MS * 3,
        )
        got = shown(decide)
    finally:
        decide.remove_listener("request", listener)
    want = expected(report)
    assert got == want
    if name == "django-app":  # the fixture plants a problem against every basic
        assert not any(b["passed"] for b in got["basics"].values())
    # Nothing left the page's origin, and no request carried a file's text.
    assert not clean.foreign and not clean.errors, (clean.foreign, clean.errors)
    origin = clean.origin
    assert all(url.startswith(origin) for url, _ in sent), sent
    texts = [t for t in REPOS[name].values() if len(t) > 40]
    assert not any(t[:40] in body for _, body in sent for t in texts), "a request carried a file's contents"


def verdicts(page: Any, element_id: str) -> dict[str, str]:
    """Each plan card's topic and verdict, as a widget shows them."""
    return page.evaluate(
        """id => Object.fromEntries([...document.getElementById(id).querySelectorAll(".wm-card[data-wm-topic]")]
          .map((li) => [li.dataset.wmTopic, [...li.classList].find((c) => c.startsWith("wm-verdict--"))]))""",
        element_id,
    )


def test_the_planner_fills_in_from_the_scan(tour, clean, tmp_path: pathlib.Path) -> None:
    page = tour.open("decide/")  # a fresh Decide page: the planner starts from its example
    wait_state(page, WIDGET, "live", timeout=LIVE_MS)
    folder = fixture_folder(tmp_path, "node-llm")
    report = cli_report(folder)
    assert report["signals"].get("paid_api") is True, report["signals"]
    before = verdicts(page, "wm-plan")
    page.set_input_files(f"#{WIDGET} input[data-wm-files]", str(folder))
    page.wait_for_function(
        "() => document.querySelector('#wm-plan select[name=paid_api]')?.value === 'yes'", timeout=ANSWER_MS * 3
    )
    fields = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#wm-plan [data-wm-key]')]
          .map((f) => [f.name, f.value]))"""
    )
    for ident, value in report["signals"].items():
        assert fields[ident] == ("yes" if value is True else str(value)), (ident, fields)
    # The planner now shows the plan the scan built, and it differs from the example it started from.
    after = verdicts(page, "wm-plan")
    assert after == verdicts(page, WIDGET) and after != before
    page.wait_for_function("() => location.hash.includes('plan.')", timeout=ANSWER_MS)
    assert not clean.foreign and not clean.errors, (clean.foreign, clean.errors)
