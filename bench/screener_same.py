"""`python bench/screener_same.py`: a digest of every flag and explanation the screener gives, to prove a change kept them.

Screens every message of every set in bench/screener-data/ (held-out ones too: nothing is
read or tuned, only compared), our corpus, the hostile strings and the speed bench's floods,
and writes one line per message: a digest of the text and a digest of the whole answer
(flags, names, reasons, the reader's words). `--write FILE` records, `--check FILE` compares
and prints only how many answers differ, never a text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "helpers")]

from hostile import hostile_strings  # noqa: E402
from screener_sets import samples  # noqa: E402
from screener_speed import inputs  # noqa: E402

from decision import api  # noqa: E402


def texts() -> list[str]:
    found = [s.text for s in samples()] + hostile_strings() + list(inputs().values())
    return list(dict.fromkeys(found))


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def answers() -> dict[str, str]:
    out = {}
    for text in texts():
        answer = api.handle({"v": 1, "op": "screen", "text": text[:20_000]})
        out[digest(text)] = digest(answer)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=pathlib.Path)
    parser.add_argument("--check", type=pathlib.Path)
    args = parser.parse_args()
    now = answers()
    flagged = sum(1 for _ in now)
    if args.write:
        args.write.write_text(json.dumps(now, indent=0, sort_keys=True), encoding="utf-8")
        print(f"{flagged} answers recorded")
    if args.check:
        before = json.loads(args.check.read_text(encoding="utf-8"))
        differ = sum(1 for key, value in now.items() if before.get(key) != value)
        missing = len(set(before) ^ set(now))
        print(f"{len(now)} messages screened; {differ} answers differ; {missing} messages in one run only")
        return 1 if differ or missing else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
