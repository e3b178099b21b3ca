"""Read the guide's knowledge from decision/data/ and validate every piece of it.

Everything the guide teaches is data; this module turns the TOML and JSON files into the
records of `decision.knowledge` and refuses data that could mislead a reader: an unknown
reference, a question flow with a cycle, a dead end or an unreachable question, a
duplicate id, a missing field or a value of the wrong type. Each refusal is a DataError
naming file, id and problem.
"""

from __future__ import annotations

import functools
import pathlib
import re
import sys
from collections.abc import Mapping

from . import loading_flows
from .errors import DataError, DataFolderError
from .knowledge import (
    AiAdvice,
    Basic,
    CostReference,
    Knowledge,
    Pattern,
    Problem,
    Rule,
    ScreenerFigure,
    Signal,
    Strategy,
    Verdict,
    Widget,
)
from .prices import read_price_set
from .reading import TableReader, check_slug, conditions, read_toml, unique
from .request import RENDER_OPTIONS
from .screen_model import ScreenModel

DATA_DIR = pathlib.Path(__file__).with_name("data")
BROWSER = sys.platform == "emscripten"  # Pyodide


def _verdicts(base: pathlib.Path) -> dict[str, Verdict]:
    file = "verdicts.toml"
    rows = TableReader(file, read_toml(base, file), "-").tables("verdict")
    return unique(
        file,
        [
            Verdict(
                r.get("id", "str"),
                r.get("label", "str"),
                r.get("summary", "str"),
                r.get("needs_evidence", "bool", False),
                r.get("simple", "bool", False),
            )
            for r in rows
        ],
    )


def _signals(base: pathlib.Path) -> dict[str, Signal]:
    file = "signals.toml"
    out = []
    for r in TableReader(file, read_toml(base, file), "-").tables("signal"):
        kind = r.get("kind", "str")
        if kind not in ("count", "number", "flag"):
            raise r.fail(f"kind '{kind}' should be count, number or flag")
        out.append(
            Signal(
                r.get("id", "str"),
                kind,
                r.get("label", "str"),
                r.get("help", "str"),
                r.get("min", "num", None),
                r.get("max", "num", None),
            )
        )
    return unique(file, out)


def _basics(base: pathlib.Path, verdicts: Mapping[str, Verdict]) -> tuple[tuple[Basic, ...], str]:
    """The basics, and the verdict every one of them gets in a plan (basics.toml's plan_verdict)."""
    file = "basics.toml"
    top = TableReader(file, read_toml(base, file), "-")
    plan_verdict = top.get("plan_verdict", "str")
    if plan_verdict not in verdicts:
        raise DataError(file, "plan_verdict", f"unknown reference: verdict '{plan_verdict}'")
    out = [
        Basic(
            r.get("id", "str"),
            r.get("name", "str"),
            r.get("why", "str"),
            r.get("how", "str"),
            r.get("prevents", "str"),
            r.get("minutes", "int"),
            r.get("checks", "strs"),
            r.get("plan_reason", "str"),
        )
        for r in top.tables("basic")
    ]
    unique(file, out)
    return tuple(out), plan_verdict


def _problems(base: pathlib.Path) -> tuple[Problem, ...]:
    file = "problems.toml"
    out = [
        Problem(
            r.get("id", "str"),
            r.get("name", "str"),
            r.get("what", "str"),
            r.get("add_when", "str"),
            r.get("not_yet", "strs"),
            r.get("now", "strs"),
            r.get("simpler_fix", "str"),
        )
        for r in TableReader(file, read_toml(base, file), "-").tables("problem")
    ]
    unique(file, out)
    return tuple(out)


def _screener_figures(base: pathlib.Path) -> tuple[ScreenerFigure, ...]:
    file = "screener-figures.toml"
    out = []
    for kind, raw in read_toml(base, file).items():
        r = TableReader(file, raw, kind)
        out.append(
            ScreenerFigure(
                check_slug(file, kind, "where an attack comes from"),
                r.get("attacks", "int"),
                r.get("caught", "int"),
                r.get("harmless", "int"),
                r.get("false_alarms", "int"),
                r.get("precision", "num", None),
                r.get("recall", "num", None),
            )
        )
    return tuple(out)


def _strategies(r: TableReader, key: str) -> list[Strategy]:
    return [
        Strategy(
            s.get("id", "str"),
            s.get("name", "str"),
            s.get("what", "str", None) or s.get("how", "str"),
            s.get("keeps_last_turns", "bool", False),
        )
        for s in r.tables(key)
    ]


def _rules(file: str, r: TableReader, key: str, strategies: Mapping[str, Strategy]) -> tuple[Rule, ...]:
    rules = []
    for i, s in enumerate(r.tables(key)):
        s.item = f"{key}[{i}]"
        rule = Rule(conditions(s, "when", None), s.get("strategy", "str"), s.get("reason", "str"))
        if rule.strategy not in strategies:
            raise s.fail(f"unknown reference: strategy '{rule.strategy}'")
        rules.append(rule)
    if not rules or rules[-1].when:
        raise DataError(file, key, "dead end: the last rule must have no conditions, so every case gets an answer")
    return tuple(rules)


