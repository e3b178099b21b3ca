"""A suite of realistic projects (tests/engine/profiles.toml), each run the three ways a reader meets the plan.

Every profile is a project an engineer might bring to the guide, with the signals it would know
and, for every topic, basic and safeguard, the verdict an experienced engineer would give and
why. Each profile goes through the plan op (`api.handle`), the `whatmatters plan --json`
command (in-process, through `cli.main`) and the plan widget's HTML; the three must agree with
each other and with the expectation. When a flow changes, a failure here names the projects
that would now get other advice, what they got, and why we expected otherwise.
"""

from __future__ import annotations

import html.parser
import json
import pathlib
import re
import tomllib
from typing import Any

import pytest

import decision
from decision import api
from decision.cli import commands as cli

PROFILES_FILE = pathlib.Path(__file__).with_name("profiles.toml")
PROFILES: list[dict[str, Any]] = tomllib.loads(PROFILES_FILE.read_text(encoding="utf-8"))["profile"]
BY_ID = {p["id"]: p for p in PROFILES}
STAGED = [p for p in PROFILES if "stage" in p]

# The safeguards group as the issue defines it; the plan may return more, and every one it
# returns must be covered too (see test_expectations_cover_everything).
SAFEGUARDS = ("backups", "login-protection", "spending-caps", "dependencies", "account-mfa")
STAGE_IDS = ("poc", "mvp", "alpha", "beta", "production")
WAYS = ("api", "cli", "widget")


@pytest.fixture(scope="module")
def knowledge() -> decision.Knowledge:
    return decision.load()


