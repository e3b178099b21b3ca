"""Answers from a repository: the four basics with evidence, measured signals and what is in place.

The core is pure and stdlib-only, so the terminal and the browser's worker run the same code:
it takes (path, content) pairs, where content is bytes or text, reads nothing else and runs
nothing. Paths are relative, with "/" between folders. The rules are data (scan.toml).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import plan
from .knowledge import Knowledge, all_hold
from .scan_rules import ScanRule, ScanRules, entropy

Finding = dict[str, Any]
_WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"})
_KEY = re.compile(r"^(?P<indent> *)(?P<key>[\w.-]+)\s*:(?:\s|$)")


def skip_reason(r: ScanRules, path: str, size: int) -> str | None:
    """Why a file isn't read (vendored, generated, too big), or None when it is."""
    parts = path.split("/")
    if any(p in r.skip_dirs for p in parts[:-1]):
        return "vendored"
    if r.generated is not None and r.generated.fullmatch(path):
        return "generated"
    if size > r.max_file_bytes:
        return "huge"
    return None


def decode(content: bytes | str) -> str | None:
    """A file's text, or None when it looks binary (a NUL byte early on)."""
    if isinstance(content, str):
        return content
    if b"\0" in content[:8192]:
        return None
    return content.decode("utf-8", errors="replace")


class _Lines:
    """Line numbers for offsets into one text, and each line's own text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int, str]:
        i = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[i]
        end = self.text.find("\n", start)
        return i + 1, offset - start + 1, self.text[start : end if end >= 0 else len(self.text)]


def _cap_lines(text: str, cap: int) -> str:
    """Lines longer than `cap` cut to `cap`: no pattern reads more than the flood guard tried."""
    if len(text) <= cap or all(len(line) <= cap for line in text.split("\n")):
        return text
    return "\n".join(line[:cap] for line in text.split("\n"))


def _suppressed(r: ScanRules, line: str, rule_id: str) -> bool:
    at = line.find(r.ignore_marker)
    if at < 0:
        return False
    named = re.findall(r"[a-z0-9][a-z0-9._-]*", line[at + len(r.ignore_marker) :].split("(")[0])
    ids = {rule.id for rule in r.rules}
    listed = [n for n in named if n in ids]
    return not listed or rule_id in listed


def finding(rule: ScanRule, path: str, line: int, column: int = 1, note: str = "") -> Finding:
    group, ident = rule.target
    return {
        "rule": rule.id,
        "feeds": group,
        "target": ident,
        "file": path,
        "line": line,
        "column": column,
        "message": rule.message + (f" ({note})" if note else ""),
        "fix": rule.fix,
        "source": rule.source,
    }


def _line_rule(r: ScanRules, rule: ScanRule, path: str, lines: _Lines) -> list[Finding]:
    assert rule.pattern is not None
    out: list[Finding] = []
    seen: set[int] = set()
    for m in rule.pattern.finditer(lines.text):
        line, column, text = lines.at(m.start())
        if line in seen or _suppressed(r, text, rule.id) or any(a.search(text) for a in rule.allow):
            continue
        if rule.kind == "entropy" and entropy(m["value"]) < rule.min_entropy:
            continue
        seen.add(line)
        out.append(finding(rule, path, line, column))
    return out


def _children(lines: list[str], start: int) -> list[tuple[int, str, int]]:
    """(line index, key, indent) of the mapping keys one level under the key at `start`."""
    top = len(_KEY.match(lines[start])["indent"])  # type: ignore[index]
    out: list[tuple[int, str, int]] = []
    level = None
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _KEY.match(lines[i])
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        if indent <= top:
            break
        if m is not None and (level is None or indent == level):
            level = indent
            out.append((i, m["key"], indent))
    return out


def _count(rule: ScanRule, path: str, text: str) -> list[Finding]:
    """A structural count, one finding per deployable (its line is where it is named)."""
    lines = text.split("\n")
    names: list[tuple[int, str]] = []
    if rule.method == "procfile":
        names = [(i, m["key"]) for i, line in enumerate(lines) if (m := _KEY.match(line)) and not m["indent"]]
    elif rule.method == "compose":
        top = next((i for i, line in enumerate(lines) if line.rstrip() == "services:"), None)
        if top is not None:
            for i, key, _ in _children(lines, top):
                if any(k == "build" for _, k, _ in _children(lines, i)):
                    names.append((i, key))
    else:  # kubernetes: one workload per document with a workload kind and a name
        start = 0
        for end in [i for i, line in enumerate(lines) if line.startswith("---")] + [len(lines)]:
            doc = lines[start:end]
            kinds = [line.split(":", 1)[1].strip() for line in doc if line.startswith("kind:")]
            api = any(line.startswith("apiVersion:") for line in doc)
            meta = next((j for j, line in enumerate(doc) if line.rstrip() == "metadata:"), None)
            if api and kinds and kinds[0] in _WORKLOADS and meta is not None:
                name = next(
                    (line.split(":", 1)[1].strip() for line in doc[meta + 1 :] if line.strip().startswith("name:")),
                    "",
                )
                names.append((start + meta, name or f"{kinds[0]}@{start + meta + 1}"))
            start = end + 1
    return [finding(rule, path, i + 1, note=name) | {"name": name} for i, name in names]


def scan_files(
    r: ScanRules,
    files: Iterable[tuple[str, bytes | str | int]],
    *,
    committers: int | None = None,
    extra: Iterable[Finding] = (),
) -> dict[str, Any]:
    """Every finding in `files`, the signals they measure and what is in place.

    Each content is the file's bytes or text, or its size (an int) when the caller didn't
    read a file that is too big: then only its name is judged.
    """
    findings: list[Finding] = []
    skipped: dict[str, int] = {}
    read = 0
    for path, content in files:
        size = content if isinstance(content, int) else len(content)
        reason = skip_reason(r, path, size)
        text = decode(content) if reason is None and not isinstance(content, int) else None
        if reason is None and text is None:
            reason = "binary" if not isinstance(content, int) else "huge"
        if reason is not None or text is None:
            skipped[reason or "binary"] = skipped.get(reason or "binary", 0) + 1
            if reason != "vendored":  # a file's name still counts: a huge .env is still a .env
                in_tests = bool(r.tests and r.tests.fullmatch(path))
                found = [finding(u, path, 1) for u in r.rules if u.kind == "file" and u.reads(path, in_tests)]
                findings.extend(found)
            continue
        read += 1
        in_tests = bool(r.tests and r.tests.fullmatch(path))
        text = _cap_lines(text, r.max_line_chars)
        lower: str | None = None
        lines: _Lines | None = None
        for rule in r.rules:
            if rule.kind == "detect-secrets" or not rule.reads(path, in_tests):
                continue  # detect-secrets is the terminal's (decision.cli.scan_walk): its findings come as `extra`
            if rule.kind == "file":
                findings.append(finding(rule, path, 1))
            elif rule.kind == "count":
                findings.extend(_count(rule, path, text))
            else:
                lower = text.lower() if lower is None else lower
                if rule.hint and not any(h in lower for h in rule.hint):
                    continue
                lines = _Lines(text) if lines is None else lines
                findings.extend(_line_rule(r, rule, path, lines))
    have = {(f["file"], f["line"], f["feeds"], f["target"]) for f in findings}
    for f in extra:
        if (f["file"], f["line"], f["feeds"], f["target"]) not in have:
            findings.append(f)
    findings.sort(key=lambda f: (f["feeds"] != "basic", f["file"], f["line"], f["rule"]))
    return {"files_read": read, "skipped": skipped, "findings": findings, "committers": committers}


def measured(r: ScanRules, k: Knowledge, scanned: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's signals the code settles: a flag it shows, a count it can make."""
    signals: dict[str, Any] = {}
    evidence: dict[str, list[Finding]] = {}
    for f in scanned["findings"]:
        if f["feeds"] == "signal":
            evidence.setdefault(f["target"], []).append(f)
    for ident, found in evidence.items():
        if k.signals[ident].kind == "flag":
            signals[ident] = True
        else:  # several descriptions of one app (compose, manifests, Procfile): the largest counts
            per_file: dict[str, set[str]] = {}
            for f in found:
                per_file.setdefault(f["file"], set()).add(f.get("name", ""))
            signals[ident] = max(len(names) for names in per_file.values())
    if scanned.get("committers") is not None and "engineers" in k.signals:
        signals["engineers"] = scanned["committers"]
    return {"signals": signals, "evidence": evidence}


