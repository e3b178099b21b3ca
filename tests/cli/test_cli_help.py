"""`whatmatters --help` and every subcommand's help, in-process."""

from __future__ import annotations

import argparse

import pytest

from decision.cli import commands as cli
from helpers.cli import SUBCOMMANDS


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


class TestHelp:
    def test_every_subcommand_exists(self) -> None:
        """The CLI offers every subcommand the guide documents."""
        assert set(SUBCOMMANDS) <= set(subcommands())

    @pytest.mark.parametrize("name", sorted(subcommands()))
    def test_help(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`whatmatters NAME --help` prints usage and exits 0."""
        with pytest.raises(SystemExit) as info:
            cli.main([name, "--help"])
        out, err = capsys.readouterr()
        assert info.value.code == 0
        assert out.startswith("usage: whatmatters " + name) and err == ""

    def test_top_level_help_and_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--help` lists the subcommands and `--version` names the package version."""
        with pytest.raises(SystemExit) as info:
            cli.main(["--help"])
        out = capsys.readouterr().out
        assert info.value.code == 0 and all(name in out for name in SUBCOMMANDS)
        with pytest.raises(SystemExit) as info:
            cli.main(["--version"])
        assert info.value.code == 0
        from decision import __version__

        assert __version__ in capsys.readouterr().out

    def test_plan_help_lists_every_signal_flag(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`plan --help` names every flag, including the one whose help has a percent sign."""
        with pytest.raises(SystemExit):
            cli.main(["plan", "--help"])
        out = capsys.readouterr().out
        for flag in (
            "--users",
            "--p95-seconds",
            "--db-cpu",
            "--queries-optimized",
            "--repeated-reads",
            "--paid-api",
            "--abuse-seen",
            "--task-seconds",
            "--must-not-lose-tasks",
            "--engineers",
            "--servers",
            "--bigger-server-possible",
        ):
            assert flag in out
