"""HTML for the prompt screener's answer: the box, the outcome, and the "Report a miss" link."""

from __future__ import annotations

from typing import Any

from ..formatting import counted, esc
from ..protocol import SCREEN_MAX_CHARS

REPORT_MAX_CHARS = 1_000  # of the message, in a report link: a web address has room for so much


def _report_link(result: dict[str, Any]) -> str:
    """ "Report a miss": the widget's script points it at the site's repository, if the site names one."""
    flagged = bool(result["hits"])
    text = result["text"]
    shown = text if len(text) <= REPORT_MAX_CHARS else text[:REPORT_MAX_CHARS] + "\n[cut: the message goes on]"
    longest = max((len(run) for run in shown.split("\n") if set(run) == {"~"}), default=0)
    fence = "~" * max(3, longest + 1)
    said = "suspicious (" + ", ".join(h["name"] for h in result["hits"]) + ")" if flagged else "no known pattern"
    should = "harmless, not suspicious" if flagged else "an attack the screener should flag"
    body = (
        f"The prompt screener said: {said}.\nI think this message is {should}.\n\n"
        "The message (edit it or cut anything private before you submit):\n\n"
        f"{fence}text\n{shown}\n{fence}\n"
    )
    title = "Screener: a false alarm" if flagged else "Screener: a missed attack"
    return (
        # The script makes this a link once it knows the site's repository: an address-less
        # <a> would be a link search engines can't follow, and HTML allows it no target.
        f'<p class="wm-report" hidden><span data-wm-issue-title="{esc(title)}" data-wm-issue-body="{esc(body)}">'
        "Report a miss</span>: if this answer is wrong, this opens a new issue on the "
        "project's repository with your message filled in. You can edit it there, and nothing is sent "
        "until you submit it yourself.</p>"
    )


def screen_widget(result: dict[str, Any]) -> str:
    hits = result["hits"]
    if not result["text"].strip():
        verdict = (
            '<div class="wm-outcome wm-outcome--empty"><p class="wm-title" tabindex="-1">Nothing to check yet</p>'
            "<p>Paste or type a message in the box, and the screener tells you which warning signs it shows.</p></div>"
        )
    elif hits:
        items = "".join(
            f"<li><strong>{esc(h['name'])}</strong>: <q>{esc(h['match'])}</q>. {esc(h['why'])}</li>" for h in hits
        )
        verdict = (
            '<div class="wm-outcome wm-outcome--flagged"><p class="wm-title" tabindex="-1">'
            f'<span class="wm-outcome-mark" aria-hidden="true">!</span> Suspicious: '
            f"{counted(len(hits), 'warning sign', 'warning signs')} found</p>"
            f'<ul class="wm-hits">{items}</ul></div>{_report_link(result)}'
        )
    else:
        verdict = (
            '<div class="wm-outcome wm-outcome--clear"><p class="wm-title" tabindex="-1">'
            '<span class="wm-outcome-mark" aria-hidden="true">\u2713</span> No known attack pattern found</p>'
            "<p>That is not proof the message is harmless: the screener knows the common phrasings, not every "
            f"attack. Keep the output checks too.</p></div>{_report_link(result)}"
        )
    form = (
        '<form class="wm-form" data-wm-form="screen"><label>Message to check '
        # HTML drops one newline right after <textarea>: this one, so the text's own stays.
        f'<textarea name="text" data-wm-key="text" data-wm-type="text" rows="4" maxlength="{SCREEN_MAX_CHARS}">\n'
        f"{esc(result['text'])}</textarea></label></form>"
    )
    return (
        f'<div class="wm-screen">{form}<div class="wm-result" data-wm-swap="result" role="status">{verdict}</div></div>'
    )
