"""Question flows: every path of every topic, walked through the one door, ends in a verdict.

The paths come from the data (`decision.flows.paths`), so a new question or topic is
covered without touching this file.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from decision import api, flows
from decision.loading import knowledge

K = knowledge()
PATHS = [(topic, path) for topic, flow in K.flows.items() for path in flows.paths(flow)]


def path_id(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(f"{q}={a}" for q, a in value)
    return str(value)


def ask(topic: Any, answers: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"v": 1, "op": "flow", "topic": topic}
    if answers is not None:
        request["answers"] = answers
    return api.handle(request)


def walk(topic: str, answers: dict[str, str]) -> dict[str, Any]:
    response = ask(topic, answers)
    assert response["ok"], response
    return response["result"]


class TestPaths:
    def test_every_topic_has_paths(self) -> None:
        """Every flow has at least two paths, and the list of paths has no repeats."""
        for flow in K.flows.values():
            found = flows.paths(flow)
            assert len(found) >= 2
            assert len({tuple(p) for p in found}) == len(found)

    def test_paths_cover_every_answer(self) -> None:
        """Between them, a flow's paths use every answer of every question."""
        for flow in K.flows.values():
            used = {step for path in flows.paths(flow) for step in path}
            every = {(q.id, o.value) for q in flow.questions.values() for o in q.options}
            assert used == every, flow.topic

    def test_paths_end_in_a_verdict(self) -> None:
        """Each path follows `next` links from the start and its last answer carries a verdict."""
        for flow in K.flows.values():
            for path in flows.paths(flow):
                assert path[0][0] == flow.start
                for (qid, value), (next_qid, _) in itertools.pairwise(path):
                    assert flow.questions[qid].option(value).next == next_qid
                last = flow.questions[path[-1][0]].option(path[-1][1])
                assert last.next is None and last.verdict in K.verdicts

    @pytest.mark.parametrize(("topic", "path"), PATHS, ids=path_id)
    def test_path_walked_through_handle(self, topic: str, path: list[tuple[str, str]]) -> None:
        """Answering along a path through `api.handle` ends done, with the path's verdict and reason."""
        result = walk(topic, dict(path))
        assert result["done"] is True
        assert result["question"] is None
        assert result["topic"] == topic
        assert [(s["question"], s["answer"]) for s in result["path"]] == path
        last = K.flows[topic].questions[path[-1][0]].option(path[-1][1])
        assert result["verdict"]["id"] in K.verdicts
        assert result["verdict"]["id"] == last.verdict
        assert result["verdict"]["reason"] == last.reason
        assert result["verdict"]["label"] == K.verdicts[last.verdict].label

    @pytest.mark.parametrize(("topic", "path"), PATHS, ids=path_id)
    def test_partial_answers_give_the_next_question(self, topic: str, path: list[tuple[str, str]]) -> None:
        """Every proper prefix of a path is not done and asks the path's next question, with its answers."""
        flow = K.flows[topic]
        for n in range(len(path)):
            result = walk(topic, dict(path[:n]))
            assert result["done"] is False
            assert result["verdict"] is None
            q = flow.questions[path[n][0]]
            assert result["question"]["id"] == q.id
            assert result["question"]["text"] == q.text
            assert [o["value"] for o in result["question"]["options"]] == [o.value for o in q.options]
            assert len(result["path"]) == n

    def test_answers_off_the_path_are_ignored(self) -> None:
        """Answers to questions the path never reaches don't change the verdict (a reader went back)."""
        for topic, path in PATHS:
            flow = K.flows[topic]
            on_path = {q for q, _ in path}
            extra = {q.id: q.options[0].value for q in flow.questions.values() if q.id not in on_path}
            plain = walk(topic, dict(path))
            assert walk(topic, {**extra, **dict(path)})["verdict"] == plain["verdict"]


class TestFriendlyErrors:
    def test_no_answers_asks_the_first_question(self) -> None:
        """With no answers the flow asks its start question."""
        for topic, flow in K.flows.items():
            result = walk(topic, {})
            assert result["done"] is False and result["question"]["id"] == flow.start

    def test_unknown_topic(self) -> None:
        """An unknown topic is named and close topics are suggested."""
        topic = next(t for t in K.flows if len(t) > 4)
        typo = topic[:-1]
        response = ask(typo)
        assert not response["ok"]
        assert response["error"]["code"] == "unknown-topic"
        assert f"'{typo}'" in response["error"]["message"]
        assert topic in response["error"]["message"]

    def test_unknown_topic_with_nothing_close(self) -> None:
        """A topic nothing like any other lists the topics there are."""
        response = ask("zzzzzzzzzz")
        message = response["error"]["message"]
        assert response["error"]["code"] == "unknown-topic"
        assert all(t in message for t in K.flows)

    def test_bad_answer(self) -> None:
        """An answer that isn't one of the question's is refused, quoting the question and listing the choices."""
        for topic, flow in K.flows.items():
            q = flow.questions[flow.start]
            response = ask(topic, {q.id: "perhaps"})
            assert response["error"]["code"] == "bad-answer"
            message = response["error"]["message"]
            assert "'perhaps'" in message and q.text in message
            assert all(o.value in message for o in q.options)

    def test_unknown_question_id(self) -> None:
        """An answer to a question the flow doesn't have is refused, naming it."""
        topic = next(iter(K.flows))
        response = ask(topic, {"no-such-question": "yes"})
        assert response["error"]["code"] == "unknown-question"
        assert "'no-such-question'" in response["error"]["message"] and topic in response["error"]["message"]

    @pytest.mark.parametrize("answers", [["yes"], "yes", 3, {"q": 1}, {"q": None}, {"q": ["yes"]}, {"q": True}])
    def test_answers_of_the_wrong_shape(self, answers: Any) -> None:
        """Answers that aren't an object of texts get a wrong-type error, not a crash."""
        topic = next(iter(K.flows))
        flow = K.flows[topic]
        if isinstance(answers, dict):
            answers = {flow.start: answers["q"]}
        response = ask(topic, answers)
        assert not response["ok"]
        assert response["error"]["code"] in ("wrong-type", "bad-answer")
        assert response["error"]["message"].endswith(".")

    def test_answer_keys_that_are_not_text(self) -> None:
        """A Python caller's non-text question id gets a wrong-type error, not the catch-all."""
        response = ask(next(iter(K.flows)), {1: "yes"})
        assert response["error"]["code"] == "wrong-type"

    def test_topic_of_the_wrong_type(self) -> None:
        """A topic that isn't text is refused."""
        assert ask(["caching"])["error"]["code"] == "wrong-type"
        assert api.handle({"v": 1, "op": "flow"})["error"]["code"] == "missing-field"


class TestDecide:
    def test_no_signals_takes_if_unknown(self) -> None:
        """With no signals each flow follows the if_unknown answers and says which questions it assumed."""
        for topic, flow in K.flows.items():
            result = flows.decide(K, topic, {})
            assert result["done"] is True
            assert result["assumed"] == [s["question"] for s in result["path"]]
            for step in result["path"]:
                assert step["answer"] == flow.questions[step["question"]].if_unknown

    def test_measured_signal_answers_its_question(self) -> None:
        """A question bound to a flag signal is answered yes when the flag is true and no when false."""
        for topic, flow in K.flows.items():
            q = flow.questions[flow.start]
            flags = [c for c in q.yes_if if c.op == "is"]
            if not flags:
                continue
            for value, answer in ((flags[0].value, "yes"), (not flags[0].value, "no")):
                result = flows.decide(K, topic, {flags[0].field: value})
                assert result["path"][0]["answer"] == answer
                assert q.id not in result["assumed"]
