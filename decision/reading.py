"""Typed fields out of the data files, each refusal blaming the right file and id.

`decision.loading` builds the knowledge's records with these; a wrong type, a missing
field, an empty text or a duplicate id becomes a DataError that names file, id, problem.
"""

from __future__ import annotations

import json
import pathlib
import tomllib
from collections.abc import Mapping
from typing import Any

from .errors import DataError
from .knowledge import COMPARISONS, Condition

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "num": (int, float),
    "bool": (bool,),
    "strs": (list,),
    "list": (list,),
    "table": (dict,),
}
_TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "num": "a number",
    "bool": "true or false",
    "strs": "a list of texts",
    "list": "a list",
    "table": "a table",
}


class TableReader:
    """Reads typed fields out of one TOML table, blaming the right file and id."""

    def __init__(self, file: str, table: Any, where: str) -> None:
        self.file = file
        if not isinstance(table, dict):
            raise DataError(file, where, "should be a table")
        self.table = table
        ident = table.get("id", table.get("topic"))
        self.item = ident if isinstance(ident, str) else where

    def fail(self, problem: str) -> DataError:
        return DataError(self.file, self.item, problem)

    def get(self, key: str, kind: str, default: Any = ..., *, item_kind: str | None = None) -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(f"missing field '{key}'")
            return default
        value = self.table[key]
        ok = isinstance(value, _TYPES[kind]) and not (kind in ("int", "num") and isinstance(value, bool))
        if kind == "strs" and ok:
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            raise self.fail(f"field '{key}' should be {_TYPE_NAMES[kind]}, not {type(value).__name__}")
        if kind == "str" and not value.strip():
            raise self.fail(f"field '{key}' is empty")
        return tuple(value) if kind == "strs" else value

    def tables(self, key: str) -> list[TableReader]:
        rows = self.get(key, "list")
        return [TableReader(self.file, row, f"{key}[{i}]") for i, row in enumerate(rows)]


def read_toml(base: pathlib.Path, name: str) -> dict[str, Any]:
    path = base / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(name, "-", "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(name, "-", f"is not valid TOML ({exc})") from None


def unique(file: str, items: list[Any], key: str = "id") -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for item in items:
        ident = getattr(item, key)
        if ident in seen:
            raise DataError(file, ident, "duplicate id")
        seen[ident] = item
    return seen


def conditions(r: TableReader, key: str, fields: Mapping[str, str] | None) -> tuple[Condition, ...]:
    """Read a list of conditions; `fields` maps known field names to their kind."""
    out = []
    for c in r.tables(key):
        c.item = r.item
        field = c.get("signal", "str", None) or c.get("field", "str")
        op = c.get("op", "str")
        value = c.get("value", "bool" if op == "is" else "num")
        if op not in COMPARISONS:
            raise r.fail(f"unknown operator '{op}' (use one of {', '.join(COMPARISONS)})")
        if fields is not None:
            if field not in fields:
                raise r.fail(f"unknown reference: signal '{field}'")
            if (fields[field] == "flag") != (op == "is"):
                raise r.fail(f"signal '{field}' is a {fields[field]}; operator '{op}' does not fit it")
        out.append(Condition(field, op, value))
    return tuple(out)


def read_json(base: pathlib.Path, name: str) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads((base / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(name, "-", f"can't be read as JSON ({exc})") from None
    return doc
