"""`whatmatters ask`: questions asked one by one on stdin, or answered up front with --answer."""

from __future__ import annotations

import pytest

from decision import flows
from helpers.cli import K, feed, run, run_json


class TestAsk:
    @pytest.mark.parametrize("topic", sorted(K.flows))
    def test_interactive(self, topic: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Answers piped on stdin are asked one by one and end in the path's verdict."""
        flow = K.flows[topic]
        path = max(flows.paths(flow), key=len)
        feed(monkeypatch, "".join(f"{value}\n" for _, value in path))
        code, out, err = run(capsys, "ask", topic)
        assert code == 0, err
        for qid, _ in path:
            assert flow.questions[qid].text in out
        last = flow.questions[path[-1][0]].option(path[-1][1])
        assert K.verdicts[last.verdict].label.upper() in out

    def test_interactive_accepts_labels_and_prefixes(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A reply may be an answer's label or the start of its value, and a wrong reply is asked again."""
        topic = "caching"
        feed(monkeypatch, "maybe\nY\nyes\nnot yet\n")
        code, out, err = run(capsys, "ask", topic)
        assert code == 0, err
        assert "Please answer one of: yes/no" in out
        assert K.verdicts["try-first"].label.upper() in out

    def test_answers_up_front(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--answer settles questions without asking; enough of them give the verdict with no stdin at all."""
        for topic, flow in K.flows.items():
            path = flows.paths(flow)[0]
            argv = ["ask", topic] + [x for q, v in path for x in ("--answer", f"{q}={v}")]
            result = run_json(capsys, *argv)
            last = flow.questions[path[-1][0]].option(path[-1][1])
            assert result["done"] is True and result["verdict"]["id"] == last.verdict

    def test_json_with_partial_answers(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With --json and too few answers the next question is printed instead of asked."""
        flow = K.flows["caching"]
        result = run_json(capsys, "ask", "caching")
        assert result["done"] is False and result["question"]["id"] == flow.start

    def test_mixed_up_front_and_interactive(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Questions answered with --answer are not asked again."""
        flow = K.flows["caching"]
        feed(monkeypatch, "no\n")
        code, out, err = run(capsys, "ask", "caching", "--answer", f"{flow.start}=yes")
        assert code == 0, err
        assert out.count(flow.questions[flow.start].text) == 1  # only in the summary, never asked
