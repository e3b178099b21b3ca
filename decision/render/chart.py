"""The conversation chart: cumulative cost over turns, drawn as SVG by the engine itself."""

from __future__ import annotations

from typing import Any

from ..formatting import esc, money


def conversation_chart(series: list[dict[str, Any]], width: int = 480, height: int = 200) -> str:
    """An SVG line of cumulative cost against turns, with the straight line of no history."""
    pad = 36
    top = max(p["cumulative_usd"] for p in series) or 1.0
    n = len(series)
    first = series[0]["cost_usd"]

    def xy(i: int, usd: float) -> str:
        x = pad + (width - 2 * pad) * (i / max(n - 1, 1))
        y = height - pad - (height - 2 * pad) * (usd / top)
        return f"{x:.1f},{y:.1f}"

    grown = " ".join(xy(i, p["cumulative_usd"]) for i, p in enumerate(series))
    flat = " ".join(xy(i, first * (i + 1)) for i in range(n))
    return (
        f'<svg class="wm-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Cumulative cost over {n} turns: {esc(money(series[-1]["cumulative_usd"]))} with history">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" class="wm-axis"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" class="wm-axis"/>'
        f'<polyline points="{flat}" class="wm-line wm-line--flat" fill="none"/>'
        f'<polyline points="{grown}" class="wm-line wm-line--history" fill="none"/>'
        f'<text x="{pad}" y="{pad - 8}" class="wm-label">{esc(money(top))}</text>'
        f'<text x="{width - pad}" y="{height - 10}" text-anchor="end" class="wm-label">turn {n}</text></svg>'
    )
