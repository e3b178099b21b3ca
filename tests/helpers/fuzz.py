"""How many examples a fuzz test tries: its full count times WHATMATTERS_FUZZ_SCALE (1 unless set;
`make test-fast` sets 0.1), so a quick run fuzzes less and `make test` fuzzes as much as ever."""

from __future__ import annotations

import os


def examples(count: int) -> int:
    """`count` scaled for this run, never fewer than 10."""
    return max(10, round(count * float(os.environ.get("WHATMATTERS_FUZZ_SCALE", "1"))))
