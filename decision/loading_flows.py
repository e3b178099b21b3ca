"""Reading the knowledge behind verdicts: question flows (with the graph checks and the rule
for unknowns), the stage finder and the safeguards. Part of loading; `loading.load` calls these.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
from collections.abc import Mapping

from .errors import DataError
from .knowledge import Flow, Option, Question, Safeguard, Signal, Stage, StageFinder, StageRaise, Verdict
from .protocol import MAX_FLOW_DEPTH, MAX_FLOW_QUESTIONS, MAX_QUESTION_ANSWERS
from .reading import TableReader, check_slug, conditions, read_toml, unique


def _user_labels(file: str, stages: list[Stage]) -> list[Stage]:
    """Each stage's `users` label filled from its numbers, so the two can't disagree: {start} is the
    first user count the stage covers (the stage before's max_users + 1, or min_users for the
    depended-on stage), {above} the count just below it, {max} its max_users."""
    out, start = [], 0
    for s in stages:
        first = s.min_users if s.depended_on else start
        if re.search(r"\d", re.sub(r"\{[^}]*\}", "", s.users)):
            raise DataError(
                file, s.id, f"users = '{s.users}' writes a number itself: take it from {{start}}, {{above}} or {{max}}"
            )
        try:
            label = s.users.format(start=first, above=first - 1, max=s.max_users)
        except (KeyError, IndexError, ValueError) as e:
            raise DataError(file, s.id, f"a users label may use only {{start}}, {{above}} and {{max}} ({e})") from None
        out.append(dataclasses.replace(s, users=label))
        if not s.depended_on:
            start = s.max_users + 1
    return out


def stages(base: pathlib.Path) -> StageFinder:
    file = "stages.toml"
    top = TableReader(file, read_toml(base, file), "-")
    out = [
        Stage(
            r.get("id", "str"),
            r.get("name", "str"),
            r.get("long_name", "str"),
            r.get("users", "str"),
            r.get("max_users", "int"),
            r.get("depended_on", "bool", False),
            r.get("question", "str"),
            r.get("meaning", "str"),
            r.get("takes", "str"),
            r.get("focus", "str"),
            r.get("skip", "str"),
            r.get("checklist", "strs"),
            r.get("min_users", "int", 0),
        )
        for r in top.tables("stage")
    ]
    unique(file, out)
    if sum(s.depended_on for s in out) != 1:
        raise DataError(file, "-", "exactly one stage must have depended_on = true")
    out = _user_labels(file, out)
    raises = []
    for r in top.tables("raise"):
        when = r.get("when", "str")
        if when not in STAGE_RAISES:
            raise r.fail(f"unknown 'when' '{when}': one of {', '.join(STAGE_RAISES)}")
        raises.append(StageRaise(when, r.get("why", "str"), r.get("items", "strs")))
    finder = StageFinder(
        tuple(out),
        tuple(raises),
        top.get("reason_users", "str"),
        top.get("reason_relied", "str"),
        top.get("reason_raised", "str"),
    )
    for template in (finder.reason_users, finder.reason_relied, finder.reason_raised):
        try:
            template.format(users="1", name="x", range="x")
        except (KeyError, IndexError, ValueError) as e:
            raise DataError(
                file, "-", f"a reason template may use only {{users}}, {{name}} and {{range}} ({e})"
            ) from None
    return finder


STAGE_RAISES = ("depends", "pays")


def safeguards(
    base: pathlib.Path, verdicts: Mapping[str, Verdict], signals: Mapping[str, Signal]
) -> tuple[tuple[Safeguard, ...], tuple[str, str]]:
    file = "safeguards.toml"
    top = TableReader(file, read_toml(base, file), "-")
    applies, not_yet = top.get("verdict", "str"), top.get("not_yet", "str")
    for v in (applies, not_yet):
        if v not in verdicts:
            raise DataError(file, "-", f"unknown reference: verdict '{v}'")
    kinds = {s.id: s.kind for s in signals.values()}
    out = []
    for r in top.tables("safeguard"):
        not_if = conditions(r, "not_if", kinds) if "not_if" in r.table else ()
        out.append(
            Safeguard(
                r.get("id", "str"),
                r.get("name", "str"),
                r.get("loses", "str"),
                r.get("checklist", "str"),
                r.get("reason", "str"),
                not_if,
                r.get("not_yet_reason", "str") if not_if else "",
            )
        )
    unique(file, out)
    return tuple(out), (applies, not_yet)


def flow(base: pathlib.Path, name: str, verdicts: Mapping[str, Verdict], signals: Mapping[str, Signal]) -> Flow:
    file = f"flows/{name}.toml"
    check_slug(file, name, "a flow's file name")
    top = TableReader(file, read_toml(base, file), name)
    topic = top.get("topic", "str")
    if topic != name:
        raise top.fail(f"topic should be '{name}', the file's name")
    kinds = {s.id: s.kind for s in signals.values()}
    questions = []
    for q in top.tables("question"):
        options = []
        for o in q.tables("option"):
            o.item = q.item
            opt = Option(
                o.get("value", "str"),
                o.get("label", "str"),
                o.get("next", "str", None),
                o.get("verdict", "str", None),
                o.get("reason", "str", None),
            )
            check_slug(file, opt.value, "an answer's value")
            if (opt.next is None) == (opt.verdict is None):
                raise q.fail(f"dead end: answer '{opt.value}' needs either 'next' or 'verdict'")
            if opt.verdict is not None and opt.verdict not in verdicts:
                raise q.fail(f"unknown reference: verdict '{opt.verdict}'")
            if opt.verdict is not None and opt.reason is None:
                raise q.fail(f"missing field 'reason' for answer '{opt.value}'")
            options.append(opt)
        if not options:
            raise q.fail("dead end: the question has no answers")
        if len({o.value for o in options}) != len(options):
            raise q.fail("duplicate answer value")
        question = Question(
            q.get("id", "str"),
            q.get("text", "str"),
            q.get("help", "str", ""),
            conditions(q, "yes_if", kinds) if "yes_if" in q.table else (),
            q.get("if_unknown", "str"),
            tuple(options),
        )
        if question.option(question.if_unknown) is None:
            raise q.fail(f"unknown reference: if_unknown '{question.if_unknown}' is not one of its answers")
        if question.yes_if and {o.value for o in options} != {"yes", "no"}:
            raise q.fail("a question bound to signals (yes_if) must have exactly the answers yes and no")
        questions.append(question)
    by_id = unique(file, questions)
    start = top.get("start", "str")
    if start not in by_id:
        raise DataError(file, name, f"unknown reference: start question '{start}'")
    for question in questions:
        for option in question.options:
            if option.next is not None and option.next not in by_id:
                raise DataError(file, question.id, f"unknown reference: next question '{option.next}'")
    _check_size(file, by_id)
    _check_graph(file, start, by_id)
    _check_depth(file, start, by_id)
    _check_unknowns(file, start, by_id, verdicts)
    return Flow(topic, top.get("title", "str"), start, by_id, top.get("general", "bool", False))


def _check_size(file: str, questions: Mapping[str, Question]) -> None:
    """At most MAX_FLOW_QUESTIONS questions of at most MAX_QUESTION_ANSWERS answers each."""
    if len(questions) > MAX_FLOW_QUESTIONS:
        raise DataError(file, "-", f"too big: {len(questions)} questions, a flow may have at most {MAX_FLOW_QUESTIONS}")
    for q in questions.values():
        if len(q.options) > MAX_QUESTION_ANSWERS:
            raise DataError(
                file, q.id, f"too many answers: {len(q.options)}, a question may have at most {MAX_QUESTION_ANSWERS}"
            )


def _check_graph(file: str, start: str, questions: Mapping[str, Question]) -> None:
    """Every question reachable from the start, and no path that loops back on itself.

    A depth-first walk with its own stack, so a long chain of questions can't exhaust Python's.
    """
    state: dict[str, str] = {start: "open"}
    trail = [start]
    stack = [iter([o.next for o in questions[start].options if o.next is not None])]
    while stack:
        qid = next(stack[-1], None)
        if qid is None:
            stack.pop()
            state[trail.pop()] = "done"
        elif state.get(qid) == "open":
            raise DataError(file, qid, "cycle: " + " -> ".join([*trail, qid]))
        elif qid not in state:
            state[qid] = "open"
            trail.append(qid)
            stack.append(iter([o.next for o in questions[qid].options if o.next is not None]))
    for qid in questions:
        if qid not in state:
            raise DataError(file, qid, f"unreachable question: no answer leads to it from '{start}'")


def _check_depth(file: str, start: str, questions: Mapping[str, Question]) -> None:
    """No path longer than MAX_FLOW_DEPTH questions (the graph is acyclic by now)."""
    order: list[str] = []  # questions, each after every question it leads to
    seen: set[str] = set()
    stack = [(start, False)]
    while stack:
        qid, finished = stack.pop()
        if finished:
            order.append(qid)
            continue
        if qid in seen:
            continue
        seen.add(qid)
        stack.append((qid, True))
        stack += [(o.next, False) for o in questions[qid].options if o.next is not None and o.next not in seen]
    depth: dict[str, int] = {}
    for qid in order:
        depth[qid] = 1 + max((depth[o.next] for o in questions[qid].options if o.next is not None), default=0)
    if depth[start] > MAX_FLOW_DEPTH:
        raise DataError(
            file,
            start,
            f"too deep: a path of {depth[start]} questions, a flow may ask at most {MAX_FLOW_DEPTH} in a row",
        )


def _check_unknowns(file: str, start: str, questions: Mapping[str, Question], verdicts: Mapping[str, Verdict]) -> None:
    """The rule for unknowns: an answer the reader didn't give only ever leads to the simpler verdict.

    At every question, the answer taken when it is unknown (`if_unknown`) may not end in a verdict
    that needs evidence (add-now), and may not lead on past an answer that would have stopped the
    flow at a simple verdict (not-yet, try-first). The error names the path that breaks the rule.
    """
    trails: dict[str, list[str]] = {start: []}  # the first path (shortest) to each question
    queue = [start]
    for qid in queue:
        for o in questions[qid].options:
            if o.next is not None and o.next not in trails:
                trails[o.next] = [*trails[qid], f"{qid}={o.value}"]
                queue.append(o.next)
    for qid in queue:
        q = questions[qid]
        taken = q.option(q.if_unknown)
        assert taken is not None  # checked when the question was read
        path = " -> ".join([*trails[qid], f"{qid}=(unknown) {taken.value}"])
        if taken.verdict is not None and verdicts[taken.verdict].needs_evidence:
            raise DataError(
                file,
                qid,
                f"an unknown answer leads to '{taken.verdict}' (path: {path}); an answer the reader "
                "didn't give may only lead to a simpler verdict",
            )
        stops = [o for o in q.options if o.verdict is not None and verdicts[o.verdict].simple]
        if taken.next is not None and stops:
            raise DataError(
                file,
                qid,
                f"an unknown answer goes on past '{stops[0].value}', which stops at '{stops[0].verdict}' "
                f"(path: {path}); when an answer can stop the flow at a simpler verdict, an unknown must take it",
            )
