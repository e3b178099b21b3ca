"""A picture of a whole question flow, drawn as SVG from the flow's tree (see flows.tree).

Questions are boxes, each answer a labelled branch to the next box, each verdict a
coloured end box with its name. The reader's path so far is highlighted. The picture is
one row per node, indented by depth, so it stays readable on a phone; a nested list says
the same for screen readers and for anyone who prefers text.
"""

from __future__ import annotations

from typing import Any

from ..formatting import esc
from .html import badge

WIDTH = 300
FONT = 14
LINE = 18  # one line of text
INDENT = 22  # how far each answer steps in from its question
LABEL_ROW = 22  # the row that carries an answer's label above its branch
PAD = 8  # inside a box
GAP = 6  # between a box and the next answer's label
CHAR = FONT * 0.56  # an average character's width, for wrapping


def _wrap(text: str, width: float) -> list[str]:
    """Lines of `text` that fit `width` drawing units (whole words; a longer word gets its own line)."""
    most = max(int(width / CHAR), 8)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class _Drawing:
    """Boxes and branches laid out top to bottom, each row below the last."""

    def __init__(self, on_path: set[tuple[str, str]]) -> None:
        self.on_path = on_path
        self.parts: list[str] = []
        self.y = 4.0

    def box(self, x: float, lines: list[str], cls: str) -> None:
        """A box at (x, self.y) holding `lines`."""
        height = len(lines) * LINE + 2 * PAD
        top = self.y
        text = "".join(
            f'<tspan x="{x + PAD:.0f}" y="{top + PAD + (i + 1) * LINE - 4:.0f}">{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.parts.append(
            f'<g class="{cls}"><rect x="{x:.0f}" y="{top:.0f}" width="{WIDTH - x - 2:.0f}" '
            f'height="{height:.0f}" rx="6"/><text>{text}</text></g>'
        )
        self.y += height

    def question(self, node: dict[str, Any], x: float, reached: bool) -> None:
        cls = "wm-d-question wm-d-on" if reached else "wm-d-question"
        self.box(x, _wrap(node["text"], WIDTH - x - 2 - 2 * PAD), cls)
        trunk_x = x + INDENT / 2
        trunk_top = self.y
        for option in node["options"]:
            taken = reached and (node["id"], option["value"]) in self.on_path
            self.y += GAP
            branch_y = self.y + LABEL_ROW - 6
            on = " wm-d-on" if taken else ""
            self.parts.append(
                f'<path class="wm-d-edge{on}" d="M{trunk_x:.0f},{trunk_top:.0f} V{branch_y + 12:.0f} '
                f'H{x + INDENT:.0f}" fill="none"/>'
                f'<text class="wm-d-answer{on}" x="{trunk_x + 6:.0f}" y="{branch_y:.0f}">{esc(option["label"])}</text>'
            )
            self.y += LABEL_ROW
            if option["next"] is not None:
                self.question(option["next"], x + INDENT, taken)
            else:
                v = option["verdict"]
                cls = f"wm-d-verdict wm-badge--{v['id']}" + (" wm-d-on" if taken else "")
                self.box(x + INDENT, _wrap(v["label"], WIDTH - x - INDENT - 2 - 2 * PAD), cls)


def _outline(node: dict[str, Any], on_path: set[tuple[str, str]], reached: bool) -> str:
    items = []
    for option in node["options"]:
        taken = reached and (node["id"], option["value"]) in on_path
        mark = ' <strong class="wm-d-yours">(your answer)</strong>' if taken else ""
        if option["next"] is not None:
            inner = _outline(option["next"], on_path, taken)
        else:
            inner = badge(option["verdict"]["id"], option["verdict"]["label"])
        items.append(f"<li>{esc(option['label'])}{mark}: {inner}</li>")
    return f"{esc(node['text'])}<ul>{''.join(items)}</ul>"


def flow_diagram(tree: dict[str, Any], path: list[dict[str, Any]], title: str) -> str:
    """The flow's whole tree as a figure, with the answers in `path` (question, answer) highlighted."""
    on_path = {(step["question"], step["answer"]) for step in path}
    drawing = _Drawing(on_path)
    drawing.question(tree, 2, True)
    height = drawing.y + 4
    svg = (
        f'<svg class="wm-diagram-svg" viewBox="0 0 {WIDTH} {height:.0f}" aria-hidden="true" '
        f'data-wm-path="{esc(" ".join(f"{q}={a}" for q, a in sorted(on_path)))}">{"".join(drawing.parts)}</svg>'
    )
    outline = _outline(tree, on_path, True)
    return (
        f'<figure class="wm-diagram"><figcaption>The whole flow: {esc(title)}</figcaption>{svg}'
        f'<details class="wm-diagram-text"><summary>The flow as a list</summary><div>{outline}</div></details>'
        "</figure>"
    )
