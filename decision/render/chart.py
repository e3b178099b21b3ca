"""The conversation chart: cumulative cost over turns, drawn as SVG by the engine itself.

Round ticks on both axes, a point per chosen turn that shows its figures on hover and on
keyboard focus (CSS only: the point's own text), and the same numbers as a table.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..formatting import esc, money
from .html import CHAR_EM, data_table

# The drawing's own units; text is FONT units high (whatmatters.css: .wm-tick), and the page scales the whole SVG.
WIDTH, HEIGHT = 340, 230
LEFT, RIGHT, TOP, BOTTOM = 62, 14, 30, 44
FONT = 14
MAX_POINTS = 12  # focusable turns: every turn of a short chat, the ticks and the last of a long one


def nice_step(span: Decimal, most: int = 5, whole: bool = False) -> Decimal:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into at most `most` parts."""
    if span <= 0:
        return Decimal(1)
    power = Decimal(10) ** math.floor(math.log10(float(span / most)))
    for factor in ("1", "2", "2.5", "5", "10"):
        step = Decimal(factor) * power
        if whole and step != step.to_integral_value():
            continue
        if span / step <= most:
            return Decimal(1) if whole and step < 1 else step
    return Decimal(10) * power


def ticks(top: Decimal, whole: bool = False) -> list[Decimal]:
    """Round ticks from 0 past `top`: at least four of them, at most six."""
    step = nice_step(top, 5, whole)
    parts = max(math.ceil(top / step), 3)
    return [step * i for i in range(parts + 1)]


def dollars(usd: Decimal) -> str:
    """A tick's dollar figure: $2, $1,500, $0.25, $0.0015."""
    if usd == usd.to_integral_value():
        return f"${int(usd):,}"
    return money(float(usd))


def _chosen_turns(n: int, turn_ticks: list[Decimal]) -> list[int]:
    if n <= MAX_POINTS:
        return list(range(1, n + 1))
    picked = {int(t) for t in turn_ticks if 1 <= t <= n} | {1, n}
    return sorted(picked)


def conversation_chart(series: list[dict[str, Any]]) -> str:
    """A figure: the chart with labelled axes, its two lines named, and the numbers in a table."""
    n = len(series)
    first = Decimal(repr(series[0]["cost_usd"]))
    last = Decimal(repr(series[-1]["cumulative_usd"]))
    y_ticks = ticks(max(last, first * n))
    x_ticks = ticks(Decimal(n), whole=True)
    y_top, x_top = float(y_ticks[-1]) or 1.0, float(x_ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(turn: float) -> float:
        return LEFT + plot_w * turn / x_top

    def y(usd: float) -> float:
        return TOP + plot_h * (1 - usd / y_top)

    def line(points: list[tuple[float, float]]) -> str:
        return " ".join(f"{x(t):.1f},{y(u):.1f}" for t, u in points)

    grown = line([(p["turn"], p["cumulative_usd"]) for p in series])
    flat = line([(p["turn"], float(first * p["turn"])) for p in series])
    grid = "".join(
        f'<line x1="{LEFT}" y1="{y(float(t)):.1f}" x2="{WIDTH - RIGHT}" y2="{y(float(t)):.1f}" class="wm-grid"/>'
        f'<text x="{LEFT - 6}" y="{y(float(t)) + FONT / 3:.1f}" text-anchor="end" class="wm-tick wm-tick--y">{dollars(t)}</text>'
        for t in y_ticks
    )
    grid += "".join(
        f'<text x="{x(float(t)):.1f}" y="{TOP + plot_h + FONT + 4}" text-anchor="middle" class="wm-tick wm-tick--x">{int(t):,}</text>'
        for t in x_ticks
    )
    turns = _chosen_turns(n, x_ticks)
    points = "".join(_point(series[t - 1], float(first * t), x, y) for t in turns)
    svg = (
        f'<svg class="wm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-label="Cost so far at each turn, with and without the history; the numbers are in the table below">'
        f"{grid}"
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" class="wm-axis"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="wm-axis"/>'
        f'<text x="2" y="{TOP - 12}" class="wm-axis-title">Cost so far</text>'
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" class="wm-axis-title">Turn</text>'
        f'<polyline points="{flat}" class="wm-line wm-line--flat" fill="none"/>'
        f'<polyline points="{grown}" class="wm-line wm-line--history" fill="none"/>'
        f"{points}</svg>"
    )
    legend = (
        '<p class="wm-legend"><span class="wm-key wm-key--history">with history (each turn resends the chat)</span> '
        '<span class="wm-key wm-key--flat">without history</span></p>'
    )
    return f'<figure class="wm-figure">{svg}{legend}{_numbers(series, turns, first)}</figure>'


def _point(p: dict[str, Any], flat_usd: float, x: Any, y: Any) -> str:
    """A focusable point whose figures show beside it on hover and focus."""
    turn, usd = p["turn"], p["cumulative_usd"]
    said = f"Turn {turn:,}: {money(usd)} so far, {money(flat_usd)} without history"
    px, py = x(turn), y(usd)
    # The readout sits inside the plot: left of the point in the right half, right of it otherwise.
    right_half = px > LEFT + (WIDTH - LEFT - RIGHT) / 2
    anchor, tx = ("end", px - 10) if right_half else ("start", px + 10)
    ty = max(py - 10, TOP + FONT)
    shown = f"Turn {turn:,}: {money(usd)}"
    width = len(shown) * FONT * CHAR_EM + 12
    bx = tx - width + 6 if right_half else tx - 6
    return (
        f'<g class="wm-point" tabindex="0" role="img" aria-label="{esc(said)}">'
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5"/><g class="wm-readout" aria-hidden="true">'
        f'<rect x="{bx:.1f}" y="{ty - FONT - 2:.1f}" width="{width:.1f}" height="{FONT + 10}" rx="3"/>'
        f'<text x="{tx:.1f}" y="{ty + 2:.1f}" text-anchor="{anchor}">{esc(shown)}</text>'
        f"</g></g>"
    )


def _numbers(series: list[dict[str, Any]], turns: list[int], first: Decimal) -> str:
    rows = [
        [
            f"{t:,}",
            money(series[t - 1]["cost_usd"]),
            money(series[t - 1]["cumulative_usd"]),
            money(float(first * t)),
        ]
        for t in turns
    ]
    table = data_table(["Turn", "This turn", "So far, with history", "So far, without history"], rows, "wm-numbers")
    return f'<details class="wm-chart-numbers"><summary>The numbers behind the chart</summary>{table}</details>'
