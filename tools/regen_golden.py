"""Rewrite tests/integrations/golden/*.html from their .md beside them, after an intended change in the HTML.

    python tools/regen_golden.py

Then read the diff of tests/integrations/golden/ before committing: it is the review of the change.
"""

from __future__ import annotations

import pathlib
import sys

import markdown

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "tests" / "integrations" / "golden"
# fenced_code makes the plain code fences of the mixed page real code blocks.
EXTENSIONS = ["decision.integrations.markdown", "fenced_code"]


def render(source: str) -> str:
    """The golden HTML for a golden Markdown file (a final newline keeps the files tidy)."""
    return markdown.markdown(source, extensions=EXTENSIONS) + "\n"


def main() -> int:
    changed = 0
    for source in sorted(GOLDEN.glob("*.md")):
        target = source.with_suffix(".html")
        html = render(source.read_text(encoding="utf-8"))
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            target.write_text(html, encoding="utf-8")
            print(f"wrote {target.relative_to(GOLDEN.parents[1])}")
            changed += 1
    print(f"{changed} golden file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
