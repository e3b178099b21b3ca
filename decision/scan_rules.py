"""The scanner's rules, read from decision/data/scan.toml and refused when they could mislead.

Every rule names what it feeds (a basic, a signal, or something already in place), the files
it reads, its pattern, its message, its fix and its source. Loading checks each reference
against the rest of the guide's data, compiles every pattern, and holds each one to the
flood guard: no pattern may nest unbounded repeats, and none may take long on the longest
line the scanner reads.
"""

from __future__ import annotations

import functools
import math
import pathlib
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import DataError
from .knowledge import Condition, Knowledge
from .reading import TableReader, conditions, read_toml, unique

FILE = "scan.toml"
KINDS = ("line", "file", "entropy", "count", "detect-secrets")  # the last runs in the terminal only
METHODS = ("compose", "kubernetes", "procfile")
PATH_GROUPS = ("skip_dirs", "generated", "tests", "docs", "code", "config", "dependencies")
FLOOD_SECONDS = 0.5  # our patterns read a 20,000-character flood in under 0.1 s; a quadratic one takes seconds
# A group that repeats without bound and holds a repeat of its own: the shape behind
# catastrophic backtracking, e.g. (a+)+ or (\w*\s?)*. Refused before anything times it, unless
# each round must start with one literal character, as in (?:\.[\w-]+)+.
_NESTED_REPEAT = re.compile(r"\((?:\?:)?(?P<body>(?:[^()\\]|\\.)*(?<!\\)[+*}](?:[^()\\]|\\.)*)\)(?:[+*]|\{\d+,\})")
_LITERAL_START = re.compile(r"(?:\\[^\w\s]|[^\\\[(.|?*+{^$])(?![+*?{])")


def _nests_repeats(pattern: str) -> bool:
    return any(not _LITERAL_START.match(m["body"]) or "|" in m["body"] for m in _NESTED_REPEAT.finditer(pattern))


def glob_regex(glob: str) -> str:
    """A path glob as a regex: no "/" matches the name in any folder, "**" any run of folders."""
    anchored = "/" in glob.rstrip("/")
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    body = "".join(out)
    return body if anchored else f"(?:.*/)?{body}"


def path_matcher(globs: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{glob_regex(g)})" for g in globs)) if globs else None


@dataclass(frozen=True)
class ScanRule:
    id: str
    feeds: str  # "basic:secrets", "signal:paid_api", "in-place:cache"
    kind: str
    files: re.Pattern[str]
    not_files: re.Pattern[str] | None
    tests: bool
    hint: tuple[str, ...]
    pattern: re.Pattern[str] | None
    allow: tuple[re.Pattern[str], ...]
    min_entropy: float
    method: str
    message: str
    fix: str
    source: str
    plugins: tuple[str, ...] = ()  # detect-secrets' plugin names, for that kind

    @property
    def target(self) -> tuple[str, str]:
        group, _, ident = self.feeds.partition(":")
        return group, ident

    def reads(self, path: str, in_tests: bool) -> bool:
        if in_tests and not self.tests:
            return False
        if self.not_files is not None and self.not_files.fullmatch(path):
            return False
        return bool(self.files.fullmatch(path))


@dataclass(frozen=True)
class InPlace:
    id: str
    name: str
    problem: str
    keep_cost: str
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class ScanRules:
    rules: tuple[ScanRule, ...]
    in_place: dict[str, InPlace]
    ignore_marker: str
    ignore_file: str
    max_file_bytes: int
    max_line_chars: int
    max_files: int
    committers_days: int
    skip_dirs: frozenset[str]
    generated: re.Pattern[str] | None
    tests: re.Pattern[str] | None
    docs: re.Pattern[str] | None


def entropy(text: str) -> float:
    """Shannon entropy in bits per character: about 4 or more for random keys, under 3 for words."""
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0


def _globs(r: TableReader, key: str, groups: Mapping[str, tuple[str, ...]], default: Any = ...) -> tuple[str, ...]:
    out: list[str] = []
    for g in r.get(key, "strs", default):
        if g.startswith("@"):
            if g[1:] not in groups:
                raise r.fail(f"unknown reference: path group '{g}' (use one of {', '.join(groups)})")
            out.extend(groups[g[1:]])
        else:
            out.append(g)
    return tuple(out)


