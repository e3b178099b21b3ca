"""Facts the guide states that a test can check: checklists, the planner's wording, thresholds, spelling, figures."""

from __future__ import annotations

import json
import pathlib
import re
import tomllib
from typing import Any, ClassVar

import pytest

from decision import api
from helpers.site import nav_pages, site_config

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
DATA = ROOT / "decision" / "data"
FLOWS = sorted((DATA / "flows").glob("*.toml"))
# A reason that rests on an assumed answer is worded as a condition.
CONDITIONAL = ("If ", "Unless ")


def toml(path: pathlib.Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def page(name: str) -> str:
    return (CONTENT / name).read_text(encoding="utf-8")


def ask(op: str, **fields: Any) -> dict[str, Any]:
    response = api.handle({"v": 1, "op": op, **fields})
    assert response["ok"], response
    return response["result"]


class TestChecklists:
    STAGES: ClassVar[dict[str, Any]] = {s["id"]: s for s in toml(DATA / "stages.toml")["stage"]}
    BASICS: ClassVar[list[dict[str, Any]]] = toml(DATA / "basics.toml")["basic"]

    def test_poc_list_holds_the_four_basics(self) -> None:
        """Every basic, by its own name, is an item on the proof-of-concept checklist."""
        items = self.STAGES["poc"]["checklist"]
        for basic in self.BASICS:
            assert any(basic["name"].lower() in item.lower() for item in items), basic["name"]

    def test_later_lists_check_the_basics_without_repeating_them(self) -> None:
        """After the PoC list, each list opens by checking the four basics still hold, and repeats none of them."""
        for stage_id, stage in self.STAGES.items():
            if stage_id == "poc":
                continue
            assert "four basics" in stage["checklist"][0], stage_id
            for item in stage["checklist"][1:]:
                assert "four basics" not in item
                assert not any(b["name"].lower() in item.lower() for b in self.BASICS), (stage_id, item)

    def test_spending_cap_at_poc_and_tested_restore_at_mvp(self) -> None:
        """A spending limit is on the PoC list; backups with a restore tried for real are on the MVP list."""
        assert any("spending limit" in item for item in self.STAGES["poc"]["checklist"])
        assert any("backups" in item.lower() and "restore" in item for item in self.STAGES["mvp"]["checklist"])

    def test_page_describes_the_lists_as_they_are(self) -> None:
        """The checklists page says the PoC list holds the basics, not that every list repeats them."""
        text = page("checklists.md")
        assert "four basics are on every list" not in text
        assert "PoC list holds all four" in text


class TestPlannerWording:
    @pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.stem)
    def test_assumed_answers_read_as_conditions(self, flow: pathlib.Path) -> None:
        """The option a question takes when its answer is unknown gives a reason worded as a condition."""
        for question in toml(flow)["question"]:
            option = next(o for o in question["option"] if o["value"] == question["if_unknown"])
            if "verdict" in option:
                assert option["reason"].startswith(CONDITIONAL), (flow.stem, question["id"], option["reason"])

    def test_empty_plan_states_nothing_as_fact(self) -> None:
        """With no signals entered, every verdict decided by an assumed answer gives a conditional reason."""
        for topic, verdict in ask("plan")["verdicts"].items():
            if verdict["path"][-1]["question"] in verdict["assumed"]:
                assert verdict["reason"].startswith(CONDITIONAL), (topic, verdict["reason"])

    def test_decide_page_states_the_rule_for_unknowns(self) -> None:
        """The Decide page says, in two short sentences under "Your plan", that a blank field never leads
        to "Add it now" and that each verdict lists what it assumed; verdicts.toml marks add-now that way."""
        text = page("decide.md").split("## Your plan", 1)[1]
        rule = next(p for p in text.split("\n\n") if p.startswith("A field you leave blank"))
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", rule.strip()) if s]
        assert len(sentences) == 2 and all(len(s.split()) <= 40 for s in sentences)
        assert 'never to "Add it now"' in sentences[0] and "assume" in sentences[1]
        verdicts = {v["id"]: v for v in toml(DATA / "verdicts.toml")["verdict"]}
        assert verdicts["add-now"]["needs_evidence"] is True
        assert {"not-yet", "try-first"} == {v for v, row in verdicts.items() if row.get("simple")}

    def test_decide_page_promises_only_fields_the_planner_has(self) -> None:
        """decide.md doesn't promise a spending field the planner lacks, and asks the questions in the flow's order."""
        text = page("decide.md")
        assert "what you're spending" not in text
        assert not any("spend" in s["label"].lower() for s in toml(DATA / "signals.toml")["signal"])
        steps = re.findall(r"^\d\. \*\*(.+?)\*\*", text, re.M)
        assert "can't get back" in steps[0] and "four basics" in steps[1] and "measured" in steps[2]
        any_flow = toml(DATA / "flows" / "any.toml")
        assert any_flow["start"] == "undo"
        first = next(q for q in any_flow["question"] if q["id"] == "undo")
        assert next(o for o in first["option"] if o["value"] == "yes")["verdict"] == "do-now"