def _plan(signals: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = api.handle({"v": 1, "op": "plan", "signals": signals, **extra})
    assert response["ok"], f"the plan refused {signals}: {response.get('error')}"
    return response


def _safeguard_ids() -> list[str]:
    """Every safeguard the plan returns (for no signals at all), the issue's five first."""
    returned = list(_plan({})["result"].get("safeguards", {}))
    return [*SAFEGUARDS, *(s for s in returned if s not in SAFEGUARDS)]


# --- the three ways of asking -------------------------------------------------------------


def _from_result(result: dict[str, Any]) -> dict[str, str]:
    """{id: verdict} for every topic, basic and safeguard in a plan result."""
    out: dict[str, str] = {}
    for group in ("verdicts", "basics", "safeguards"):
        for item_id, item in (result.get(group) or {}).items():
            out[item_id] = item["verdict"]
    return out


def via_api(signals: dict[str, Any]) -> dict[str, str]:
    return _from_result(_plan(signals)["result"])


def cli_argv(signals: dict[str, Any]) -> list[str]:
    """`plan --json` with one option per signal: `--users 50`, `--logins` / `--no-logins`."""
    argv = ["plan", "--json"]
    for sid, value in signals.items():
        name = sid.replace("_", "-")
        if isinstance(value, bool):
            argv.append(f"--{name}" if value else f"--no-{name}")
        else:
            argv += [f"--{name}", str(value)]
    return argv


def via_cli(signals: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    argv = cli_argv(signals)
    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse refuses an option it doesn't know
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 0, f"`whatmatters {' '.join(argv)}` exited with {code}: {err.strip()}"
    return _from_result(json.loads(out))


class _Cards(html.parser.HTMLParser):
    """The plan widget's cards: `<li class="wm-card wm-verdict--VERDICT" data-wm-topic="ID">`."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.duplicates: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "li":
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if "wm-card" not in classes or a.get("data-wm-topic") is None:
            return
        verdicts = [m.group(1) for c in classes if (m := re.fullmatch(r"wm-verdict--(.+)", c))]
        topic = a["data-wm-topic"]
        assert topic is not None
        if topic in self.cards:
            self.duplicates.append(topic)
        self.cards[topic] = verdicts[0] if len(verdicts) == 1 else f"<{len(verdicts)} verdict classes>"


def via_widget(signals: dict[str, Any]) -> dict[str, str]:
    response = _plan(signals, render=True)
    assert response.get("html"), f"the plan widget drew nothing for {signals}"
    parser = _Cards()
    parser.feed(response["html"])
    parser.close()
    assert not parser.duplicates, f"the plan widget drew these cards twice: {parser.duplicates}"
    return parser.cards


# --- the profiles file itself -------------------------------------------------------------


def test_profiles_are_many_and_unique() -> None:
    ids = [p["id"] for p in PROFILES]
    assert len(ids) >= 30, f"only {len(ids)} profiles; the suite promises at least 30"
    assert len(set(ids)) == len(ids), f"duplicate profile ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for p in PROFILES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p["id"]), f"profile id {p['id']!r} isn't a slug"
        assert isinstance(p.get("about"), str) and p["about"].strip(), f"{p['id']}: no 'about'"
        assert isinstance(p.get("signals"), dict), f"{p['id']}: 'signals' should be a table"
        assert isinstance(p.get("expect"), dict), f"{p['id']}: no [profile.expect] table"
        unknown = set(p) - {"id", "about", "signals", "stage", "stage_not", "stage_safeguards", "expect"}
        assert not unknown, f"{p['id']}: unknown keys {sorted(unknown)}"


def test_signals_are_ones_the_plan_takes(knowledge: decision.Knowledge) -> None:
    for p in PROFILES:
        for sid, value in p["signals"].items():
            assert sid in knowledge.signals, f"{p['id']}: '{sid}' is not a signal the plan takes"
            kind = knowledge.signals[sid].kind
            if kind == "flag":
                ok = isinstance(value, bool)
            elif kind == "count":
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, int | float) and not isinstance(value, bool)
            assert ok, f"{p['id']}: {sid} = {value!r} is not a {kind}"


def test_expectations_cover_everything(knowledge: decision.Knowledge) -> None:
    topics = [problem.id for problem in knowledge.problems]
    basics = [b.id for b in knowledge.basics]
    wanted = [*topics, *basics, *_safeguard_ids()]
    verdict_ids = set(knowledge.verdicts)
    for p in PROFILES:
        expect = p["expect"]
        missing = [i for i in wanted if i not in expect]
        assert not missing, f"{p['id']}: no expectation for {missing}"
        extra = [i for i in expect if i not in wanted]
        assert not extra, f"{p['id']}: expectations for ids the plan doesn't have: {extra}"
        for item_id, e in expect.items():
            assert set(e) == {"verdict", "why"}, f"{p['id']}/{item_id}: give exactly a verdict and a why"
            assert e["verdict"] in verdict_ids, f"{p['id']}/{item_id}: unknown verdict {e['verdict']!r}"
            assert isinstance(e["why"], str) and e["why"].strip(), f"{p['id']}/{item_id}: no why"
        for b in basics:
            assert expect[b]["verdict"] == "do-now", f"{p['id']}/{b}: a basic is always do-now"
        for s in SAFEGUARDS:
            assert expect[s]["verdict"] in ("do-now", "not-yet"), f"{p['id']}/{s}: a safeguard is do-now or not-yet"
        for t in topics:
            assert expect[t]["verdict"] in ("not-yet", "try-first", "add-now"), f"{p['id']}/{t}: not a topic verdict"


def test_the_suite_spans_every_verdict_somewhere() -> None:
    """Each topic meets more than one verdict across the profiles, so a flow stuck on one answer shows."""
    seen: dict[str, set[str]] = {}
    for p in PROFILES:
        for item_id, e in p["expect"].items():
            seen.setdefault(item_id, set()).add(e["verdict"])
    flat = [t for t, v in seen.items() if len(v) == 1 and t not in ("secrets", "https", "input", "internals")]
    assert set(flat) <= {"backups", "dependencies", "account-mfa"}, f"only one verdict ever expected for {flat}"


# --- each profile, three ways -------------------------------------------------------------


@pytest.mark.parametrize("pid", list(BY_ID))
def test_profile(pid: str, capsys: pytest.CaptureFixture[str]) -> None:
    profile = BY_ID[pid]
    signals, expect = profile["signals"], profile["expect"]
    got = {"api": via_api(signals), "cli": via_cli(signals, capsys), "widget": via_widget(signals)}

    # The three ways are one engine: they must agree on every id any of them returns.
    ids = sorted(set().union(*(set(g) for g in got.values())))
    split = [
        f"  {i}: " + ", ".join(f"{w}={got[w].get(i, 'missing')}" for w in WAYS)
        for i in ids
        if len({got[w].get(i) for w in WAYS}) > 1
    ]
    assert not split, f"{pid}: the plan op, the CLI and the widget disagree:\n" + "\n".join(split)

    # ... and with what an experienced engineer would say.
    wrong = [
        f"  {i}: expected {e['verdict']}, got {got['api'].get(i, 'missing')} (we expected it because: {e['why']})"
        for i, e in expect.items()
        if any(got[w].get(i) != e["verdict"] for w in WAYS)
    ]
    assert not wrong, f"{pid} ({profile['about']}) now gets other advice:\n" + "\n".join(wrong)


# --- the stage finder ---------------------------------------------------------------------


@pytest.mark.parametrize("pid", [p["id"] for p in STAGED])
def test_profile_stage(pid: str) -> None:
    profile = BY_ID[pid]
    stage_in = profile["stage"]
    assert set(stage_in) == {"users", "depends", "pays"}, f"{pid}: stage takes users, depends and pays"
    assert set(profile.get("stage_not", [])) <= set(STAGE_IDS), f"{pid}: unknown stage in stage_not"
    response = api.handle({"v": 1, "op": "stage", **stage_in})
    assert response["ok"], f"{pid}: the stage finder refused {stage_in}: {response.get('error')}"
    result = response["result"]
    stage = result["stage"]["id"]
    assert stage in STAGE_IDS, f"{pid}: unknown stage {stage!r}"
    assert stage not in profile.get("stage_not", []), (
        f"{pid} ({profile['about']}): {stage_in} landed in '{stage}', which it must not ({profile['stage_not']})"
    )
    if profile.get("stage_safeguards"):
        assert isinstance(result.get("safeguards"), list) and result["safeguards"], (
            f"{pid}: the {stage} stage lists no safeguards for {stage_in}, though people rely on it or pay"
        )
        assert isinstance(result.get("reason"), str) and result["reason"].strip(), f"{pid}: no reason for the stage"
