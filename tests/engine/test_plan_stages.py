"""The stage finder and the personal plan: from users and measured signals to verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from decision import api, stages
from decision.loading import knowledge

K = knowledge()
HUGE = 10_000_000_000


def ask(op: str, **fields: Any) -> dict[str, Any]:
    response = api.handle({"v": 1, "op": op, **fields})
    assert response["ok"], response
    return response["result"]


def plan(**signals: Any) -> dict[str, Any]:
    return ask("plan", signals=signals)


def verdict(result: dict[str, Any], topic: str) -> str:
    return result["verdicts"][topic]["verdict"]


class TestStage:
    # The seed: PoC is just you, MVP 1-100 users, Alpha the 100s, Beta the 1,000s.
    @pytest.mark.parametrize(
        ("users", "stage"),
        [
            (0, "poc"),
            (1, "poc"),
            (2, "mvp"),
            (100, "mvp"),
            (101, "alpha"),
            (999, "alpha"),
            (1000, "beta"),
            (50_000, "beta"),
            (HUGE, "beta"),
        ],
    )
    def test_boundaries(self, users: int, stage: str) -> None:
        """Each user count lands in the stage whose range covers it, without people depending on it."""
        result = ask("stage", users=users)
        assert result["stage"]["id"] == stage
        assert result["users"] == users and result["depends"] is False
        assert result["stage"]["checklist"] == list(next(s for s in K.stages if s.id == stage).checklist)

    @pytest.mark.parametrize("users", [101, 1000, HUGE])
    def test_depends_past_an_mvp_means_production(self, users: int) -> None:
        """Once people depend on it and it has outgrown an MVP, it is in production."""
        production = next(s for s in K.stages if s.depended_on)
        assert users >= production.min_users
        assert ask("stage", users=users, depends=True)["stage"]["id"] == production.id == "production"

    @pytest.mark.parametrize(("users", "stage"), [(0, "poc"), (1, "poc"), (40, "mvp"), (100, "mvp")])
    @pytest.mark.parametrize(("depends", "pays"), [(True, False), (False, True), (True, True)])
    def test_a_small_product_people_rely_on_keeps_its_stage(
        self, users: int, stage: str, depends: bool, pays: bool
    ) -> None:
        """Reliance and payment add safeguards to a small product; they don't make it 'everything matters'."""
        result = ask("stage", users=users, depends=depends, pays=pays)
        assert result["stage"]["id"] == stage
        assert result["stage"]["skip"] != next(s for s in K.stages if s.depended_on).skip
        assert {g["when"] for g in result["safeguards"]} <= {"depends", "pays"}
        assert "pays" in {g["when"] for g in result["safeguards"]} or not pays
        assert f"{users:,} users" in result["reason"]
        for group in result["safeguards"]:
            assert group["items"] and not set(group["items"]) & set(result["stage"]["checklist"])

    def test_no_reliance_no_safeguards(self) -> None:
        result = ask("stage", users=40)
        assert result["safeguards"] == [] and "40 users" in result["reason"]

    def test_whole_floats_are_counts(self) -> None:
        """1000.0 users is 1000 users (JSON from a browser may carry a whole float)."""
        assert ask("stage", users=1000.0)["stage"]["id"] == ask("stage", users=1000)["stage"]["id"]

    @pytest.mark.parametrize(
        ("users", "code"),
        [(-1, "out-of-range"), (HUGE + 1, "out-of-range"), (2.5, "wrong-type"), ("many", "wrong-type")],
    )
    def test_bad_users(self, users: Any, code: str) -> None:
        """Negative, beyond-the-planet, fractional or textual user counts are refused."""
        response = api.handle({"v": 1, "op": "stage", "users": users})
        assert response["ok"] is False and response["error"]["code"] == code

    def test_stages_listed_in_order(self) -> None:
        """The answer lists every stage in the guide's order, to draw the journey."""
        assert [s["id"] for s in ask("stage", users=5)["stages"]] == [s.id for s in K.stages]

    def test_find_covers_every_count(self) -> None:
        """Going up in users never goes back a stage."""
        order = [s.id for s in K.stages]
        seen = [order.index(stages.find(K, n, False).id) for n in (0, 1, 2, 10, 100, 101, 500, 999, 1000, HUGE)]
        assert seen == sorted(seen)