def flood_guard(r: TableReader, pattern: str, max_chars: int, timed: bool = True) -> re.Pattern[str]:
    """`pattern` compiled, refused when it nests repeats or (`timed`) is slow on a line of `max_chars`."""
    if _nests_repeats(pattern):
        raise r.fail("pattern nests a repeat inside a repeat, which can take exponential time on a long line")
    try:
        regex = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise r.fail(f"pattern does not compile ({exc})") from None
    if not timed or sys.platform == "emscripten":  # timed on CPython by the tests; the browser trusts it
        return regex
    for flood in ("a", " ", "=", "\"'", "a=", "http://a.", "select ", "sk-", "{", "`${"):
        line = (flood * (max_chars // len(flood) + 1))[:max_chars]
        for _ in range(3):  # the least of three tries: a busy machine doesn't fail a quick pattern
            start = time.perf_counter()
            regex.search(line)
            if time.perf_counter() - start <= FLOOD_SECONDS:
                break
        else:
            raise r.fail(f"pattern is slow on a line of {max_chars:,} characters of {flood!r} (flood guard)")
    return regex


def _rule(r: TableReader, k: Knowledge, groups: Mapping[str, tuple[str, ...]], max_chars: int, timed: bool) -> ScanRule:
    feeds = r.get("feeds", "str")
    group, _, ident = feeds.partition(":")
    known = {"basic": {b.id for b in k.basics}, "signal": set(k.signals), "in-place": None}
    if group not in known:
        raise r.fail(f"feeds '{feeds}' should start with basic:, signal: or in-place:")
    names = known[group]
    if names is not None and ident not in names:
        raise r.fail(f"unknown reference: {group} '{ident}'")
    kind = r.get("kind", "str")
    if kind not in KINDS:
        raise r.fail(f"unknown kind '{kind}' (use one of {', '.join(KINDS)})")
    if group == "signal" and kind != "count" and k.signals[ident].kind != "flag":
        raise r.fail(f"signal '{ident}' is a {k.signals[ident].kind}; only a count rule can measure it")
    method = r.get("method", "str", "")
    if (kind == "count") != bool(method) or (method and method not in METHODS):
        raise r.fail(f"a count rule names a method ({', '.join(METHODS)}), and only a count rule does")
    needs_pattern = kind in ("line", "entropy")
    source = r.get("pattern", "str", None)
    if needs_pattern != (source is not None):
        raise r.fail("a line or entropy rule has a pattern, and only those do")
    pattern = flood_guard(r, source, max_chars, timed) if source is not None else None
    if kind == "entropy" and pattern is not None and "value" not in pattern.groupindex:
        raise r.fail("an entropy rule's pattern has a group named 'value'")
    hints = r.get("hint", "strs", ())
    if any(h != h.lower() or not h for h in hints):
        raise r.fail("every hint is lowercase text")
    for field in ("source",):
        if not r.get(field, "str").startswith("https://"):
            raise r.fail(f"field '{field}' should be an https:// reference")
    files = _globs(r, "files", groups)
    matcher = path_matcher(files)
    if matcher is None:
        raise r.fail("field 'files' is empty")
    return ScanRule(
        id=r.get("id", "str"),
        feeds=feeds,
        kind=kind,
        files=matcher,
        not_files=path_matcher(_globs(r, "not_files", groups, ())),
        tests=r.get("tests", "bool", True),
        hint=hints,
        pattern=pattern,
        allow=tuple(flood_guard(r, a, max_chars, timed) for a in r.get("allow", "strs", ())),
        min_entropy=r.get("min_entropy", "num", 0.0),
        method=method,
        message=r.get("message", "str"),
        fix=r.get("fix", "str"),
        source=r.get("source", "str"),
        plugins=_plugins(r, kind),
    )


def _plugins(r: TableReader, kind: str) -> tuple[str, ...]:
    plugins: tuple[str, ...] = r.get("plugins", "strs", ())
    if (kind == "detect-secrets") != bool(plugins):
        raise r.fail("a detect-secrets rule lists its plugins, and only that kind does")
    return plugins


def load(base: pathlib.Path, k: Knowledge, timed: bool = True) -> ScanRules:
    """The rules in `base`, checked; `timed=False` skips timing each pattern on floods (about
    0.6 s), for the package's own rules, which the test suite times (test_the_shipped_rules_pass_the_flood_guard).
    """
    top = TableReader(FILE, read_toml(base, FILE), "-")
    paths = TableReader(FILE, top.get("paths", "table"), "paths")
    groups = {name: paths.get(name, "strs") for name in PATH_GROUPS}
    max_chars = top.get("max_line_chars", "int")
    rules = [_rule(r, k, groups, max_chars, timed) for r in top.tables("rule")]
    unique(FILE, rules)
    places: list[InPlace] = []
    for r in top.tables("in_place"):
        problem = r.get("problem", "str", "")
        if problem and problem not in {p.id for p in k.problems}:
            raise r.fail(f"unknown reference: problem '{problem}'")
        cost = r.get("keep_cost", "str", "")
        when = conditions(r, "when", None) if "when" in r.table else ()
        if cost and not problem:
            raise r.fail("keep_cost says what a thing costs against a problem's verdict: name the problem")
        places.append(InPlace(r.get("id", "str"), r.get("name", "str"), problem, cost, when))
    in_place = unique(FILE, places)
    for rule in rules:
        group, ident = rule.target
        if group == "in-place" and ident not in in_place:
            raise DataError(FILE, rule.id, f"unknown reference: in_place '{ident}'")
    for item in in_place.values():
        for c in item.when:
            if c.field not in k.signals:
                raise DataError(FILE, item.id, f"unknown reference: signal '{c.field}'")
    return ScanRules(
        rules=tuple(rules),
        in_place=in_place,
        ignore_marker=top.get("ignore_marker", "str"),
        ignore_file=top.get("ignore_file", "str"),
        max_file_bytes=top.get("max_file_bytes", "int"),
        max_line_chars=max_chars,
        max_files=top.get("max_files", "int"),
        committers_days=top.get("committers_days", "int"),
        skip_dirs=frozenset(groups["skip_dirs"]),
        generated=path_matcher(groups["generated"]),
        tests=path_matcher(groups["tests"]),
        docs=path_matcher(groups["docs"]),
    )


@functools.cache
def rules() -> ScanRules:
    """The package's own rules, loaded once per process; their timing on floods is the suite's job,
    not every start of `whatmatters scan` (a pre-commit hook runs it on each commit)."""
    from .loading import DATA_DIR, knowledge

    return load(DATA_DIR, knowledge(), timed=False)


@functools.cache
def limits() -> dict[str, Any]:
    """What a page needs before it reads a folder (skipped folders, the largest file read), cheaply:
    the rules themselves are loaded only when there is something to scan."""
    from .loading import DATA_DIR

    top = TableReader(FILE, read_toml(DATA_DIR, FILE), "-")
    paths = TableReader(FILE, top.get("paths", "table"), "paths")
    return {
        "skip_dirs": sorted(paths.get("skip_dirs", "strs")),
        "max_file_bytes": top.get("max_file_bytes", "int"),
        "ignore_file": top.get("ignore_file", "str"),
    }
