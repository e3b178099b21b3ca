"""The guide's knowledge as frozen records: verdicts, stages, basics, problems, question
flows, AI advice, price sets and widgets, with the little logic that belongs to them.

`decision.loading` reads decision/data/ into these records and validates every piece.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .regex_gate import GatedPattern
from .screen_model import ScreenModel

COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "is": operator.is_,
}


@dataclass(frozen=True)
class Condition:
    """`field op value`, e.g. p95_seconds >= 2; a missing field makes it unknown (None)."""

    field: str
    op: str
    value: Any

    def holds(self, values: Mapping[str, Any]) -> bool | None:
        if values.get(self.field) is None:
            return None
        return bool(COMPARISONS[self.op](values[self.field], self.value))


def any_holds(conditions: tuple[Condition, ...], values: Mapping[str, Any]) -> bool | None:
    """True if one condition holds, False if all are known and none holds, else None."""
    results = [c.holds(values) for c in conditions]
    if any(r is True for r in results):
        return True
    if results and all(r is False for r in results):
        return False
    return None


def all_hold(conditions: tuple[Condition, ...], values: Mapping[str, Any]) -> bool:
    return all(c.holds(values) is True for c in conditions)


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    summary: str
    needs_evidence: bool = False  # only answers the reader gave may lead here, never an unknown
    simple: bool = False  # the cautious end of a flow: an unknown must stop here when it can


@dataclass(frozen=True)
class Signal:
    id: str
    kind: str
    label: str
    help: str
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    long_name: str
    users: str
    max_users: int
    depended_on: bool
    question: str
    meaning: str
    takes: str
    focus: str
    skip: str
    checklist: tuple[str, ...]
    min_users: int = 0  # the depended-on stage starts here; a smaller product keeps its own stage


@dataclass(frozen=True)
class StageRaise:
    """Safeguards a product needs now because people rely on it (`depends`) or pay (`pays`)."""

    when: str
    why: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class StageFinder:
    stages: tuple[Stage, ...]
    raises: tuple[StageRaise, ...]
    reason_users: str
    reason_relied: str
    reason_raised: str


@dataclass(frozen=True)
class Safeguard:
    """Something whose loss can't be undone: "Do it now" at every stage unless `not_if` holds."""

    id: str
    name: str
    loses: str
    checklist: str
    reason: str
    not_if: tuple[Condition, ...]
    not_yet_reason: str


@dataclass(frozen=True)
class Basic:
    id: str
    name: str
    why: str
    how: str
    prevents: str
    minutes: int
    checks: tuple[str, ...]
    plan_reason: str


@dataclass(frozen=True)
class Problem:
    id: str
    name: str
    what: str
    add_when: str
    not_yet: tuple[str, ...]
    now: tuple[str, ...]
    simpler_fix: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    next: str | None
    verdict: str | None
    reason: str | None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    yes_if: tuple[Condition, ...]
    if_unknown: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Flow:
    topic: str
    title: str
    start: str
    questions: Mapping[str, Question]
    general: bool = False  # asks about anything, not one problem of problems.toml


@dataclass(frozen=True)
class Rule:
    when: tuple[Condition, ...]
    strategy: str
    reason: str


@dataclass(frozen=True)
class Strategy:
    id: str
    name: str
    what: str
    keeps_last_turns: bool = False  # the advice names how many recent turns to keep


@dataclass(frozen=True)
class Pattern:
    """A suspicious pattern, compiled when the screener first reads it.

    It reads the case-folded normal form (screener.screen_form), so it is written in lower
    case and compiled case-sensitive: case-insensitive matching made every pattern about
    three times slower on a long message.
    """

    id: str
    name: str
    source: str
    why: str

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.source)

    @functools.cached_property
    def gated(self) -> GatedPattern:
        """The same search, run only on the branches whose words the message holds (regex_gate)."""
        return GatedPattern(self.source)


@dataclass(frozen=True)
class Tier:
    """The rates a request pays once its prompt has more than `above_input_tokens` input tokens."""

    above_input_tokens: int
    input: float
    output: float
    cached_input: float | None
    cache_write: float | None = None


