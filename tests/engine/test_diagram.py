"""The picture of every flow: drawn from the flow's data, its path highlighted, its text behind it."""

from __future__ import annotations

import html
import itertools
import pathlib
import re
import shutil
from decimal import Decimal
from typing import Any

import pytest

from decision import api, flows
from decision.loading import knowledge, load
from decision.render.chart import ticks

DATA = pathlib.Path(api.__file__).parent / "data"
K = knowledge()


def flow_html(topic: str, answers: dict[str, str] | None = None, k: Any = None, **render: bool) -> str:
    response = api.handle({"v": 1, "op": "flow", "topic": topic, "answers": answers or {}, "render": render or True}, k)
    assert response["ok"], response
    html: str = response["html"]
    return html


def svg_of(html: str) -> str:
    found = re.search(r'<svg class="wm-diagram-svg".*?</svg>', html, re.S)
    assert found, "no flow diagram in the widget"
    return found.group(0)


def texts(svg: str) -> str:
    """The words the diagram shows, lines joined."""
    return html.unescape(" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)))


class TestDiagram:
    @pytest.mark.parametrize("topic", sorted(K.flows))
    def test_every_flow_is_drawn_from_its_data(self, topic: str) -> None:
        """Every question and every verdict of the flow appears in its diagram, and each answer labels a branch."""
        page = flow_html(topic, tree=True)
        svg = svg_of(page)
        words = texts(svg)
        flow = K.flows[topic]
        for q in flow.questions.values():
            assert " ".join(q.text.split()) in words, q.id
            for o in q.options:
                assert f">{o.label}</text>" in html.unescape(svg), (q.id, o.value)
                if o.verdict:
                    assert K.verdicts[o.verdict].label in words
                    assert f"wm-badge--{o.verdict}" in svg
        assert '<details class="wm-diagram-text">' in page  # the same flow as text

    def test_changing_a_question_in_the_data_changes_the_diagram(self, tmp_path: pathlib.Path) -> None:
        """A question reworded in a copy of the data is what the diagram then shows."""
        copy = tmp_path / "data"
        shutil.copytree(DATA, copy)
        file = copy / "flows" / "caching.toml"
        old = K.flows["caching"].questions["repeated"].text
        new = "Do many requests read exactly the same records over and over?"
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        before = svg_of(flow_html("caching"))
        after = svg_of(flow_html("caching", k=load(copy)))
        assert old in texts(before) and old not in texts(after)
        assert new in texts(after)

    @pytest.mark.parametrize("topic", sorted(K.flows))
    def test_highlighted_path_matches_the_answers(self, topic: str) -> None:
        """After each answer on the way, exactly those answers' branches and questions are highlighted."""
        for path in flows.paths(K.flows[topic]):
            for n in range(len(path) + 1):
                given = dict(path[:n])
                svg = svg_of(flow_html(topic, given))
                marked = re.search(r'data-wm-path="([^"]*)"', svg)
                assert marked and set(marked.group(1).split()) == {f"{q}={a}" for q, a in given.items()}
                lit = re.findall(r'<text class="wm-d-answer wm-d-on"[^>]*>([^<]*)</text>', svg)
                labels = [K.flows[topic].questions[q].option(a).label for q, a in given.items()]  # type: ignore[union-attr]
                assert lit == labels
                # A finished flow lights its verdict; an unfinished one lights none.
                verdicts_lit = re.findall(r'class="wm-d-verdict wm-badge--([\w-]+) wm-d-on"', svg)
                assert len(verdicts_lit) == (1 if n == len(path) else 0)

    def test_every_flow_topic_page_shows_its_diagram(self) -> None:
        """The page fence's first state (the whole tree) already carries the diagram beside it."""
        page = flow_html("caching", tree=True)
        assert '<div class="wm-flow-grid">' in page and '<div class="wm-tree">' in page


class TestChartTicks:
    @pytest.mark.parametrize("top", ["0.0003", "0.017", "1", "3.2", "47", "999", "123456"])
    def test_four_to_six_round_ticks(self, top: str) -> None:
        """The chart's axes get 4-6 evenly spaced round ticks from 0 reaching the top value."""
        found = ticks(Decimal(top))
        assert 4 <= len(found) <= 6 and found[0] == 0 and found[-1] >= Decimal(top)
        steps = {b - a for a, b in itertools.pairwise(found)}
        assert len(steps) == 1
        assert steps.pop().normalize().as_tuple().digits[0] in (1, 2, 5)
