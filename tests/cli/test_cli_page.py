"""The CLI page (content/cli.md): its terminal samples are golden files, and each is what the CLI prints today.

A sample drifting from the real output (padding, a changed sentence, a renamed flag) fails here;
`python tools/regen_golden.py` rewrites the golden files after an intended change.
"""

from __future__ import annotations

import argparse
import html
import pathlib
import re
import sys
from typing import Any

import markdown
import pytest

from decision.cli import commands

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import regen_golden  # noqa: E402

PAGE = ROOT / "content" / "cli.md"
SESSIONS = sorted(regen_golden.CLI_GOLDEN.glob("*.txt"))
SNIPPET = re.compile(r'--8<-- "([^"/]+)"')
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.M | re.S)
CODE = re.compile(r'<pre><code class="language-console">(.*?)</code></pre>', re.S)
REGEN = "run `python tools/regen_golden.py` and review the diff of tests/cli/golden/"


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def snippets_config() -> dict[str, Any]:
    """pymdownx.snippets' settings as MkDocs reads them from mkdocs.yml (its !relative tag resolved)."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return {
        key: [str(v) for v in value] if key == "base_path" else value
        for key, value in config.mdx_configs["pymdownx.snippets"].items()
    }


def subcommands() -> list[str]:
    parser = commands.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


class TestSamples:
    @pytest.mark.parametrize("session", SESSIONS, ids=lambda p: p.stem)
    def test_the_sample_is_what_the_cli_prints(self, session: pathlib.Path) -> None:
        """Run again command by command, each sample prints exactly what its golden file shows."""
        shown = session.read_text(encoding="utf-8")
        assert regen_golden.commands(shown), f"{session.name} runs no command"
        assert regen_golden.replay(shown) == shown, REGEN

    def test_a_differently_padded_sample_is_caught(self) -> None:
        """The drift the old README had, an amount padded differently from the real output, fails the comparison."""
        shown = (regen_golden.CLI_GOLDEN / "cost.txt").read_text(encoding="utf-8")
        drifted = re.sub(r"(requests:) +", r"\1 ", shown)
        assert drifted != shown
        assert regen_golden.replay(drifted) == shown

    def test_a_status_line_follows_its_command(self) -> None:
        """`$ echo $?` prints the exit status of the command before it: 2 after a mistake, 0 after an answer."""
        assert regen_golden.replay("$ whatmatters cost --model no-such-model\n$ echo $?\n").endswith("$ echo $?\n2\n")
        assert regen_golden.replay("$ whatmatters topics\n$ echo $?\n").endswith("$ echo $?\n0\n")

    def test_only_the_cli_runs(self) -> None:
        """A sample can't run anything but `whatmatters` and `echo $?`."""
        with pytest.raises(ValueError, match="only `whatmatters`"):
            regen_golden.replay("$ rm -rf site\n")


class TestThePage:
    def test_each_console_block_is_one_golden_sample(self) -> None:
        """No terminal output is typed into the page by hand: every console block includes one golden file."""
        blocks = CONSOLE_BLOCK.findall(page())
        assert blocks, "the CLI page shows no console block"
        for block in blocks:
            assert SNIPPET.fullmatch(block.strip()), block

    def test_every_golden_sample_is_shown_once(self) -> None:
        """The page includes each file of tests/cli/golden/ exactly once, and no file that isn't there."""
        assert sorted(SNIPPET.findall(page())) == [p.name for p in SESSIONS]

    def test_the_site_shows_the_real_output(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Converted from the project root with the snippet settings of mkdocs.yml, the page's code blocks are the samples."""
        monkeypatch.chdir(
            ROOT.parent
        )  # anywhere: mkdocs.yml's base_path is relative to itself, not to where MkDocs runs
        converted = markdown.markdown(
            page(),
            extensions=["pymdownx.snippets", "fenced_code"],
            extension_configs={"pymdownx.snippets": snippets_config()},
        )
        shown = [html.unescape(code).rstrip("\n") for code in CODE.findall(converted)]
        expected = [
            (regen_golden.CLI_GOLDEN / name).read_text(encoding="utf-8").rstrip("\n")
            for name in SNIPPET.findall(page())
        ]
        assert shown == expected
        assert "--8&lt;--" not in converted

    def test_every_command_is_on_the_page(self) -> None:
        """Each subcommand of `whatmatters` is named on the page, so none is left without a word of help."""
        text = page() + "".join(p.read_text(encoding="utf-8") for p in SESSIONS)
        missing = [name for name in subcommands() if not re.search(rf"\b{re.escape(name)}\b", text)]
        assert missing == []