@dataclass(frozen=True)
class Rates:
    """A set of rates on their own: a model's batch prices."""

    input: float
    output: float
    cached_input: float | None
    cache_write: float | None
    tiers: tuple[Tier, ...] = ()


@dataclass(frozen=True)
class Change:
    """A dated price: from `starts` on (or, with no day, before every dated one), these rates apply."""

    starts: str | None
    input: float
    output: float
    cached_input: float | None
    cache_write: float | None = None
    tiers: tuple[Tier, ...] = ()


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    provider: str
    input: float
    output: float
    cached_input: float | None
    context_window: int | None
    effective: str | None
    tiers: tuple[Tier, ...] = ()
    scheduled: tuple[Change, ...] = ()
    reasons: bool = False  # bills hidden reasoning tokens as output
    cache_write: float | None = None  # the price of writing input to the prompt cache
    batch: Rates | None = None
    history: tuple[Change, ...] = ()  # earlier prices, oldest first
    shutdown: str | None = None  # the day the provider stops answering calls to it
    replacement: str | None = None  # the id of the model the provider names as its successor


@dataclass(frozen=True)
class PriceSet:
    id: str
    name: str
    unit: str
    effective: str
    source: str
    note: str
    models: Mapping[str, Model]
    checked: str | None = None  # the day the prices were last checked against their source
    leave_within_days: int = 30  # a model due to shut down this soon leaves every list and example
    retiring_within_days: int = 90  # ... and this soon is marked "retiring"
    day: str | None = None  # for a set read on one day: that day (prices in force then)
    left: Mapping[str, Model] = field(default_factory=dict)  # ... and the models that had left it by then


@dataclass(frozen=True)
class Widget:
    """A widget a page can place: the engine op behind it, its options and worked example."""

    id: str
    op: str
    options: tuple[str, ...]
    required: tuple[str, ...]
    state: tuple[str, ...]
    defaults: Mapping[str, Any]
    render: Mapping[str, bool]  # how the page's first state is drawn, e.g. a flow's whole tree


@dataclass(frozen=True)
class CostReference:
    """The workloads behind the price table's columns: N requests, and one chat with history."""

    requests: int
    input_tokens: int
    output_tokens: int
    history_turns: int
    history_system: int
    history_user: int
    history_reply: int


@dataclass(frozen=True)
class ScreenerFigure:
    """The screener on one kind of held-out attack (data/screener-figures.toml, written by the evaluation)."""

    where: str  # direct, indirect or all: where the attack comes from
    attacks: int
    caught: int
    harmless: int
    false_alarms: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class AiAdvice:
    """What the guide advises for AI features: cost habits, latency, context windows, screening."""

    cost_traps: tuple[Strategy, ...]
    cost_remedies: tuple[Strategy, ...]
    cost_reference: CostReference
    latency_strategies: Mapping[str, Strategy]
    latency_rules: tuple[Rule, ...]
    context_headroom: float
    context_strategies: Mapping[str, Strategy]
    context_rules: tuple[Rule, ...]
    defences: tuple[tuple[str, str], ...]
    patterns: tuple[Pattern, ...]
    screen_model: ScreenModel | None = None  # data/screener-model.json, where the data has one
    screener_figures: tuple[ScreenerFigure, ...] = ()  # data/screener-figures.toml, where the data has one


@dataclass(frozen=True)
class Knowledge:
    verdicts: Mapping[str, Verdict]
    basics_verdict: str  # the verdict every basic gets in a plan
    signals: Mapping[str, Signal]
    stages: tuple[Stage, ...]
    finder: StageFinder
    safeguards: tuple[Safeguard, ...]
    safeguard_verdicts: tuple[str, str]  # (applies, can't apply yet)
    basics: tuple[Basic, ...]
    problems: tuple[Problem, ...]
    flows: Mapping[str, Flow]
    ai: AiAdvice
    price_sets: Mapping[str, PriceSet]
    default_price_set: str
    widgets: Mapping[str, Widget]