def _ai(base: pathlib.Path) -> AiAdvice:
    file = "ai.toml"
    top = TableReader(file, read_toml(base, file), "-")
    latency = unique(file, _strategies(top, "latency_strategy"))
    context = unique(file, _strategies(top, "context_strategy"))
    patterns = []
    for p in top.tables("pattern"):
        pattern = Pattern(p.get("id", "str"), p.get("name", "str"), p.get("regex", "str"), p.get("why", "str"))
        # Compiling all of them takes 60-200 ms in Pyodide, paid by every widget's first answer
        # though only the screener reads them. The browser runs data the site's build loaded
        # on CPython, which refused any pattern that does not compile, so there it waits for
        # the screener's first use (the `regex` property).
        if not BROWSER:
            try:
                pattern.regex  # noqa: B018 (compiled now, so a bad pattern names its file)
            except re.error as exc:
                raise p.fail(f"regex does not compile ({exc})") from None
        patterns.append(pattern)
    unique(file, patterns)
    defences = []
    for d in top.tables("defence"):
        kind = d.get("kind", "str")
        if kind not in ("input", "output"):
            raise d.fail(f"defence kind '{kind}' should be input or output")
        defences.append((kind, d.get("text", "str")))
    # The screener's model is optional: a site's own data may bring none (or its own, trained the same way).
    model_file = base / "screener-model.json"
    screen_model = None
    if model_file.is_file():
        try:
            said = TableReader(file, top.get("screener_model", "table"), "screener_model")
            screen_model = ScreenModel(
                model_file.read_text(encoding="utf-8"), said.get("name", "str"), said.get("why", "str")
            )
            if not BROWSER:  # read now on CPython, so a broken file names itself at build time
                screen_model.check()
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise DataError("screener-model.json", "-", f"not a screener model ({exc})") from None
    figures = _screener_figures(base) if (base / "screener-figures.toml").is_file() else ()
    ctx = TableReader(file, top.get("context", "table"), "context")
    ref = TableReader(file, top.get("cost_reference", "table"), "cost_reference")
    return AiAdvice(
        cost_traps=tuple(unique(file, _strategies(top, "cost_trap")).values()),
        cost_remedies=tuple(unique(file, _strategies(top, "cost_remedy")).values()),
        cost_reference=CostReference(
            *(
                ref.get(key, "int")
                for key in (
                    "requests",
                    "input_tokens",
                    "output_tokens",
                    "history_turns",
                    "history_system",
                    "history_user",
                    "history_reply",
                )
            )
        ),
        latency_strategies=latency,
        latency_rules=_rules(file, top, "latency_rule", latency),
        context_headroom=float(ctx.get("headroom", "num")),
        context_strategies=context,
        context_rules=_rules(file, top, "context_rule", context),
        defences=tuple(defences),
        patterns=tuple(patterns),
        screen_model=screen_model,
        screener_figures=figures,
    )


def _widgets(base: pathlib.Path) -> dict[str, Widget]:
    file = "widgets.toml"
    top = TableReader(file, read_toml(base, file), "-")
    out = {}
    for wid, raw in top.get("widget", "table").items():
        check_slug(file, wid)
        r = TableReader(file, raw, wid)
        options = r.get("options", "strs")
        render = r.get("render", "table", {})
        unknown = sorted(set(render) - set(RENDER_OPTIONS))
        if unknown or not all(isinstance(v, bool) for v in render.values()):
            raise r.fail(f"render should set only {', '.join(RENDER_OPTIONS)} to true or false")
        w = Widget(
            wid,
            r.get("op", "str"),
            options,
            r.get("required", "strs", ()),
            r.get("state", "strs", options),
            r.get("defaults", "table"),
            render,
        )
        for name in w.required:
            if name not in w.options:
                raise r.fail(f"required option '{name}' is not in its options")
        out[wid] = w
    return out


def _check_folder(root: pathlib.Path) -> None:
    """A data folder that isn't there is named as such, not as its first missing file."""
    if not root.exists():
        raise DataFolderError(root, "doesn't exist (give the folder that holds verdicts.toml)")
    if not root.is_dir():
        raise DataFolderError(root, "is not a folder (give the folder that holds verdicts.toml)")


def load(base: pathlib.Path | str | None = None) -> Knowledge:
    """Read and validate all of decision/data/ (or a copy of it at `base`)."""
    root = pathlib.Path(base) if base is not None else DATA_DIR
    _check_folder(root)
    verdicts = _verdicts(root)
    signals = _signals(root)
    problems = _problems(root)
    flow_names = sorted(p.stem for p in (root / "flows").glob("*.toml"))
    flows = {name: loading_flows.flow(root, name, verdicts, signals) for name in flow_names}
    for p in problems:
        if p.id not in flows:
            raise DataError("problems.toml", p.id, f"unknown reference: no question flow flows/{p.id}.toml")
    for name, flow in flows.items():
        if not flow.general and name not in {p.id for p in problems}:
            raise DataError(
                f"flows/{name}.toml",
                name,
                "unknown reference: no problem with this id in problems.toml "
                "(a flow about anything says general = true)",
            )
    price_files = (
        sorted(p.relative_to(root).as_posix() for p in (root / "prices").iterdir() if p.suffix in (".toml", ".json"))
        if (root / "prices").is_dir()
        else []
    )
    sets = [read_price_set(root, f) for f in price_files]
    for file, price_set in zip(price_files, sets, strict=True):
        check_slug(file, price_set.id)
    price_sets = unique("prices", sets)
    if not price_sets:
        raise DataError("prices", "-", "no price set found")
    default = "current" if "current" in price_sets else sets[0].id
    basics, basics_verdict = _basics(root, verdicts)
    finder = loading_flows.stages(root)
    safeguards, safeguard_verdicts = loading_flows.safeguards(root, verdicts, signals)
    return Knowledge(
        verdicts=verdicts,
        basics_verdict=basics_verdict,
        signals=signals,
        stages=finder.stages,
        finder=finder,
        safeguards=safeguards,
        safeguard_verdicts=safeguard_verdicts,
        basics=basics,
        problems=problems,
        flows=flows,
        price_sets=price_sets,
        default_price_set=default,
        widgets=_widgets(root),
        ai=_ai(root),
    )


@functools.cache
def knowledge() -> Knowledge:
    """The package's own knowledge, loaded once per process."""
    return load()
