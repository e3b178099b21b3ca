"""Write the installed genai-prices and litellm versions into pyproject.toml's pins.

    python tools/price_pins.py

The weekly prices workflow upgrades both packages, runs this, then `whatmatters prices
refresh`, so the pull request it opens carries the new pins beside the data made from them.
Prints each pin it changed; a pin already at the installed version is left alone.
"""

from __future__ import annotations

import pathlib
import re
import sys
from importlib.metadata import version

PYPROJECT = pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml"
PACKAGES = ("genai-prices", "litellm")


def main() -> int:
    text = PYPROJECT.read_text(encoding="utf-8")
    for name in PACKAGES:
        installed = version(name)
        pin = re.compile(rf'"{re.escape(name)}==([^"]+)"')
        if not pin.search(text):
            print(f"pyproject.toml has no pin for {name}", file=sys.stderr)
            return 1
        old = {m.group(1) for m in pin.finditer(text)}
        text = pin.sub(f'"{name}=={installed}"', text)
        if old != {installed}:
            print(f"{name}: {', '.join(sorted(old))} -> {installed}")
    PYPROJECT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