class TestThresholds:
    WORDS: ClassVar[dict[str, str]] = {">=": "or more", ">": "more than", "<": "less than", "<=": "or less"}

    @pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.stem)
    def test_question_text_matches_yes_if(self, flow: pathlib.Path) -> None:
        """Each numeric threshold in a question's yes_if appears in its text, with words for its comparison."""
        for question in toml(flow)["question"]:
            for cond in question.get("yes_if", []):
                if isinstance(cond["value"], bool):
                    continue
                number = f"{cond['value']:,}"
                assert re.search(rf"\b{re.escape(number)}\b", question["text"]), (question["id"], number)
                assert self.WORDS[cond["op"]] in question["text"], (question["id"], cond["op"])
                assert "above" not in question["text"] or cond["op"] == ">", question["id"]


class TestFigures:
    def test_context_windows_match_the_price_list(self) -> None:
        """The window sizes ai.md gives are the current price list's."""
        models = {m["id"]: m for m in json.loads((DATA / "prices" / "current.json").read_text())["model"]}
        text = page("ai.md")
        claims = {
            "claude-haiku-4-5": ("200,000 tokens (Claude Haiku 4.5)", 200_000),
            "gpt-5.4-mini": ("400,000 (GPT-5.4 mini)", 400_000),
        }
        for model_id, (phrase, window) in claims.items():
            assert phrase in text and models[model_id]["context_window"] == window, model_id
        for model_id in ("gpt-6.1-sol", "gemini-3.5-flash"):
            assert 950_000 <= models[model_id]["context_window"] <= 1_100_000, model_id
        assert "about a million (GPT-6.1 Sol, Gemini 3.5 Flash)" in text

    def test_prompt_caching_example_is_the_engines(self) -> None:
        """The worked prompt-caching example on ai.md is what the engine charges, with and without the cache."""
        text = page("ai.md")
        base = {"model": "gpt-5.4-mini", "input_tokens": 2000, "output_tokens": 300, "requests": 10_000}
        plain = ask("cost", **base)["total_usd"]
        cached = ask("cost", **base, cached_share=80)["total_usd"]
        assert f"costs ${plain:,.2f}" in text and f"costs ${cached:,.2f}" in text
        assert "1,600 of those input tokens" in text

    def test_one_server_price(self) -> None:
        """The guide names one monthly price for a server that serves thousands, once."""
        prices = [m for p in CONTENT.glob("*.md") for m in re.findall(r"\$\d+ a month", page(p.name))]
        assert prices == ["$50 a month"]


class TestWriting:
    BRITISH = (
        r"\b(colour|behaviour|favour(ite)?|honour|practis(e|ed|ing)|judgement|licence|defence|catalogue|centre|"
        r"organis(e|ed|ing|ation)|optimis(e|ed|ing)|summaris(e|ed|ing)|recognis(e|ed)|realis(e|ed)|analys(e|ed)|"
        r"prioritis(e|ed)|minimis(e|ed)|maximis(e|ed)|normalis(e|ed)|labelled|modelled|travelled|cancelled)\b"
    )

    def test_american_spelling(self) -> None:
        """The guide's pages and the data text readers see use American spelling throughout."""
        found = []
        for path in [*CONTENT.glob("*.md"), *DATA.glob("*.toml"), *(DATA / "flows").glob("*.toml")]:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith(("#", "regex", "[[")):
                    continue  # comments, screener patterns and table names are not shown to readers
                found += [f"{path.name}:{number}: {m.group(0)}" for m in re.finditer(self.BRITISH, line, re.I)]
        assert not found

    def test_every_page_ends_with_where_to_go_next(self) -> None:
        """Each page's last paragraph (before its abbreviation definitions) links on to another page of the guide."""
        for name in nav_pages():
            text = re.sub(r"^\*\[[^\]]+\]:.*\n?", "", page(name), flags=re.M)
            last = text.rstrip().rsplit("\n\n", 1)[-1]
            assert re.search(r"\]\([a-z-]+\.md(#[a-z-]+)?\)", last), name

    def test_about_page_in_nav_with_footer(self) -> None:
        """'About this site' is in the nav (so the previous/next footer reaches it) and the footer is on."""
        config = site_config()
        assert "about.md" in nav_pages()
        assert "navigation.footer" in config["theme"]["features"]
        assert "## How this site checks itself" in page("about.md")
        assert "How this site checks itself" not in page("never-skip.md")

    def test_scaling_good_news_said_once(self) -> None:
        """'Scaling trouble means people want it' is said on one page, not repeated across the guide."""
        pattern = r"(scaling (trouble|problems)[^.]*(success|good news|people want))"
        pages = [p.name for p in CONTENT.glob("*.md") if re.search(pattern, page(p.name), re.I)]
        assert pages == ["stages.md"]
