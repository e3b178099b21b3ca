"""`whatmatters` on bad input: exit status 2 and one sentence on stderr, never a traceback."""

from __future__ import annotations

import pytest

from decision.cli import commands as cli
from helpers.cli import MODEL, SEED, K, assert_one_sentence, feed, run


class TestBadInput:
    @pytest.mark.parametrize(
        "argv",
        [
            ["cost", "--model", MODEL, "--input-tokens", "-5", "--output-tokens", "5"],
            ["cost", "--model", MODEL, "--input-tokens", "5", "--output-tokens", "-1"],
            ["cost", "--model", "gpt-4o-mini", "--prices", SEED, "--input-tokens", "5", "--output-tokens", "5"],
            ["cost", "--model", MODEL, "--prices", "nope", "--input-tokens", "5", "--output-tokens", "5"],
            ["cost", "--model", MODEL, "--input-tokens", "5", "--output-tokens", "5", "--cached-share", "101"],
            ["cost", "--model", MODEL, "--input-tokens", "5", "--output-tokens", "5", "--cached-share", "-1"],
            ["conversation", "--model", "nope", "--turns", "3", "--system", "1", "--user", "1", "--reply", "1"],
            ["conversation", "--model", MODEL, "--turns", "0", "--system", "1", "--user", "1", "--reply", "1"],
            ["compare", "--model", "nope", "--input-tokens", "5", "--output-tokens", "5"],
            ["ask", "cachng"],
            ["ask", "caching", "--answer", "repeated"],
            ["ask", "caching", "--answer", "=yes"],
            ["ask", "caching", "--answer", "repeated=maybe"],
            ["ask", "caching", "--answer", "nope=yes"],
            ["stage", "--users", "-1"],
            ["plan", "--db-cpu", "150"],
            ["latency", "--seconds", "-1"],
            ["latency", "--seconds", "nan"],
            ["context", "--turns", "1", "--tokens-per-turn", "1", "--window", "0"],
            ["screen", "x" * 20_001],
        ],
    )
    def test_exit_2_with_one_sentence(
        self, argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Bad input exits 2 with one sentence on stderr and nothing on stdout."""
        feed(monkeypatch, "")
        code, out, err = run(capsys, *argv)
        assert code == 2
        assert out == ""
        assert_one_sentence(err)

    def test_unknown_model_suggests(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The unknown-model message suggests close model ids."""
        _, _, err = run(
            capsys, "cost", "--model", "gpt-4o-mini", "--prices", SEED, "--input-tokens", "5", "--output-tokens", "5"
        )
        assert "gpt-4o-mini" in err and "Did you mean" in err and "gpt-4" in err

    def test_no_answer_on_stdin(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Running out of stdin mid-flow exits 2 and says which --answer would help."""
        feed(monkeypatch, "")
        code, _, err = run(capsys, "ask", "caching")
        assert code == 2
        assert_one_sentence(err)
        assert f"--answer {K.flows['caching'].start}=" in err

    def test_argparse_errors_exit_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Malformed arguments (a word for a number, a missing option) exit 2 without a traceback."""
        for argv in (["stage", "--users", "many"], ["cost", "--input-tokens", "5"], ["nope"]):
            with pytest.raises(SystemExit) as info:
                cli.main(argv)
            assert info.value.code == 2
            assert "Traceback" not in capsys.readouterr().err
