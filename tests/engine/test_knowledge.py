"""Loading and validating decision/data/: every kind of broken data is refused by name.

Each test copies the real data into tmp_path, breaks one thing, and checks that `load`
raises a DataError naming the file, the id and the problem. Question flows are broken by
writing a small flow of our own over one topic's file, so the tests don't depend on the
wording of the guide's real questions. Duplicate ids, missing fields, wrong types and the other
refusals are in test_knowledge_refusals.py.
"""

from __future__ import annotations

import pathlib

from decision import load
from decision.flows import decide
from decision.loading import knowledge
from helpers.knowledge import (
    FLOW_FILE,
    TOPIC,
    VERDICT,
    assert_names,
    flow_text,
    good_flow,
    option,
    question,
    refused,
    write_flow,
)


def replace_once(path: pathlib.Path, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) in the file at `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


class TestValidData:
    def test_package_data_loads(self) -> None:
        """The data shipped in the package passes every check."""
        k = load()
        assert k.flows and k.verdicts and k.signals and k.stages and k.basics and k.problems and k.price_sets

    def test_copy_loads_the_same_topics(self, data: pathlib.Path) -> None:
        """An untouched copy of the data loads to the same topics, verdicts and price sets."""
        k = load(data)
        assert list(k.flows) == list(knowledge().flows)
        assert k.verdicts == knowledge().verdicts
        assert list(k.price_sets) == list(knowledge().price_sets)

    def test_own_flow_loads(self, data: pathlib.Path) -> None:
        """The small flow the other tests break is itself valid, so each refusal is caused by the break."""
        write_flow(data, good_flow())
        flow = load(data).flows[TOPIC]
        assert flow.start == "a" and set(flow.questions) == {"a", "b"}

    def test_every_problem_has_a_flow_and_every_option_lands(self) -> None:
        """Every problem has a flow, and every answer leads to a known question or a known verdict."""
        k = knowledge()
        assert {p.id for p in k.problems} | {"any"} == set(k.flows)
        for flow in k.flows.values():
            for q in flow.questions.values():
                for o in q.options:
                    assert (o.next in flow.questions) or (o.verdict in k.verdicts)


class TestUnknownReference:
    def test_next_to_missing_question(self, data: pathlib.Path) -> None:
        """An answer whose `next` names a question that doesn't exist is refused, naming the question it sits on."""
        flow = good_flow()
        flow[0]["option"][0]["next"] = "nowhere"
        write_flow(data, flow)
        # b is now unreachable too; the unknown reference must be reported first.
        assert_names(refused(data), FLOW_FILE, "a", "unknown reference", "nowhere")

    def test_verdict_that_does_not_exist(self, data: pathlib.Path) -> None:
        """An answer ending in a verdict id that verdicts.toml lacks is refused."""
        flow = good_flow()
        flow[1]["option"][1]["verdict"] = "maybe-later"
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "unknown reference", "verdict", "maybe-later")

    def test_signal_that_does_not_exist(self, data: pathlib.Path) -> None:
        """A question bound to a signal that signals.toml lacks is refused."""
        flow = good_flow()
        flow[0]["yes_if"] = [{"signal": "moon_phase", "op": ">=", "value": 3}]
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "unknown reference", "signal", "moon_phase")

    def test_start_question_that_does_not_exist(self, data: pathlib.Path) -> None:
        """A flow whose start names a missing question is refused, naming the topic."""
        write_flow(data, good_flow(), start="zzz")
        assert_names(refused(data), FLOW_FILE, TOPIC, "unknown reference", "zzz")

    def test_if_unknown_that_is_not_an_answer(self, data: pathlib.Path) -> None:
        """A question whose if_unknown is not one of its own answers is refused."""
        flow = good_flow()
        flow[1]["if_unknown"] = "perhaps"
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "unknown reference", "perhaps")

    def test_rule_with_unknown_strategy(self, data: pathlib.Path) -> None:
        """A latency rule pointing at a strategy that doesn't exist is refused, naming the rule."""
        replace_once(data / "ai.toml", 'strategy = "instant"', 'strategy = "teleport"')
        assert_names(refused(data), "ai.toml", "latency_rule[0]", "unknown reference", "teleport")

    def test_problem_without_a_flow(self, data: pathlib.Path) -> None:
        """A problem whose flow file is missing is refused, naming the problem."""
        (data / FLOW_FILE).unlink()
        assert_names(refused(data), "problems.toml", TOPIC, "unknown reference", f"flows/{TOPIC}.toml")

    def test_flow_without_a_problem(self, data: pathlib.Path) -> None:
        """A flow file for a topic that problems.toml doesn't know is refused."""
        (data / "flows" / "teleporters.toml").write_text(flow_text(good_flow(), topic="teleporters"))
        assert_names(refused(data), "flows/teleporters.toml", "teleporters", "unknown reference", "problem")


class TestUnknownsRule:
    """An answer the reader didn't give may only lead to the simpler verdict (verdicts.toml's
    needs_evidence and simple), and loading names the flow, the question and the path."""

    def test_an_unknown_that_reaches_add_now_is_refused(self, data: pathlib.Path) -> None:
        flow = good_flow()
        flow[1] = question("b", [option("yes", verdict="not-yet"), option("no", verdict="add-now")], if_unknown="no")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "add-now", "path: a=yes -> b=(unknown) no")

    def test_an_unknown_that_goes_past_a_simple_stop_is_refused(self, data: pathlib.Path) -> None:
        flow = good_flow()
        flow[0]["if_unknown"] = "yes"  # "no" would have stopped at not-yet
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "goes on past 'no'", "path: a=(unknown) yes")

    def test_an_unknown_may_stop_at_do_now_or_go_past_add_now(self, data: pathlib.Path) -> None:
        """What can't be undone may be assumed; going on past an add-now answer is the simpler way."""
        flow = [
            question("a", [option("yes", verdict="add-now"), option("no", next="b")], if_unknown="no"),
            question("b", [option("yes", verdict="do-now"), option("no", verdict="add-now")], if_unknown="yes"),
        ]
        write_flow(data, flow)
        assert set(load(data).flows[TOPIC].questions) == {"a", "b"}

    def test_every_shipped_flow_follows_the_rule(self) -> None:
        """Walking any shipped flow with no signals at all never ends in a verdict that needs evidence."""
        k = knowledge()
        for topic in k.flows:
            result = decide(k, topic, {})
            assert not k.verdicts[result["verdict"]["id"]].needs_evidence, topic


class TestCycle:
    def test_answer_leading_back(self, data: pathlib.Path) -> None:
        """A path that comes back to a question already asked is refused, and the loop is spelled out."""
        flow = good_flow()
        flow[1]["option"][0] = option("yes", next="a")
        write_flow(data, flow)
        err = refused(data)
        assert_names(err, FLOW_FILE, "a", "cycle", "a -> b -> a")

    def test_question_pointing_at_itself(self, data: pathlib.Path) -> None:
        """A question whose answer leads to itself is a cycle."""
        flow = good_flow()
        flow[1]["option"][1] = option("no", next="b")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "cycle", "b -> b")


class TestDeadEnd:
    def test_option_with_neither_next_nor_verdict(self, data: pathlib.Path) -> None:
        """An answer that leads nowhere is refused, naming its question and the answer."""
        flow = good_flow()
        flow[1]["option"][0] = option("yes")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "dead end", "'yes'")

    def test_option_with_both_next_and_verdict(self, data: pathlib.Path) -> None:
        """An answer with both a next question and a verdict is ambiguous and refused."""
        flow = good_flow()
        flow[0]["option"][0] = option("yes", next="b", verdict=VERDICT)
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "dead end", "'yes'")

    def test_question_with_no_options(self, data: pathlib.Path) -> None:
        """A question with an empty list of answers is refused."""
        flow = good_flow()
        flow[1] = question("b", [], if_unknown="no")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "dead end", "no answers")

    def test_last_rule_with_conditions(self, data: pathlib.Path) -> None:
        """A rules list whose last rule has conditions leaves some cases without advice and is refused."""
        path = data / "ai.toml"
        text = path.read_text(encoding="utf-8")
        at = text.rfind("[[latency_rule]]")
        assert "when = []" in text[at:]
        path.write_text(
            text[:at] + text[at:].replace("when = []", 'when = [{ field = "seconds", op = ">", value = 0 }]', 1),
            encoding="utf-8",
        )
        assert_names(refused(data), "ai.toml", "latency_rule", "dead end", "last rule")


class TestUnreachable:
    def test_question_no_answer_leads_to(self, data: pathlib.Path) -> None:
        """A question that no path from the start reaches is refused, naming it and the start."""
        write_flow(data, [*good_flow(), question("c", [option("yes", verdict=VERDICT), option("no", verdict=VERDICT)])])
        assert_names(refused(data), FLOW_FILE, "c", "unreachable", "'a'")
