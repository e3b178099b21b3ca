"""Own data that explodes or injects: flows as graphs, bounds at load, ids as slugs, valid pictures.

- A flow whose answers share a next question is drawn once per question (tree, picture and
  outline), each later meeting a "See above" link to it, so its page grows with its questions,
  not with its paths; loading refuses a flow too big or too deep with a sentence naming the file.
- Every id in the data is a slug; and should markup reach the renderer anyway (here planted
  in every id and label of the knowledge, past the loader), it is text on the page, never markup.
- The picture's geometry holds at any depth: no box narrower than its text, none past the edge.
"""

from __future__ import annotations

import dataclasses
import html.parser
import pathlib
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest

from decision import DataError, api, load
from decision.knowledge import Condition, Knowledge, Rule, Widget
from decision.loading import DATA_DIR, knowledge
from decision.protocol import MAX_FLOW_DEPTH, MAX_FLOW_QUESTIONS, MAX_QUESTION_ANSWERS
from decision.render import diagram

K = knowledge()
TOPIC = K.problems[0].id
FILE = f"flows/{TOPIC}.toml"
VERDICTS = list(K.verdicts)
MB = 1_000_000


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def write_flow(data: pathlib.Path, questions: list[tuple[str, list[tuple[str, str | None, str | None]]]]) -> None:
    """questions: (id, [(answer value, next question or None, verdict or None)]); the first one starts."""
    lines = [f'topic = "{TOPIC}"', 'title = "An own flow"', f'start = "{questions[0][0]}"']
    for qid, options in questions:
        lines += [
            "[[question]]",
            f'id = "{qid}"',
            f'text = "Is {qid} the case here?"',
            f'if_unknown = "{options[0][0]}"',
        ]
        for value, nxt, verdict in options:
            lines += ["[[question.option]]", f'value = "{value}"', f'label = "{value.capitalize()}"']
            lines += [f'next = "{nxt}"'] if nxt else [f'verdict = "{verdict}"', 'reason = "Because it is."']
    (data / FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def diamond(n: int) -> list[tuple[str, list[tuple[str, str | None, str | None]]]]:
    """n questions in a row, where yes and no both lead to the next one: 2**n paths."""
    out = []
    for i in range(n):
        nxt = f"q{i + 1}" if i + 1 < n else None
        out.append((f"q{i}", [("yes", nxt, None if nxt else VERDICTS[0]), ("no", nxt, None if nxt else VERDICTS[-1])]))
    return out


def chain(n: int) -> list[tuple[str, list[tuple[str, str | None, str | None]]]]:
    """n questions in a row, where yes leads on and no ends the flow."""
    return [
        (
            f"q{i}",
            [
                ("yes", f"q{i + 1}" if i + 1 < n else None, None if i + 1 < n else VERDICTS[0]),
                ("no", None, VERDICTS[-1]),
            ],
        )
        for i in range(n)
    ]


def flow_page(k: Knowledge, answers: dict[str, str] | None = None) -> str:
    """What a page carries for the flow: its whole tree, the picture and the outline."""
    response = api.handle({"v": 1, "op": "flow", "topic": TOPIC, "answers": answers or {}, "render": {"tree": True}}, k)
    assert response["ok"], response
    return str(response["html"])


def ids_and_links(page: str) -> tuple[list[str], list[str]]:
    return re.findall(r'\sid="([^"]+)"', page), re.findall(r'<a class="wm-see-above" href="#([^"]+)"', page)


class TestFlowsAreGraphs:
    def test_a_shared_question_is_drawn_once(self, data: pathlib.Path) -> None:
        """In a diamond, each question appears once in the tree, the picture and the outline; later meetings link to it."""
        write_flow(data, diamond(4))
        page = flow_page(load(data))
        for i in range(4):
            text = f"Is q{i} the case here?"
            assert page.count(f'<p class="wm-q">{text}</p>') == 1  # the tree spells it out once...
            assert page.count(f'<p class="wm-q">{text} <a class="wm-see-above"') == (1 if i else 0)  # ...links once
        ids, links = ids_and_links(page)
        assert len(links) == 2 * 3 and set(links) <= set(ids), (links, ids)  # every link has its target
        assert len(ids) == len(set(ids))

    def test_the_page_grows_with_questions_not_paths(self, data: pathlib.Path) -> None:
        """Twice the questions, about twice the HTML; a 30-question diamond (2**30 paths) stays under 1 MB."""
        sizes = {}
        for n in (6, 12):
            write_flow(data, diamond(n))
            sizes[n] = len(flow_page(load(data)))
        assert sizes[12] < 2.5 * sizes[6], sizes
        write_flow(data, diamond(30))
        k = load(data)
        started = time.perf_counter()
        page = flow_page(k, {f"q{i}": "no" for i in range(30)})
        took = time.perf_counter() - started
        assert len(page.encode("utf-8")) < MB
        print(f"30-question diamond: {len(page):,} characters of HTML in {took * 1000:.1f} ms")

    def test_the_readers_path_is_lit_through_a_shared_question(self, data: pathlib.Path) -> None:
        """Reaching a question by the branch that links to it still lights it and the answer taken there."""
        write_flow(data, diamond(3))
        svg = re.search(r"<svg.*?</svg>", flow_page(load(data), {"q0": "no", "q1": "yes", "q2": "no"}), re.S)
        assert svg
        lit = re.findall(r'<g class="wm-d-question wm-d-on( wm-d-again)?">', svg.group(0))
        assert len(lit) == 3 + 2  # each question once, and the two "see above" boxes the path went through
        assert len(re.findall(r'class="wm-d-verdict wm-badge--[\w-]+ wm-d-on"', svg.group(0))) == 1


class TestLoadBounds:
    def test_a_thousand_question_chain_is_refused_by_name(self, data: pathlib.Path) -> None:
        """1,000 questions in a row: a DataError naming the file and the bound, no RecursionError."""
        write_flow(data, chain(1000))
        with pytest.raises(DataError) as info:
            load(data)
        assert (
            info.value.file == FILE and "too big" in info.value.problem and str(MAX_FLOW_QUESTIONS) in str(info.value)
        )

    def test_a_chain_deeper_than_the_bound_is_refused_by_name(self, data: pathlib.Path) -> None:
        """Within the size bound but past the depth bound: refused, naming the file and the depth."""
        assert MAX_FLOW_DEPTH + 1 <= MAX_FLOW_QUESTIONS
        write_flow(data, chain(MAX_FLOW_DEPTH + 1))
        with pytest.raises(DataError) as info:
            load(data)
        assert info.value.file == FILE and "too deep" in info.value.problem
        assert f"{MAX_FLOW_DEPTH + 1} questions" in info.value.problem

    def test_a_chain_at_the_bound_loads_and_draws(self, data: pathlib.Path) -> None:
        """The deepest flow allowed loads and renders."""
        write_flow(data, chain(MAX_FLOW_DEPTH))
        assert "q0" in load(data).flows[TOPIC].questions
        assert len(flow_page(load(data))) < MB

    def test_too_many_answers_to_one_question(self, data: pathlib.Path) -> None:
        options = [(f"a{i}", None, VERDICTS[0]) for i in range(MAX_QUESTION_ANSWERS + 1)]
        write_flow(data, [("q0", options)])
        with pytest.raises(DataError) as info:
            load(data)
        assert info.value.file == FILE and info.value.item == "q0" and "too many answers" in info.value.problem

    def test_a_long_cycle_is_a_cycle_not_a_recursion_error(self, data: pathlib.Path) -> None:
        """The cycle check walks with its own stack: a loop through 90 questions is named as a cycle."""
        questions = chain(90)
        questions[-1] = ("q89", [("yes", "q0", None), ("no", None, VERDICTS[0])])
        write_flow(data, questions)
        with pytest.raises(DataError) as info:
            load(data)
        assert "cycle" in info.value.problem and info.value.file == FILE


# --- ids are slugs; markup planted past the loader stays text -------------------------------

PLANT = "\"'><wm-planted planted=1>&amp;<!--"


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_comment(self, data: str) -> None:
        self.comments += 1


# Fields that aren't the guide's words or ids: formats, operators, regexes and dates the engine reads.
_KEEP = {"op", "kind", "source", "effective", "starts", "unit", "defences"}


def planted(value: Any, mark: Callable[[str], str]) -> Any:
    """`value` with `mark` applied to every id, reference and text in it (the same way, so references hold)."""
    if isinstance(value, str):
        return mark(value)
    if isinstance(value, Widget):  # a widget's options name request fields
        return value
    if isinstance(value, Rule):  # so do a rule's conditions
        return dataclasses.replace(value, strategy=mark(value.strategy), reason=mark(value.reason))
    if isinstance(value, Condition):
        return dataclasses.replace(value, field=mark(value.field))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: planted(getattr(value, f.name), mark) for f in dataclasses.fields(value) if f.name not in _KEEP
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {planted(key, mark): planted(item, mark) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(planted(item, mark) for item in value)
    return value


def planted_knowledge() -> Knowledge:
    k: Knowledge = planted(K, lambda text: text + PLANT)
    return k


def requests_for(k: Knowledge) -> list[dict[str, Any]]:
    set_id = k.default_price_set
    model = next(iter(k.price_sets[set_id].models))
    out: list[dict[str, Any]] = []
    for topic, flow in k.flows.items():
        first = flow.questions[flow.start]
        out.append({"op": "flow", "topic": topic, "answers": {}, "render": {"tree": True}})
        out.append({"op": "flow", "topic": topic, "answers": {first.id: first.options[0].value}, "render": True})
    out += [
        {"op": "plan", "signals": {}, "render": True},
        {"op": "stage", "users": 50, "depends": False, "render": True},
        {
            "op": "cost",
            "set": set_id,
            "model": model,
            "input_tokens": 500,
            "output_tokens": 500,
            "turns": 5,
            "render": True,
        },
        {
            "op": "conversation",
            "set": set_id,
            "model": model,
            "turns": 5,
            "system": 1,
            "user": 1,
            "reply": 1,
            "render": True,
        },
        {"op": "models", "set": set_id, "render": True},
        {"op": "compare", "set": set_id, "input_tokens": 5, "output_tokens": 5, "render": True},
        {"op": "topics", "render": True},
        {"op": "latency", "seconds": 30, "render": True},
        {
            "op": "context",
            "turns": 50,
            "tokens_per_turn": 900,
            "window": 8000,
            "needs_early_context": True,
            "render": True,
        },
    ]
    from decision.table_registry import TABLES

    out += [{"op": "table", "name": name, "render": True} for name in TABLES if not TABLES[name].required]
    return out


class TestEscaping:
    @pytest.mark.parametrize(
        ("file", "old", "new"),
        [
            ("verdicts.toml", 'id = "not-yet"', 'id = "not-yet\\" onclick=\\"x"'),
            ("signals.toml", None, None),
            ("stages.toml", None, None),
            ("basics.toml", None, None),
            ("problems.toml", None, None),
            ("flows/caching.toml", 'id = "repeated"', 'id = "Repeated<b>"'),
            ("flows/caching.toml", 'value = "no"', 'value = "no x"'),
            ("ai.toml", None, None),
            ("prices/seed-2024.toml", None, None),
        ],
    )
    def test_every_kind_of_id_must_be_a_slug(
        self, data: pathlib.Path, file: str, old: str | None, new: str | None
    ) -> None:
        """An id with markup, a quote, a space or a capital is refused at load, naming the file."""
        path = data / file
        text = path.read_text(encoding="utf-8")
        if old is None:  # the file's first id, whatever it is
            first = re.search(r'^\s*id = "([^"]+)"', text, re.M)
            assert first, file
            old, new = first.group(0), first.group(0).replace(first.group(1), first.group(1) + "<i>")
        assert old in text and new is not None
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(DataError) as info:
            load(data)
        assert info.value.file == file and "slug" in info.value.problem

    def test_a_flow_file_name_must_be_a_slug(self, data: pathlib.Path) -> None:
        shutil.copyfile(data / "flows" / "any.toml", data / "flows" / "Any Thing.toml")
        with pytest.raises(DataError) as info:
            load(data)
        assert info.value.file == "flows/Any Thing.toml" and "slug" in info.value.problem

    def test_markup_in_every_id_and_label_stays_text(self) -> None:
        """Markup planted in every id, reference and text of the knowledge never becomes a tag, attribute or comment."""
        k = planted_knowledge()
        rendered = 0
        for request in requests_for(k):
            response = api.handle({"v": 1, **request}, k)
            assert response["ok"], (request, response)
            page = response["html"]
            reader = _Tags()
            reader.feed(page)
            assert "wm-planted" not in reader.tags and "planted" not in reader.attributes, request["op"]
            assert reader.comments == 0, request["op"]
            assert "wm-planted planted" in page.replace("&lt;", "<"), request["op"]  # the words are there, as text
            rendered += 1
        assert rendered >= 20


# --- the picture's geometry at any depth -------------------------------------------------------


def check_geometry(svg: str) -> int:
    """Every box has a positive width within the picture, and every line of its text fits inside it."""
    root = ET.fromstring(svg)
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    boxes = 0
    for g in root.iter("g"):
        rect = g.find("rect")
        assert rect is not None
        x, w, h = float(rect.get("x", "0")), float(rect.get("width", "0")), float(rect.get("height", "0"))
        assert w > 0 and h > 0 and x >= 0 and x + w <= width, (x, w, h)
        for tspan in g.iter("tspan"):
            words = tspan.text or ""
            assert float(tspan.get("x", "0")) >= x
            assert float(tspan.get("x", "0")) + len(words) * diagram.CHAR <= x + w, (words, x, w)
        boxes += 1
    for label in root.iter("text"):
        if "wm-d-answer" in (label.get("class") or ""):
            lines = [t.text or "" for t in label.iter("tspan")] or [label.text or ""]
            for line in lines:
                assert float(label.get("x", "0")) + len(line) * diagram.CHAR <= width, line
    return boxes


class TestGeometry:
    @pytest.mark.parametrize("depth", [3, 11, 20, MAX_FLOW_DEPTH])
    def test_a_deep_flow_draws_valid_boxes(self, data: pathlib.Path, depth: int) -> None:
        """From 11 levels on the old picture had negative widths; now every box keeps its text inside."""
        write_flow(data, chain(depth))
        page = flow_page(load(data))
        svg = re.search(r"<svg.*?</svg>", page, re.S)
        assert svg
        assert check_geometry(svg.group(0)) == 2 * depth + 1  # a question and a verdict per level, two at the end

    def test_long_words_and_labels_wrap_inside(self) -> None:
        """A word longer than a box is cut to fit; a long answer label wraps onto more lines."""
        node = {
            "id": "q",
            "text": "Supercalifragilisticexpialidocious" * 4 + " and a few more words that go on",
            "options": [
                {
                    "value": "yes",
                    "label": "Yes, " + "very long label " * 8,
                    "next": None,
                    "verdict": {"id": "now", "label": "Add it now " * 6, "reason": "r"},
                },
            ],
        }
        svg = re.search(r"<svg.*?</svg>", diagram.flow_diagram(node, [], "t", "x"), re.S)
        assert svg and check_geometry(svg.group(0)) == 2

    def test_the_real_flows_keep_their_pictures(self) -> None:
        """The guide's own flows draw valid pictures too (and the same as before: shallow flows step in by INDENT)."""
        for topic in K.flows:
            response = api.handle({"v": 1, "op": "flow", "topic": topic, "answers": {}, "render": True})
            svg = re.search(r"<svg.*?</svg>", response["html"], re.S)
            assert svg and check_geometry(svg.group(0)) > 0