class TestPlan:
    def test_no_signals(self) -> None:
        """With no signals every topic still gets a verdict from the verdict set, and each says what it assumed."""
        result = plan()
        assert set(result["verdicts"]) == {p.id for p in K.problems}
        for topic, v in result["verdicts"].items():
            assert v["verdict"] in K.verdicts, topic
            assert v["reason"] and v["label"] == K.verdicts[v["verdict"]].label
            assert v["assumed"], topic

    def test_basics_are_always_do_now(self) -> None:
        """The four basics are always to do now, whatever the signals."""
        for result in (plan(), plan(users=HUGE, paid_api=True)):
            assert set(result["basics"]) == {b.id for b in K.basics}
            assert {b["verdict"] for b in result["basics"].values()} == {"do-now"}

    @pytest.mark.parametrize(
        ("signals", "topic", "expected"),
        [
            ({"paid_api": True}, "rate-limiting", "add-now"),
            ({"paid_api": False, "abuse_seen": True}, "rate-limiting", "add-now"),
            ({"paid_api": False, "abuse_seen": False, "users": 1000}, "rate-limiting", "add-now"),
            ({"paid_api": False, "abuse_seen": False, "users": 999}, "rate-limiting", "not-yet"),
            ({"paid_api": False, "logins": True, "users": 12}, "rate-limiting", "add-now"),
            ({"paid_api": False, "logins": False, "abuse_seen": False, "users": 12}, "rate-limiting", "not-yet"),
            ({"services": 12, "servers": 12, "bigger_server_possible": True}, "kubernetes", "try-first"),
            ({"services": 12, "servers": 12, "bigger_server_possible": False}, "kubernetes", "add-now"),
            ({"services": 12, "servers": 12}, "kubernetes", "try-first"),
            ({"services": 1, "servers": 12, "bigger_server_possible": False}, "kubernetes", "not-yet"),
            ({"services": 12, "servers": 3, "bigger_server_possible": False}, "kubernetes", "not-yet"),
            ({"servers": 12, "bigger_server_possible": False}, "kubernetes", "not-yet"),
            ({"repeated_reads": False, "p95_seconds": 5}, "caching", "not-yet"),
            ({"repeated_reads": True, "p95_seconds": 0.4, "db_cpu": 20}, "caching", "not-yet"),
            ({"repeated_reads": True, "p95_seconds": 3, "queries_optimized": False}, "caching", "try-first"),
            ({"repeated_reads": True, "db_cpu": 95, "queries_optimized": True}, "caching", "try-first"),
            (
                {"repeated_reads": True, "db_cpu": 95, "queries_optimized": True, "bigger_server_possible": False},
                "caching",
                "try-first",  # HTTP caching is still unknown, and an unknown never leads to add-now
            ),
            ({"repeated_reads": True, "p95_seconds": 0.9, "queries_optimized": False}, "caching", "try-first"),
            ({"repeated_reads": True, "p95_seconds": 0.8, "db_cpu": 20}, "caching", "not-yet"),
            ({"task_seconds": 1}, "background-jobs", "not-yet"),
            ({"task_seconds": 8}, "background-jobs", "try-first"),
            ({"task_seconds": 45}, "background-jobs", "add-now"),
            ({"must_not_lose_tasks": False}, "message-queues", "not-yet"),
            ({"must_not_lose_tasks": True}, "message-queues", "try-first"),
            ({"engineers": 5}, "microservices", "not-yet"),
            ({"engineers": 40}, "microservices", "try-first"),
        ],
    )
    def test_signals_drive_verdicts(self, signals: dict[str, Any], topic: str, expected: str) -> None:
        """Specific measured signals give the verdict the guide's rules lead to."""
        assert verdict(plan(**signals), topic) == expected

    def test_plan_agrees_with_the_flows(self) -> None:
        """Each plan verdict is what walking that topic's flow with the plan's own answers gives."""
        result = plan(
            users=5000,
            paid_api=False,
            abuse_seen=False,
            repeated_reads=True,
            p95_seconds=3,
            queries_optimized=True,
            task_seconds=10,
            must_not_lose_tasks=True,
            engineers=50,
            servers=20,
            bigger_server_possible=False,
        )
        for topic, v in result["verdicts"].items():
            answers = {s["question"]: s["answer"] for s in v["path"]}
            walked = ask("flow", topic=topic, answers=answers)
            assert walked["done"] and walked["verdict"]["id"] == v["verdict"], topic

    def test_given_signals_are_not_assumed(self) -> None:
        """A question settled by a signal is not listed as assumed."""
        result = plan(paid_api=True)
        assert result["verdicts"]["rate-limiting"]["assumed"] == []

    def test_signals_echoed(self) -> None:
        """The plan echoes every signal, None for those not given."""
        result = plan(servers=12)
        assert set(result["signals"]) == set(K.signals)
        assert result["signals"]["servers"] == 12 and result["signals"]["paid_api"] is None

    @pytest.mark.parametrize(
        ("signals", "code"),
        [
            ({"moon_phase": 3}, "unknown-signal"),
            ({"paid_api": "yes"}, "wrong-type"),
            ({"servers": True}, "wrong-type"),
            ({"servers": 1.5}, "wrong-type"),
            ({"db_cpu": 101}, "out-of-range"),
            ({"users": -1}, "out-of-range"),
        ],
    )
    def test_bad_signals(self, signals: dict[str, Any], code: str) -> None:
        """Unknown, mistyped or out-of-range signals are refused by name."""
        response = api.handle({"v": 1, "op": "plan", "signals": signals})
        assert response["ok"] is False and response["error"]["code"] == code
        assert f"'{next(iter(signals))}'" in response["error"]["message"]


class TestStageWidget:
    def test_forty_paying_users_see_their_safeguards_and_why(self) -> None:
        """The stage widget for 40 paying users who rely on it: MVP, the reason, their own number, the safeguards."""
        response = api.handle({"v": 1, "op": "stage", "users": 40, "depends": True, "pays": True, "render": True})
        assert response["ok"], response
        result, html = response["result"], response["html"]
        assert 'data-wm-stage="mvp"' in html and "Unlimited" not in html
        assert "<dd>40 people</dd><dt>Users at this stage</dt><dd>1-100</dd>" in html
        assert result["reason"].replace("'", "&#x27;") in html
        assert 'name="pays" data-wm-key="pays" data-wm-type="bool" checked' in html
        for group in result["safeguards"]:
            assert all(f"<li>{item.replace(chr(39), '&#x27;')}</li>" in html for item in group["items"])
        assert "it all matters now" not in html
