"""A picture of a whole question flow, drawn as SVG from the flow's tree (see flows.tree).

Questions are boxes, each answer a labelled branch to the next box, each verdict a
coloured end box with its name. The reader's path so far is highlighted. The picture is
one row per node, indented by depth, so it stays readable on a phone; a nested list says
the same for screen readers and for anyone who prefers text.
"""

from __future__ import annotations

from typing import Any

from ..formatting import esc
from .html import CHAR_EM, badge

WIDTH = 300
FONT = 14  # text height in drawing units, as whatmatters.css sets it (.wm-diagram-svg text)
LINE = 18  # one line of text
INDENT = 22  # how far each answer steps in from its question
MIN_BOX = 120  # the narrowest a box gets: a deep flow steps in less instead
LABEL_ROW = 22  # the row that carries an answer's label above its branch
PAD = 8  # inside a box
GAP = 6  # between a box and the next answer's label
CHAR = FONT * CHAR_EM  # an average character's width, for wrapping
AGAIN = "(see above)"  # after a question the picture has drawn already


def _wrap(text: str, width: float) -> list[str]:
    """Lines of `text` that fit `width` drawing units: whole words, a word too long for a line cut."""
    most = max(int(width / CHAR), 1)
    lines: list[str] = []
    for word in text.split():
        while len(word) > most:
            lines.append(word[:most])
            word = word[most:]
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        elif word:
            lines.append(word)
    return lines or [""]


def _depth(node: dict[str, Any]) -> int:
    """How many questions deep the tree goes (a question drawn again counts as one)."""
    below = [_depth(o["next"]) for o in node.get("options", ()) if o["next"] is not None]
    return 1 + max(below, default=0)


def _reached(node: dict[str, Any], on_path: set[tuple[str, str]]) -> set[str]:
    """The questions the reader has come to: the first, and every one an answer given leads to."""
    out = {node["id"]}
    stack = [node]
    while stack:
        here = stack.pop()
        for option in here.get("options", ()):
            if option["next"] is not None:
                if (here["id"], option["value"]) in on_path:
                    out.add(option["next"]["id"])
                stack.append(option["next"])
    return out


class _Drawing:
    """Boxes and branches laid out top to bottom, each row below the last.

    Each level steps in by `step` (INDENT, or less for a deep flow), so the deepest box is
    still MIN_BOX wide and every line of text is wrapped to fit inside its box.
    """

    def __init__(self, on_path: set[tuple[str, str]], reached: set[str], depth: int) -> None:
        self.on_path = on_path
        self.reached = reached
        self.step = min(float(INDENT), (WIDTH - 4 - MIN_BOX) / max(depth, 1))
        self.parts: list[str] = []
        self.y = 4.0

    def box(self, x: float, text: str, cls: str) -> None:
        """A box at (x, self.y) holding `text`, wrapped to its width."""
        width = WIDTH - x - 2
        lines = _wrap(text, width - 2 * PAD)
        height = len(lines) * LINE + 2 * PAD
        top = self.y
        tspans = "".join(
            f'<tspan x="{x + PAD:.0f}" y="{top + PAD + (i + 1) * LINE - 4:.0f}">{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.parts.append(
            f'<g class="{esc(cls)}"><rect x="{x:.0f}" y="{top:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" rx="6"/><text>{tspans}</text></g>'
        )
        self.y += height

    def label(self, x: float, text: str, on: str) -> tuple[str, int]:
        """An answer's label at x, above its branch, and how many lines it takes."""
        lines = _wrap(text, WIDTH - 2 - x)
        base = self.y + LABEL_ROW - 6
        if len(lines) == 1:
            inner = esc(lines[0])
        else:
            inner = "".join(
                f'<tspan x="{x:.0f}" y="{base + i * LINE:.0f}">{esc(line)}</tspan>' for i, line in enumerate(lines)
            )
        return f'<text class="wm-d-answer{on}" x="{x:.0f}" y="{base:.0f}">{inner}</text>', len(lines)

    def question(self, node: dict[str, Any], x: float) -> None:
        cls = "wm-d-question wm-d-on" if node["id"] in self.reached else "wm-d-question"
        if node.get("again"):
            self.box(x, f"{node['text']} {AGAIN}", cls + " wm-d-again")
            return
        self.box(x, node["text"], cls)
        trunk_x = x + self.step / 2
        trunk_top = self.y
        for option in node["options"]:
            taken = (node["id"], option["value"]) in self.on_path
            self.y += GAP
            on = " wm-d-on" if taken else ""
            text, lines = self.label(trunk_x + 6, option["label"], on)
            branch_y = self.y + LABEL_ROW - 6 + (lines - 1) * LINE
            self.parts.append(
                f'<path class="wm-d-edge{on}" d="M{trunk_x:.0f},{trunk_top:.0f} V{branch_y + 12:.0f} '
                f'H{x + self.step:.0f}" fill="none"/>{text}'
            )
            self.y += LABEL_ROW + (lines - 1) * LINE
            if option["next"] is not None:
                self.question(option["next"], x + self.step)
            else:
                v = option["verdict"]
                self.box(x + self.step, v["label"], f"wm-d-verdict wm-badge--{v['id']}" + on)


def _outline(node: dict[str, Any], on_path: set[tuple[str, str]], anchor: str) -> str:
    """The flow as nested lists; a question met again links to where it was spelled out."""
    if node.get("again"):
        return f'{esc(node["text"])} <a class="wm-see-above" href="#{esc(anchor)}-{esc(node["id"])}">See above</a>'
    items = []
    for option in node["options"]:
        taken = (node["id"], option["value"]) in on_path
        mark = ' <strong class="wm-d-yours">(your answer)</strong>' if taken else ""
        if option["next"] is not None:
            inner = _outline(option["next"], on_path, anchor)
        else:
            inner = badge(option["verdict"]["id"], option["verdict"]["label"])
        items.append(f"<li>{esc(option['label'])}{mark}: {inner}</li>")
    text = esc(node["text"])
    if node.get("shared"):
        text = f'<span id="{esc(anchor)}-{esc(node["id"])}">{text}</span>'
    return f"{text}<ul>{''.join(items)}</ul>"


def flow_diagram(tree: dict[str, Any], path: list[dict[str, Any]], title: str, topic: str = "") -> str:
    """The flow's whole tree as a figure, with the answers in `path` (question, answer) highlighted."""
    on_path = {(step["question"], step["answer"]) for step in path}
    drawing = _Drawing(on_path, _reached(tree, on_path), _depth(tree))
    drawing.question(tree, 2)
    height = drawing.y + 4
    svg = (
        f'<svg class="wm-diagram-svg" viewBox="0 0 {WIDTH} {height:.0f}" aria-hidden="true" '
        f'data-wm-path="{esc(" ".join(f"{q}={a}" for q, a in sorted(on_path)))}">{"".join(drawing.parts)}</svg>'
    )
    outline = _outline(tree, on_path, f"wm-outline-{topic}")
    return (
        f'<figure class="wm-diagram"><figcaption>The whole flow: {esc(title)}</figcaption>{svg}'
        f'<details class="wm-diagram-text"><summary>The flow as a list</summary><div>{outline}</div></details>'
        "</figure>"
    )
