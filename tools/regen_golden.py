"""Rewrite the golden files after an intended change, then read their diff: it is the review.

    python tools/regen_golden.py

Two kinds:
- tests/integrations/golden/: `*.md` beside `*.html`: a Markdown page and the HTML the `whatmatters` extension makes of it.
- tests/cli/golden/*.txt: the terminal sessions the CLI page (content/cli.md) shows. Each `$ whatmatters ...`
  line is run again in-process and the lines under it replaced by what it prints; `$ echo $?`
  prints the status of the command before it. To add a sample, write a file holding only its
  `$` lines and run this script.
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import shlex
import sys

import markdown

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "integrations" / "golden"
CLI_GOLDEN = ROOT / "tests" / "cli" / "golden"
PROMPT = "$ "
# fenced_code makes the plain code fences of the mixed page real code blocks.
EXTENSIONS = ["whatmatters", "fenced_code"]


def render(source: str) -> str:
    """The golden HTML for a golden Markdown file (a final newline keeps the files tidy)."""
    return markdown.markdown(source, extensions=EXTENSIONS) + "\n"


def commands(session: str) -> list[str]:
    """The command lines of a terminal session, without their prompt."""
    return [line.removeprefix(PROMPT) for line in session.splitlines() if line.startswith(PROMPT)]


def run_cli(argv: list[str]) -> tuple[int, str]:
    """`whatmatters ARGV` run in-process with nothing on stdin: its exit status and all it printed."""
    from decision.cli.commands import main

    printed = io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO("")
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                status = main(argv)
            except SystemExit as exc:  # argparse's own refusals
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = stdin
    return status, printed.getvalue()


def replay(session: str) -> str:
    """The session as the CLI prints it today: every command of `session`, each followed by its output."""
    lines: list[str] = []
    status = 0
    for command in commands(session):
        words = shlex.split(command)
        lines.append(PROMPT + command)
        if words == ["echo", "$?"]:
            lines.append(str(status))
            continue
        if words[:1] != ["whatmatters"]:
            raise ValueError(f"a CLI sample runs only `whatmatters` and `echo $?`, not {command!r}")
        status, printed = run_cli(words[1:])
        lines += printed.splitlines()
    return "\n".join(lines) + "\n"


def targets() -> dict[pathlib.Path, str]:
    """Every golden file and what it should hold."""
    wanted = {p.with_suffix(".html"): render(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.glob("*.md"))}
    wanted |= {p: replay(p.read_text(encoding="utf-8")) for p in sorted(CLI_GOLDEN.glob("*.txt"))}
    return wanted


def main() -> int:
    changed = 0
    for target, text in targets().items():
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(GOLDEN.parents[1])}")
            changed += 1
    print(f"{changed} golden file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
