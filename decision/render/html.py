"""The small HTML pieces every table and widget is built from; each escapes what it is given."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from ..formatting import esc

# An average character's width in ems of its font: the drawings (chart, diagram) size their text by it.
CHAR_EM = 0.56


def bullet_list(items: Iterable[Any], cls: str) -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def checklist(items: Iterable[str], group: str, checked: Iterable[int] = (), *, live_key: str | None = None) -> str:
    """Checkboxes valued by position; `live_key` makes ticks update that request field in a live widget."""
    ticked = set(checked)
    rows = "".join(
        f'<li><label><input type="checkbox" name="{esc(group)}" value="{i}"{" checked" if i in ticked else ""}>'
        f" {esc(text)}</label></li>"
        for i, text in enumerate(items)
    )
    live = f' data-wm-list="{esc(live_key)}" data-wm-refresh="record"' if live_key else ""
    return f'<ul class="wm-checklist" data-wm-checklist="{esc(group)}"{live}>{rows}</ul>'


def data_table(
    head: list[str],
    rows: list[list[str]],
    cls: str,
    *,
    stacked: bool = False,
    numeric: Collection[int] = (),
    sortable: bool = False,
) -> str:
    """A table whose `rows` hold HTML already escaped by the caller; a `stacked` one turns into
    one card per row on a phone, each cell under its column's name (data-label). `numeric`
    columns are right-aligned (and sort as numbers); a `sortable` table gets sort buttons and a
    filter field from widget.js, and stays a plain table without it."""
    num = [' class="wm-num"' if i in numeric else "" for i in range(len(head))]
    thead = "".join(f'<th scope="col"{n}>{esc(h)}</th>' for n, h in zip(num, head, strict=True))
    labels = [f' data-label="{esc(h)}"' if stacked else "" for h in head]
    body = "".join(
        "<tr>"
        + "".join(f"<td{n}{label}>{cell}</td>" for n, label, cell in zip(num, labels, row, strict=False))
        + "</tr>"
        for row in rows
    )
    cls += " wm-stacked" if stacked else ""
    sort = " data-wm-sortable" if sortable else ""
    # The table itself stays class-free so Material styles it like the guide's own tables.
    return (
        f'<div class="wm-table {cls}"{sort}><table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def badge(verdict_id: str, label: str) -> str:
    """A verdict as a badge: its words on its colour, the same in every widget and table."""
    return f'<span class="wm-badge wm-badge--{esc(verdict_id)}">{esc(label)}</span>'


def verdict_box(v: dict[str, Any], heading: str = "h3") -> str:
    """A verdict's label and reason; `heading` is h3 in a live flow, p inside the static tree."""
    return (
        f'<div class="wm-verdict wm-verdict--{esc(v["id"])}" role="status">'
        f'<{heading} class="wm-verdict-label" tabindex="-1">{badge(v["id"], v["label"])}</{heading}>'
        f'<p class="wm-reason">{esc(v["reason"])}</p></div>'
    )
