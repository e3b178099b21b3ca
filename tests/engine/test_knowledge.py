"""Loading and validating decision/data/: every kind of broken data is refused by name.

Each test copies the real data into tmp_path, breaks one thing, and checks that `load`
raises a DataError naming the file, the id and the problem. Question flows are broken by
writing a small flow of our own over one topic's file, so the tests don't depend on the
wording of the guide's real questions.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import tomllib
from typing import Any

import pytest

from decision import DataError, load
from decision.flows import decide
from decision.loading import DATA_DIR, knowledge


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    """A private copy of decision/data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def replace_once(path: pathlib.Path, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) in the file at `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: pathlib.Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def refused(base: pathlib.Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(base)
    return info.value


def assert_names(err: DataError, file: str, item: str, *words: str) -> None:
    """The error names the file, the id and the problem, in its fields and its message."""
    assert err.file == file
    assert err.item == item
    for word in words:
        assert word in err.problem, f"{word!r} not in {err.problem!r}"
    assert file in str(err) and item in str(err) and err.problem in str(err)


# --- a small flow of our own, written over one topic's file --------------------------

TOPIC = knowledge().problems[0].id
FLOW_FILE = f"flows/{TOPIC}.toml"
VERDICT = next(iter(knowledge().verdicts))


def toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)  # strings, numbers and booleans are written the same way in TOML


def option(value: str, **fields: Any) -> dict[str, Any]:
    """An answer; give it `next=...` or `verdict=...` (a verdict gets a reason unless told)."""
    if "verdict" in fields:
        fields.setdefault("reason", "Because the test says so.")
    return {"value": value, "label": value.capitalize(), **fields}


def question(qid: str, options: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "text": f"Question {qid}?",
        "if_unknown": options[0]["value"] if options else "no",
        **fields,
        "option": options,
    }


def flow_text(questions: list[dict[str, Any]], start: str = "a", topic: str = TOPIC) -> str:
    lines = [f"topic = {toml_value(topic)}", 'title = "A test flow"', f"start = {toml_value(start)}"]
    for q in questions:
        lines.append("\n[[question]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in q.items() if k != "option"]
        if not q["option"]:
            lines.append("option = []")
            continue
        for o in q["option"]:
            lines.append("\n  [[question.option]]")
            lines += [f"  {k} = {toml_value(v)}" for k, v in o.items()]
    return "\n".join(lines) + "\n"


def good_flow() -> list[dict[str, Any]]:
    """a -yes-> b, a -no-> verdict; b -yes/no-> verdict: a flow that loads."""
    return [
        question("a", [option("yes", next="b"), option("no", verdict=VERDICT)], if_unknown="no"),
        question("b", [option("yes", verdict=VERDICT), option("no", verdict=VERDICT)]),
    ]


def write_flow(data: pathlib.Path, questions: list[dict[str, Any]], **kw: Any) -> None:
    (data / FLOW_FILE).write_text(flow_text(questions, **kw), encoding="utf-8")


class TestValidData:
    def test_package_data_loads(self) -> None:
        """The data shipped in the package passes every check."""
        k = load()
        assert k.flows and k.verdicts and k.signals and k.stages and k.basics and k.problems and k.price_sets

    def test_copy_loads_the_same_topics(self, data: pathlib.Path) -> None:
        """An untouched copy of the data loads to the same topics, verdicts and price sets."""
        k = load(data)
        assert list(k.flows) == list(knowledge().flows)
        assert k.verdicts == knowledge().verdicts
        assert list(k.price_sets) == list(knowledge().price_sets)

    def test_own_flow_loads(self, data: pathlib.Path) -> None:
        """The small flow the other tests break is itself valid, so each refusal is caused by the break."""
        write_flow(data, good_flow())
        flow = load(data).flows[TOPIC]
        assert flow.start == "a" and set(flow.questions) == {"a", "b"}

    def test_every_problem_has_a_flow_and_every_option_lands(self) -> None:
        """Every problem has a flow, and every answer leads to a known question or a known verdict."""
        k = knowledge()
        assert {p.id for p in k.problems} | {"any"} == set(k.flows)
        for flow in k.flows.values():
            for q in flow.questions.values():
                for o in q.options:
                    assert (o.next in flow.questions) or (o.verdict in k.verdicts)


class TestUnknownReference:
    def test_next_to_missing_question(self, data: pathlib.Path) -> None:
        """An answer whose `next` names a question that doesn't exist is refused, naming the question it sits on."""
        flow = good_flow()
        flow[0]["option"][0]["next"] = "nowhere"
        write_flow(data, flow)
        # b is now unreachable too; the unknown reference must be reported first.
        assert_names(refused(data), FLOW_FILE, "a", "unknown reference", "nowhere")

    def test_verdict_that_does_not_exist(self, data: pathlib.Path) -> None:
        """An answer ending in a verdict id that verdicts.toml lacks is refused."""
        flow = good_flow()
        flow[1]["option"][1]["verdict"] = "maybe-later"
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "unknown reference", "verdict", "maybe-later")

    def test_signal_that_does_not_exist(self, data: pathlib.Path) -> None:
        """A question bound to a signal that signals.toml lacks is refused."""
        flow = good_flow()
        flow[0]["yes_if"] = [{"signal": "moon_phase", "op": ">=", "value": 3}]
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "unknown reference", "signal", "moon_phase")

    def test_start_question_that_does_not_exist(self, data: pathlib.Path) -> None:
        """A flow whose start names a missing question is refused, naming the topic."""
        write_flow(data, good_flow(), start="zzz")
        assert_names(refused(data), FLOW_FILE, TOPIC, "unknown reference", "zzz")

    def test_if_unknown_that_is_not_an_answer(self, data: pathlib.Path) -> None:
        """A question whose if_unknown is not one of its own answers is refused."""
        flow = good_flow()
        flow[1]["if_unknown"] = "perhaps"
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "unknown reference", "perhaps")

    def test_rule_with_unknown_strategy(self, data: pathlib.Path) -> None:
        """A latency rule pointing at a strategy that doesn't exist is refused, naming the rule."""
        replace_once(data / "ai.toml", 'strategy = "instant"', 'strategy = "teleport"')
        assert_names(refused(data), "ai.toml", "latency_rule[0]", "unknown reference", "teleport")

    def test_problem_without_a_flow(self, data: pathlib.Path) -> None:
        """A problem whose flow file is missing is refused, naming the problem."""
        (data / FLOW_FILE).unlink()
        assert_names(refused(data), "problems.toml", TOPIC, "unknown reference", f"flows/{TOPIC}.toml")

    def test_flow_without_a_problem(self, data: pathlib.Path) -> None:
        """A flow file for a topic that problems.toml doesn't know is refused."""
        (data / "flows" / "teleporters.toml").write_text(flow_text(good_flow(), topic="teleporters"))
        assert_names(refused(data), "flows/teleporters.toml", "teleporters", "unknown reference", "problem")


class TestUnknownsRule:
    """An answer the reader didn't give may only lead to the simpler verdict (verdicts.toml's
    needs_evidence and simple), and loading names the flow, the question and the path."""

    def test_an_unknown_that_reaches_add_now_is_refused(self, data: pathlib.Path) -> None:
        flow = good_flow()
        flow[1] = question("b", [option("yes", verdict="not-yet"), option("no", verdict="add-now")], if_unknown="no")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "add-now", "path: a=yes -> b=(unknown) no")

    def test_an_unknown_that_goes_past_a_simple_stop_is_refused(self, data: pathlib.Path) -> None:
        flow = good_flow()
        flow[0]["if_unknown"] = "yes"  # "no" would have stopped at not-yet
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "goes on past 'no'", "path: a=(unknown) yes")

    def test_an_unknown_may_stop_at_do_now_or_go_past_add_now(self, data: pathlib.Path) -> None:
        """What can't be undone may be assumed; going on past an add-now answer is the simpler way."""
        flow = [
            question("a", [option("yes", verdict="add-now"), option("no", next="b")], if_unknown="no"),
            question("b", [option("yes", verdict="do-now"), option("no", verdict="add-now")], if_unknown="yes"),
        ]
        write_flow(data, flow)
        assert set(load(data).flows[TOPIC].questions) == {"a", "b"}

    def test_every_shipped_flow_follows_the_rule(self) -> None:
        """Walking any shipped flow with no signals at all never ends in a verdict that needs evidence."""
        k = knowledge()
        for topic in k.flows:
            result = decide(k, topic, {})
            assert not k.verdicts[result["verdict"]["id"]].needs_evidence, topic


class TestCycle:
    def test_answer_leading_back(self, data: pathlib.Path) -> None:
        """A path that comes back to a question already asked is refused, and the loop is spelled out."""
        flow = good_flow()
        flow[1]["option"][0] = option("yes", next="a")
        write_flow(data, flow)
        err = refused(data)
        assert_names(err, FLOW_FILE, "a", "cycle", "a -> b -> a")

    def test_question_pointing_at_itself(self, data: pathlib.Path) -> None:
        """A question whose answer leads to itself is a cycle."""
        flow = good_flow()
        flow[1]["option"][1] = option("no", next="b")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "cycle", "b -> b")


class TestDeadEnd:
    def test_option_with_neither_next_nor_verdict(self, data: pathlib.Path) -> None:
        """An answer that leads nowhere is refused, naming its question and the answer."""
        flow = good_flow()
        flow[1]["option"][0] = option("yes")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "dead end", "'yes'")

    def test_option_with_both_next_and_verdict(self, data: pathlib.Path) -> None:
        """An answer with both a next question and a verdict is ambiguous and refused."""
        flow = good_flow()
        flow[0]["option"][0] = option("yes", next="b", verdict=VERDICT)
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "dead end", "'yes'")

    def test_question_with_no_options(self, data: pathlib.Path) -> None:
        """A question with an empty list of answers is refused."""
        flow = good_flow()
        flow[1] = question("b", [], if_unknown="no")
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "dead end", "no answers")

    def test_last_rule_with_conditions(self, data: pathlib.Path) -> None:
        """A rules list whose last rule has conditions leaves some cases without advice and is refused."""
        path = data / "ai.toml"
        text = path.read_text(encoding="utf-8")
        at = text.rfind("[[latency_rule]]")
        assert "when = []" in text[at:]
        path.write_text(
            text[:at] + text[at:].replace("when = []", 'when = [{ field = "seconds", op = ">", value = 0 }]', 1),
            encoding="utf-8",
        )
        assert_names(refused(data), "ai.toml", "latency_rule", "dead end", "last rule")


class TestUnreachable:
    def test_question_no_answer_leads_to(self, data: pathlib.Path) -> None:
        """A question that no path from the start reaches is refused, naming it and the start."""
        write_flow(data, [*good_flow(), question("c", [option("yes", verdict=VERDICT), option("no", verdict=VERDICT)])])
        assert_names(refused(data), FLOW_FILE, "c", "unreachable", "'a'")


class TestDuplicateId:
    def test_duplicate_question(self, data: pathlib.Path) -> None:
        """Two questions with one id in a flow are refused."""
        flow = good_flow()
        write_flow(data, [*flow, question("b", [option("yes", verdict=VERDICT), option("no", verdict=VERDICT)])])
        assert_names(refused(data), FLOW_FILE, "b", "duplicate id")

    def test_duplicate_verdict(self, data: pathlib.Path) -> None:
        """Two verdicts with one id are refused."""
        append(data / "verdicts.toml", f'[[verdict]]\nid = "{VERDICT}"\nlabel = "Again"\nsummary = "Twice."')
        assert_names(refused(data), "verdicts.toml", VERDICT, "duplicate id")

    def test_duplicate_stage(self, data: pathlib.Path) -> None:
        """Two stages with one id are refused."""
        first = knowledge().stages[0]
        block = "\n".join(
            [
                "[[stage]]",
                f'id = "{first.id}"',
                'name = "Again"',
                'long_name = "Again"',
                'users = "some"',
                "max_users = 5",
                'question = "Again?"',
                'meaning = "Twice."',
                'takes = "A day"',
                'focus = "Nothing"',
                'skip = "Everything"',
                'checklist = ["one"]',
            ]
        )
        append(data / "stages.toml", block)
        assert_names(refused(data), "stages.toml", first.id, "duplicate id")

    def test_duplicate_model(self, data: pathlib.Path) -> None:
        """Two models with one id in a price set are refused, naming the price file."""
        prices = sorted((data / "prices").glob("*.toml"))[0]
        first = tomllib.loads(prices.read_text(encoding="utf-8"))["model"][0]["id"]
        append(prices, f'[[model]]\nid = "{first}"\nname = "Again"\nprovider = "Nobody"\ninput = 1\noutput = 1')
        assert_names(refused(data), f"prices/{prices.name}", first, "duplicate id")

    def test_duplicate_answer_value(self, data: pathlib.Path) -> None:
        """Two answers with one value on a question are refused."""
        flow = good_flow()
        flow[1]["option"][1] = option("yes", verdict=VERDICT)
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "duplicate answer")


class TestMissingField:
    def test_verdict_without_label(self, data: pathlib.Path) -> None:
        """A verdict without a label is refused, naming the verdict and the field."""
        append(data / "verdicts.toml", '[[verdict]]\nid = "someday"\nsummary = "Later."')
        assert_names(refused(data), "verdicts.toml", "someday", "missing field", "'label'")

    def test_signal_without_kind(self, data: pathlib.Path) -> None:
        """A signal without a kind is refused."""
        append(data / "signals.toml", '[[signal]]\nid = "moon_phase"\nlabel = "Moon"\nhelp = "Look up."')
        assert_names(refused(data), "signals.toml", "moon_phase", "missing field", "'kind'")

    def test_question_without_text(self, data: pathlib.Path) -> None:
        """A question without its text is refused."""
        flow = good_flow()
        del flow[1]["text"]
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "missing field", "'text'")

    def test_verdict_answer_without_reason(self, data: pathlib.Path) -> None:
        """An answer that ends in a verdict must say why."""
        flow = good_flow()
        del flow[0]["option"][1]["reason"]
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", "missing field", "'reason'", "'no'")

    def test_missing_file(self, data: pathlib.Path) -> None:
        """A data file that is gone is named."""
        (data / "verdicts.toml").unlink()
        assert_names(refused(data), "verdicts.toml", "-", "missing")


class TestWrongType:
    def stage_block(self, max_users: str) -> str:
        return "\n".join(
            [
                "[[stage]]",
                'id = "odd"',
                'name = "Odd"',
                'long_name = "Odd"',
                'users = "some"',
                f"max_users = {max_users}",
                'question = "Odd?"',
                'meaning = "Odd."',
                'takes = "A day"',
                'focus = "Nothing"',
                'skip = "Everything"',
                'checklist = ["one"]',
            ]
        )

    def test_text_where_a_whole_number_belongs(self, data: pathlib.Path) -> None:
        """A stage whose max_users is text is refused, saying what the field should be."""
        append(data / "stages.toml", self.stage_block('"lots"'))
        assert_names(refused(data), "stages.toml", "odd", "'max_users'", "whole number", "str")

    def test_bool_where_a_number_belongs(self, data: pathlib.Path) -> None:
        """true is not a number, even though Python counts it as one."""
        append(data / "stages.toml", self.stage_block("true"))
        assert_names(refused(data), "stages.toml", "odd", "'max_users'", "whole number", "bool")

    def test_text_where_a_list_of_texts_belongs(self, data: pathlib.Path) -> None:
        """A basic whose checks are one string instead of a list is refused."""
        path = data / "basics.toml"
        append(
            path,
            "\n".join(
                [
                    "[[basic]]",
                    'id = "odd"',
                    'name = "Odd"',
                    'why = "Why."',
                    'how = "How."',
                    'prevents = "Nothing."',
                    "minutes = 1",
                    'checks = "just one"',
                    'plan_reason = "Because."',
                ]
            ),
        )
        assert_names(refused(data), "basics.toml", "odd", "'checks'", "list of texts")

    def test_text_where_a_price_belongs(self, data: pathlib.Path) -> None:
        """A model whose price is text is refused."""
        prices = sorted((data / "prices").glob("*.toml"))[0]
        append(prices, '[[model]]\nid = "odd-model"\nname = "Odd"\nprovider = "Nobody"\ninput = "cheap"\noutput = 1')
        assert_names(refused(data), f"prices/{prices.name}", "odd-model", "'input'", "number")

    def test_operator_that_does_not_fit_a_flag(self, data: pathlib.Path) -> None:
        """Comparing a yes/no signal with >= is refused."""
        flag = next(s.id for s in knowledge().signals.values() if s.kind == "flag")
        flow = good_flow()
        flow[0]["yes_if"] = [{"signal": flag, "op": ">=", "value": 1}]
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "a", flag, "'>='")


class TestOtherRefusals:
    def test_invalid_toml(self, data: pathlib.Path) -> None:
        """A file that isn't TOML is named."""
        append(data / "signals.toml", "this is = = not toml")
        assert_names(refused(data), "signals.toml", "-", "not valid TOML")

    def test_negative_price(self, data: pathlib.Path) -> None:
        """A negative price is refused."""
        prices = sorted((data / "prices").glob("*.toml"))[0]
        append(prices, '[[model]]\nid = "refund"\nname = "Refund"\nprovider = "Nobody"\ninput = -1\noutput = 1')
        assert_names(refused(data), f"prices/{prices.name}", "refund", "negative")

    @pytest.mark.parametrize(
        "tiers, words",
        [
            (
                "[{above_input_tokens = 200000, input = 2, output = 2}, {above_input_tokens = 100000, input = 3, output = 3}]",
                ("100000", "200000", "rise"),
            ),
            ("[{above_input_tokens = -5, input = 2, output = 2}]", ("-5", "negative")),
            ("[{above_input_tokens = 1000, input = 2, output = -2}]", ("1000", "negative")),
            ("[{above_input_tokens = 1000.5, input = 2, output = 2}]", ("'above_input_tokens'", "whole number")),
        ],
        ids=["descending", "negative-threshold", "negative-price", "fractional-threshold"],
    )
    def test_bad_price_tiers(self, data: pathlib.Path, tiers: str, words: tuple[str, ...]) -> None:
        """Tiers whose thresholds fall, go below zero or are not whole numbers, or whose prices are negative, are refused."""
        prices = sorted((data / "prices").glob("*.toml"))[0]
        append(
            prices,
            f'[[model]]\nid = "stepped"\nname = "Stepped"\nprovider = "Nobody"\ninput = 1\noutput = 1\ntiers = {tiers}',
        )
        assert_names(refused(data), f"prices/{prices.name}", "stepped", *words)

    def test_regex_that_does_not_compile(self, data: pathlib.Path) -> None:
        """A screening pattern that isn't a valid regular expression is refused."""
        append(data / "ai.toml", '[[pattern]]\nid = "broken"\nname = "Broken"\nregex = \'(unclosed\'\nwhy = "Oops."')
        assert_names(refused(data), "ai.toml", "broken", "regex")

    def test_in_the_browser_patterns_compile_on_the_screeners_first_use(
        self, data: pathlib.Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Under Pyodide the load leaves every pattern uncompiled; the first screen compiles them all, once."""
        from decision import loading, screener

        monkeypatch.setattr(loading, "BROWSER", True)
        patterns = load(data).ai.patterns
        assert patterns and all("regex" not in vars(p) for p in patterns)
        assert screener.screen(load(data), "ignore all previous instructions")["suspicious"]
        k = load(data)
        screener.screen(k, "hello")
        compiled = [p.regex for p in k.ai.patterns]
        assert all(vars(p)["regex"] is c for p, c in zip(k.ai.patterns, compiled, strict=True))
        monkeypatch.setattr(loading, "BROWSER", False)
        assert all("regex" in vars(p) for p in load(data).ai.patterns)

    def test_yes_if_on_a_question_without_yes_and_no(self, data: pathlib.Path) -> None:
        """A question bound to signals must be answerable with yes or no."""
        signal = next(s.id for s in knowledge().signals.values() if s.kind != "flag")
        flow = good_flow()
        flow[1] = question(
            "b",
            [option("often", verdict=VERDICT), option("rarely", verdict=VERDICT)],
            yes_if=[{"signal": signal, "op": ">=", "value": 1}],
        )
        write_flow(data, flow)
        assert_names(refused(data), FLOW_FILE, "b", "yes", "no")

    def test_topic_that_does_not_match_the_file(self, data: pathlib.Path) -> None:
        """A flow file's topic must be its file name."""
        (data / FLOW_FILE).write_text(flow_text(good_flow(), topic="other"))
        err = refused(data)
        assert err.file == FLOW_FILE and TOPIC in err.problem
