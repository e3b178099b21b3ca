"""`whatmatters scan [PATH]`: the basics with evidence, the signals the code measures, the plan.

Text for people, `--json` for programs, `--sarif FILE` for code scanning; exit 0 when the
basics pass, 1 when one fails (the result's `exit_code`), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import pathlib
from collections.abc import Iterator
from typing import Any

from .. import __version__
from ..loading import knowledge
from ..scan import report, scan_files
from ..scan_rules import rules
from . import scan_walk, terminal
from .terminal import UsageError

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def scan_path(root: pathlib.Path, *, external: bool = False) -> dict[str, Any]:
    """The report for the folder `root`; `external` also runs detect-secrets when it is installed."""
    r = rules()
    read: list[str] = []

    def files() -> Iterator[tuple[str, bytes | int]]:
        for path, content in scan_walk.files(root, r):
            read.append(path)
            yield path, content

    scanned = scan_files(r, files(), committers=scan_walk.committers(root, r.committers_days))
    if external:
        extra = scan_walk.detect_secrets(root, r, [p for p in read if "\ufffd" not in p])
        scanned = dict(scanned, findings=_merge(scanned["findings"], extra))
    return report(r, knowledge(), scanned)


def _merge(ours: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ours, then each detect-secrets finding on a line none of ours already flags for the same basic."""
    have = {(f["file"], f["line"], f["feeds"], f["target"]) for f in ours}
    more = [f for f in extra if (f["file"], f["line"], f["feeds"], f["target"]) not in have]
    return sorted(ours + more, key=lambda f: (f["feeds"] != "basic", f["file"], f["line"], f["rule"]))


def cmd_scan(args: argparse.Namespace) -> dict[str, Any]:
    root = pathlib.Path(args.path)
    if not root.exists():
        raise UsageError(f"There is no folder called '{scan_walk.shown(args.path)}' to scan.")
    if not root.is_dir():
        raise UsageError(f"'{scan_walk.shown(args.path)}' is a file; give the folder of the repository.")
    result = scan_path(root, external=args.detect_secrets)
    result["exit_code"] = 0 if result["passed"] else 1
    if args.sarif:
        try:
            pathlib.Path(args.sarif).write_text(json.dumps(sarif(result), indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"Can't write the SARIF file ({exc.strerror or 'not writable'}).") from None
    return result


def sarif(result: dict[str, Any]) -> dict[str, Any]:
    """The basics' findings as SARIF 2.1.0, one rule per scan rule that found something."""
    findings = [f for b in result["basics"] for f in b["findings"]]
    ids = sorted({f["rule"] for f in findings})
    first = {f["rule"]: f for f in reversed(findings)}
    sarif_rules = [
        {
            "id": i,
            "shortDescription": {"text": first[i]["message"]},
            "help": {"text": first[i]["fix"]},
            "helpUri": first[i]["source"],
            "properties": {"basic": first[i]["target"]},
        }
        for i in ids
    ]
    results = [
        {
            "ruleId": f["rule"],
            "ruleIndex": ids.index(f["rule"]),
            "level": "error",
            "message": {"text": f"{f['message']} {f['fix']}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f["file"], "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f["line"], "startColumn": f["column"]},
                    }
                }
            ],
        }
        for f in findings
    ]
    driver = {
        "name": "whatmatters scan",
        "version": __version__,
        "informationUri": "https://github.com/whatmatters/whatmatters",
        "rules": sarif_rules,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def print_scan(result: dict[str, Any]) -> None:
    k = knowledge()
    print(f"Read {result['files_read']:,} files" + _skipped(result["skipped"]) + ".\n")
    print("The four basics")
    for b in result["basics"]:
        print(f"  {'pass' if b['passed'] else 'FIX '}  {b['name']}")
        for f in b["findings"][:20]:
            print(f"        {f['file']}:{f['line']}: {f['message']}")
            print(terminal.wrap(f"Fix: {f['fix']}", "          "))
        if len(b["findings"]) > 20:
            print(f"        ... and {len(b['findings']) - 20} more (--json lists them all)")
    print("\nSignals from the code")
    if not result["signals"]:
        print("  none measured")
    for ident, value in result["signals"].items():
        shown = "yes" if value is True else value
        print(f"  {k.signals[ident].label}: {shown}")
    asked = ", ".join(k.signals[s].label for s in result["asked"])
    print(terminal.wrap(f"Still to ask (whatmatters plan): {asked}.", "  "))
    if result["in_place"]:
        print("\nAlready in place")
        for item in result["in_place"]:
            where = f" ({item['evidence'][0]['file']})" if item["evidence"] else ""
            print(f"  {item['name']}{where}")
    for item in result["too_much"]:
        print(f"\nMore than you need yet: {item['name']}")
        print(terminal.wrap(item["reason"], "  "))
        print(terminal.wrap(item["keep_cost"], "  "))
    print("\nThe plan, from what the code shows")
    terminal.print_plan(result["plan"])


def _skipped(skipped: dict[str, int]) -> str:
    if not skipped:
        return ""
    return ", skipped " + ", ".join(f"{n:,} {why}" for why, n in skipped.items())