def report(r: ScanRules, k: Knowledge, scanned: Mapping[str, Any]) -> dict[str, Any]:
    """The one report behind every form (text, JSON, SARIF, the page): basics, signals, plan."""
    m = measured(r, k, scanned)
    signals = m["signals"]
    the_plan = plan.make(k, signals)
    basics = []
    for b in k.basics:
        found = [f for f in scanned["findings"] if f["feeds"] == "basic" and f["target"] == b.id]
        basics.append({"id": b.id, "name": b.name, "passed": not found, "findings": found})
    in_place: list[dict[str, Any]] = []
    for item in r.in_place.values():
        found = [f for f in scanned["findings"] if f["feeds"] == "in-place" and f["target"] == item.id]
        if found or (item.when and all_hold(item.when, signals)):
            in_place.append({"id": item.id, "name": item.name, "evidence": found[:5], "problem": item.problem})
    too_much = []
    for entry in in_place:
        item = r.in_place[str(entry["id"])]
        verdict = the_plan["verdicts"].get(item.problem) if item.keep_cost else None
        if verdict is not None and verdict["verdict"] == "not-yet":
            too_much.append(
                {"id": item.id, "name": item.name, "reason": verdict["reason"], "keep_cost": item.keep_cost}
            )
    return {
        "passed": all(b["passed"] for b in basics),
        "files_read": scanned["files_read"],
        "skipped": dict(sorted(scanned["skipped"].items())),
        "basics": basics,
        "signals": signals,
        "evidence": m["evidence"],
        "asked": [s for s in k.signals if s not in signals],
        "in_place": in_place,
        "too_much": too_much,
        "plan": the_plan,
    }
