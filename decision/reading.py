"""Typed fields out of the data files, each refusal blaming the right file and id.

`decision.loading` builds the knowledge's records with these; a wrong type, a missing
field, an empty text or a duplicate id becomes a DataError that names file, id, problem.
"""

from __future__ import annotations

import json
import pathlib
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from .errors import DataError
from .knowledge import COMPARISONS, Condition
from .protocol import ID_PATTERN, MAX_ID_CHARS

_SLUG = re.compile(ID_PATTERN)

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


def read_text(base: pathlib.Path, name: str) -> str:
    """A data file's text: strict UTF-8, and any failure a DataError naming the file (and line)."""
    try:
        raw = (base / name).read_bytes()
    except FileNotFoundError:
        raise DataError(name, "-", "file is missing") from None
    except OSError as exc:
        raise DataError(name, "-", f"can't be read ({exc.strerror or type(exc).__name__})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(name, f"line {line}", f"is not UTF-8 text (byte {raw[exc.start]:#04x})") from None


def read_toml(base: pathlib.Path, name: str) -> dict[str, Any]:
    text = read_text(base, name)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(name, "-", f"is not valid TOML ({exc})") from None
    except RecursionError:  # tables or arrays nested thousands deep
        raise DataError(name, "-", "is not valid TOML (nested too deeply)") from None


def check_slug(file: str, ident: str, what: str = "id") -> str:
    """`ident` when it is a slug (ID_PATTERN): it becomes class names, link keys and HTML ids."""
    if not _SLUG.fullmatch(ident) or len(ident) > MAX_ID_CHARS:
        raise DataError(
            file,
            ident[:60],
            f"{what} should be a slug of at most {MAX_ID_CHARS} characters: lowercase letters, "
            "digits, '.', '_' and '-', starting with a letter or digit",
        )
    return ident


def unique(file: str, items: list[Any], key: str = "id", slugs: bool = True) -> dict[str, Any]:
    """Items by id, refusing duplicates; our own ids must be slugs, a provider's model ids
    ("amazon.nova-lite-v1:0") are kept as the provider writes them (`slugs=False`)."""
    seen: dict[str, Any] = {}
    for item in items:
        ident = check_slug(file, getattr(item, key)) if slugs else getattr(item, key)
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
    text = read_text(base, name)
    try:
        doc: dict[str, Any] = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataError(name, "-", f"can't be read as JSON ({exc})") from None
    return doc
