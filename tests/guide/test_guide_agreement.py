"""The stage checklists, the never-skip basics, the plan and the general flow say the same thing.

Everything is looked up through the engine's one door by data id (basic ids from basics.toml,
stage ids from stages.toml, topic and signal ids), so rewording a flow or a check keeps these
tests meaningful; only the few words that name a safeguard are matched in text.
"""

from __future__ import annotations

import pathlib
from typing import Any, ClassVar

import pytest

from decision import api

STAGE_ORDER = ("poc", "mvp", "alpha", "beta", "production")
CONTENT = pathlib.Path(__file__).resolve().parents[2] / "content"


def ask(op: str, **fields: Any) -> dict[str, Any]:
    response = api.handle({"v": 1, "op": op, **fields})
    assert response["ok"], response
    return response["result"]


def checklist(stage: str) -> list[str]:
    return [item.lower() for item in ask("table", name="checklist", stage=stage)["checklist"]]


def never_skip() -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in ask("table", name="never-skip")["basics"]}


def first_stage(words: str) -> list[str]:
    """The stages whose checklist names these words, in stage order."""
    return [s for s in STAGE_ORDER if any(words in item for item in checklist(s))]


class TestNeverSkipAndChecklists:
    # safeguard: (its basic, the stage where it starts to matter, words of its check, words of its checklist item)
    SAFEGUARDS: ClassVar[dict[str, tuple[str, str, str, str]]] = {
        "mfa": ("secrets", "poc", "two-step sign-in", "two-step sign-in"),
        "supply-chain": ("secrets", "mvp", "lock file", "lock file"),
        "https-renewal": ("https", "poc", "renew", "renew"),
        "password-hashing": ("input", "mvp", "argon2id", "argon2id"),
        "fail-closed": ("internals", "poc", "refused", "refuses the request"),
        "error-number": ("internals", "poc", "error number", "error number"),
        "secrets-out-of-logs": ("internals", "poc", "passwords, keys and tokens left out", "without passwords"),
        "misconfiguration": ("internals", "mvp", "row-level security", "row-level security"),
    }

    @pytest.mark.parametrize("safeguard", sorted(SAFEGUARDS))
    def test_safeguard_is_a_never_skip_check_and_on_its_stage_list(self, safeguard: str) -> None:
        """Each never-skip safeguard is one of its basic's checks and first appears on its stage's checklist."""
        basic, stage, in_check, in_item = self.SAFEGUARDS[safeguard]
        checks = [c.lower() for c in never_skip()[basic]["checks"]]
        assert any(in_check in c for c in checks), (basic, checks)
        assert first_stage(in_item)[:1] == [stage], (safeguard, first_stage(in_item))

    def test_every_basic_is_on_the_first_list(self) -> None:
        """Every basic named in the never-skip table is an item of the proof-of-concept checklist."""
        poc = checklist("poc")
        for basic in never_skip().values():
            assert any(basic["name"].lower() in item for item in poc), basic["id"]

    def test_never_skip_total_is_the_sum_the_page_states(self) -> None:
        """The never-skip table's total is the sum of its basics' minutes, and never-skip.md states that total."""
        table = ask("table", name="never-skip")
        assert table["total_minutes"] == sum(b["minutes"] for b in table["basics"])
        assert f"about {table['total_minutes']} minutes" in (CONTENT / "never-skip.md").read_text(encoding="utf-8")


class TestChecklistsByStage:
    # item: (the stage where it starts to matter, the words that name it)
    ITEMS: ClassVar[dict[str, tuple[str, str]]] = {
        "error-tracking": ("mvp", "error tracking"),
        "spending-alerts": ("mvp", "spending alerts"),
        "point-in-time-recovery": ("mvp", "point-in-time recovery"),
        "copy-outside-the-account": ("mvp", "a copy kept outside your main account"),
        "privacy-notice": ("mvp", "privacy notice"),
        "delete-on-request": ("mvp", "delete a person's data"),
        "ai-disclosure": ("mvp", "talk to an ai"),
        "tests-on-every-change": ("alpha", "tests run on every change"),
        "staging": ("alpha", "staging copy"),
        "rollback": ("alpha", "rollback"),
        "migrations": ("alpha", "migration"),
        "restore-drill": ("production", "restore drill"),
        "expand-and-contract": ("production", "remove the old one last"),
        "ai-fallback": ("production", "fallback model"),
        "pinned-models": ("production", "pinned model versions"),
        "retirement-notices": ("production", "retirement notices"),
    }

    @pytest.mark.parametrize("item", sorted(ITEMS))
    def test_item_is_on_one_list_from_its_stage(self, item: str) -> None:
        """Each safeguard is on the checklist of the stage where it starts to matter, and on no other."""
        stage, words = self.ITEMS[item]
        assert first_stage(words) == [stage], (item, first_stage(words))


class TestPlanAndFlow:
    def test_plan_does_every_basic_now(self) -> None:
        """The plan gives every basic in the never-skip table the verdict 'Do it now', with no signals at all."""
        basics = ask("plan", signals={})["basics"]
        assert set(basics) == set(never_skip())
        assert {b["verdict"] for b in basics.values()} == {"do-now"}

    def test_general_flow_gives_the_basics_the_plans_verdict(self) -> None:
        """The general flow has an answer that ends in the verdict the plan gives the basics, in one step."""
        flow = ask("flow", topic="any", answers={})
        start = flow["map"]
        plan_verdict = next(iter(ask("plan", signals={})["basics"].values()))["verdict"]
        direct = [o["value"] for o in start["options"] if (o.get("verdict") or {}).get("id") == plan_verdict]
        assert direct, start
        answered = ask("flow", topic="any", answers={start["id"]: direct[0]})
        assert answered["done"] and answered["verdict"]["id"] == plan_verdict

    def test_rate_limits_on_the_checklist_agree_with_the_flow(self) -> None:
        """The alpha list asks for per-user rate limits on paid calls; the plan adds rate limiting once calls cost money."""
        assert first_stage("rate limits on anything that costs money")[:1] == ["alpha"]
        verdicts = ask("plan", signals={"paid_api": True})["verdicts"]
        assert verdicts["rate-limiting"]["verdict"] == "add-now"
