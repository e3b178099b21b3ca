"""What can't be undone comes first (issue 19): the safeguards in safeguards.toml, the general
flow's first question, the never-skip page and the stage checklists name the same things, and a
plan or an `ask any` marks them "Do it now"."""

from __future__ import annotations

import pathlib
from typing import ClassVar

import pytest

from decision import api
from decision.loading import knowledge

K = knowledge()
ROOT = pathlib.Path(__file__).resolve().parents[2]


def section(page: str, heading: str) -> str:
    text = (ROOT / "content" / page).read_text(encoding="utf-8")
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def ask(**request: object) -> dict:
    response = api.handle({"v": 1, **request})
    assert response["ok"], response
    return response["result"]


@pytest.mark.parametrize("guard", K.safeguards, ids=lambda g: g.id)
class TestTheyAgree:
    def test_a_stage_checklist_holds_it(self, guard) -> None:
        """Each safeguard's checklist line is, word for word, an item of the PoC or MVP checklist."""
        early = [item for s in K.stages if s.id in ("poc", "mvp") for item in s.checklist]
        assert guard.checklist in early

    def test_the_never_skip_page_names_it(self, guard) -> None:
        assert f"**{guard.name}.**" in section("never-skip.md", "What can't be undone")

    def test_the_general_flow_asks_about_it_first(self, guard) -> None:
        flow = K.flows["any"]
        first = flow.questions[flow.start]
        assert guard.name.lower() in first.help.lower()
        assert "four basics" not in first.text  # the basics come second

    def test_the_decide_page_lists_it_in_the_first_step(self, guard) -> None:
        steps = section("decide.md", "Before you add anything")
        first = next(line for line in steps.splitlines() if line.startswith("1. "))
        assert guard.name.lower() in first.lower()


class TestDoItNow:
    def test_ask_any_about_a_loss_that_cant_be_undone(self) -> None:
        """`ask any`: yes (or not sure) to "could it lose something for good?" is "Do it now", at once."""
        flow = K.flows["any"]
        result = ask(op="flow", topic="any", answers={flow.start: "yes"})
        assert result["done"] and result["verdict"]["id"] == "do-now"
        assert [s["question"] for s in result["path"]] == [flow.start]

    def test_an_unknown_counts_as_cant_be_undone(self) -> None:
        from decision.flows import decide

        assert decide(K, "any", {})["verdict"]["id"] == "do-now"

    def test_a_plan_puts_them_first_and_does_them_now(self) -> None:
        result = ask(op="plan", signals={})
        assert list(result)[:3] == ["signals", "fields", "safeguards"]
        assert {v["verdict"] for v in result["safeguards"].values()} == {"do-now"}

    @pytest.mark.parametrize(("signal", "guard"), [("logins", "login-protection"), ("paid_api", "spending-caps")])
    def test_only_a_given_answer_puts_one_off(self, signal: str, guard: str) -> None:
        assert ask(op="plan", signals={signal: True})["safeguards"][guard]["verdict"] == "do-now"
        off = ask(op="plan", signals={signal: False})["safeguards"][guard]
        assert off["verdict"] == "not-yet" and off["reason"]

    def test_the_terminal_asks_it_first(self, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
        """`whatmatters ask any`, answering yes to the first question, prints DO IT NOW."""
        import io

        from decision.cli import commands as cli

        monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
        code = cli.main(["ask", "any"])
        out = capsys.readouterr().out
        assert code == 0 and K.flows["any"].questions["undo"].text in out
        assert K.verdicts["do-now"].label.upper() in out


class TestAssumptionsShown:
    """Every verdict that rests on an assumed answer says so, with what a different answer would give."""

    SIGNALS: ClassVar[dict[str, object]] = {"users": 50, "servers": 12, "must_not_lose_tasks": True, "task_seconds": 10}

    def test_the_plan_widget_and_record_say_what_was_assumed(self) -> None:
        response = api.handle({"v": 1, "op": "plan", "signals": self.SIGNALS, "render": True})
        assert response["ok"], response
        mq = response["result"]["verdicts"]["message-queues"]
        assert mq["verdict"] == "try-first" and [a["question"] for a in mq["assumptions"]] == mq["assumed"]
        card = response["html"].split('data-wm-topic="message-queues"', 1)[1].split("</li></ul>", 1)[0]
        assert "This rests on two answers you didn't give:" in card
        assert "Add it now if the answer is \u201cNo\u201d" in card
        record = response["record"]
        assert "### Answers assumed (not given)" in record
        assert "Message queues: Assumed \u201cYes\u201d to \u201cWould a jobs table" in record

    def test_a_measured_answer_is_not_listed(self) -> None:
        result = ask(op="plan", signals={"must_not_lose_tasks": False})
        assert result["verdicts"]["message-queues"]["assumptions"] == []
