"""Question flows: from the answers so far to the next question or a verdict."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from .errors import RequestError
from .knowledge import Flow, Knowledge, Question, any_holds


def flow_for(k: Knowledge, topic: str) -> Flow:
    if topic not in k.flows:
        close = difflib.get_close_matches(topic, list(k.flows), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else f" Topics: {', '.join(k.flows)}."
        raise RequestError("unknown-topic", f"There is no question flow about '{topic}'.{hint}")
    return k.flows[topic]


def _step(question: Question, value: str) -> dict[str, Any]:
    option = question.option(value)
    if option is None:
        choices = ", ".join(o.value for o in question.options)
        raise RequestError("bad-answer", f"'{value}' is not an answer to \"{question.text}\" Choose one of: {choices}.")
    return {"question": question.id, "text": question.text, "answer": option.value, "label": option.label}


def walk(k: Knowledge, topic: str, answers: Mapping[str, str]) -> dict[str, Any]:
    """Follow the flow from its start using `answers` (question id -> answer value).

    Answers to questions off the path are ignored, so a reader can go back and change one.
    """
    flow = flow_for(k, topic)
    for qid in answers:
        if qid not in flow.questions:
            raise RequestError("unknown-question", f"The flow about '{topic}' has no question '{qid}'.")
    return _follow(k, flow, lambda q: answers.get(q.id))


def decide(k: Knowledge, topic: str, signals: Mapping[str, Any]) -> dict[str, Any]:
    """Answer the flow from measured signals; a question they can't settle takes its if_unknown.

    `assumed` lists the questions answered that way; `assumptions` says, for each, which answer
    was assumed, which signals would settle it, and where each other answer leads, so a reader
    sees what would change the verdict.
    """
    flow = flow_for(k, topic)
    assumed: list[str] = []

    def answer(q: Question) -> str:
        measured = any_holds(q.yes_if, signals) if q.yes_if else None
        if measured is None:
            assumed.append(q.id)
            return q.if_unknown
        return "yes" if measured else "no"

    result = _follow(k, flow, answer)
    result["assumed"] = assumed
    result["assumptions"] = [assumption(k, flow.questions[qid]) for qid in assumed]
    return result


def assumption(k: Knowledge, q: Question) -> dict[str, Any]:
    taken = q.option(q.if_unknown)
    assert taken is not None  # loading checked it
    settle = list(dict.fromkeys(c.field for c in q.yes_if))
    others = []
    for o in q.options:
        if o.value == q.if_unknown:
            continue
        verdict = k.verdicts[o.verdict] if o.verdict is not None else None
        others.append(
            {
                "answer": o.label,
                "verdict": verdict.id if verdict else None,
                "label": verdict.label if verdict else None,
            }
        )
    return {
        "question": q.id,
        "text": q.text,
        "assumed": taken.label,
        "signals": [{"id": sid, "label": k.signals[sid].label} for sid in settle],
        "otherwise": others,
    }


def _follow(k: Knowledge, flow: Flow, answer_of: Callable[[Question], Any]) -> dict[str, Any]:
    path: list[dict[str, Any]] = []
    question = flow.questions[flow.start]
    while True:
        value = answer_of(question)
        if value is None:
            return {
                "topic": flow.topic,
                "title": flow.title,
                "done": False,
                "path": path,
                "question": question_view(question),
                "verdict": None,
            }
        if not isinstance(value, str):
            raise RequestError("bad-answer", f"The answer to \"{question.text}\" must be text such as 'yes' or 'no'.")
        path.append(_step(question, value))
        option = question.option(value)
        assert option is not None  # _step refused any other answer
        if option.verdict is not None:
            verdict = k.verdicts[option.verdict]
            return {
                "topic": flow.topic,
                "title": flow.title,
                "done": True,
                "path": path,
                "question": None,
                "verdict": {
                    "id": verdict.id,
                    "label": verdict.label,
                    "reason": option.reason,
                    "summary": verdict.summary,
                },
            }
        question = flow.questions[option.next or ""]


def question_view(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "help": q.help,
        "options": [{"value": o.value, "label": o.label} for o in q.options],
    }


def tree(k: Knowledge, flow: Flow, qid: str | None = None) -> dict[str, Any]:
    """The whole flow from `qid` (its start by default) as nested questions, answers and verdicts.

    A flow is a graph: two answers may lead to one question. That question is spelled out once,
    where a depth-first reading first meets it (marked `"shared": true`); every later answer
    that leads to it gets `{"id", "text", "again": true}`, so the tree grows with the number of
    questions and answers, never with the number of paths.
    """
    root = qid or flow.start
    leads = Counter(o.next for q in flow.questions.values() for o in q.options if o.next is not None)
    drawn: set[str] = set()

    def node(qid: str) -> dict[str, Any]:
        q = flow.questions[qid]
        if qid in drawn:
            return {"id": q.id, "text": q.text, "again": True}
        drawn.add(qid)
        options = []
        for o in q.options:
            if o.next is not None:
                options.append({"value": o.value, "label": o.label, "next": node(o.next), "verdict": None})
            else:
                verdict = k.verdicts[o.verdict or ""]
                options.append(
                    {
                        "value": o.value,
                        "label": o.label,
                        "next": None,
                        "verdict": {"id": verdict.id, "label": verdict.label, "reason": o.reason},
                    }
                )
        out: dict[str, Any] = {"id": q.id, "text": q.text, "options": options}
        if leads[qid] > 1:
            out["shared"] = True
        return out

    return node(root)


def paths(flow: Flow) -> list[list[tuple[str, str]]]:
    """Every path through the flow as (question id, answer value) pairs, each ending in a verdict."""
    out: list[list[tuple[str, str]]] = []

    def go(qid: str, trail: list[tuple[str, str]]) -> None:
        for o in flow.questions[qid].options:
            step = [*trail, (qid, o.value)]
            if o.next is None:
                out.append(step)
            else:
                go(o.next, step)

    go(flow.start, [])
    return out
