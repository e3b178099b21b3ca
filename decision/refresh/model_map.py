"""LiteLLM's model map and the overrides beside it: which models shut down when, what succeeds them,
which bill reasoning, and which genai-prices providers the current set takes (development only).

The map is the JSON file the litellm wheel ships (`model_prices_and_context_window_backup.json`),
read from the installed distribution without importing litellm; `prices_refresh` uses these.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import tomllib
from typing import Any

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
# Which genai-prices providers the set takes, which it leaves out and why, and the shutdown windows.
PROVIDERS_FILE = DATA / "price-providers.toml"
# Shutdowns LiteLLM's map doesn't record: kept out, with the day and the provider's page.
RETIRED_FILE = DATA / "retired-models.toml"
# Models that bill hidden reasoning although LiteLLM's map doesn't say so, each with a source.
REASONING_FILE = DATA / "reasoning-models.toml"
# The model map inside the litellm wheel: prices, `deprecation_date`, `successor_model`, `supports_reasoning`.
LITELLM_MAP = "litellm/model_prices_and_context_window_backup.json"


def providers_config(path: pathlib.Path = PROVIDERS_FILE) -> dict[str, Any]:
    """The providers the set takes (in the order ids are claimed), those it leaves out, and the windows."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    taken = {p["id"]: p for p in raw["provider"]}
    left_out = {pid: entry["reason"] for entry in raw.get("left_out", []) for pid in entry["ids"]}
    both = sorted(taken.keys() & left_out.keys())
    if both:
        raise ValueError(f"{path.name}: {', '.join(both)} both taken and left out")
    return {
        "providers": taken,
        "left_out": left_out,
        "leave_within_days": int(raw["leave_within_days"]),
        "retiring_within_days": int(raw["retiring_within_days"]),
        "stale_after_days": int(raw["stale_after_days"]),
    }


def read_map() -> tuple[str, dict[str, Any]]:
    """(litellm's version, its model map), read from the installed wheel's JSON without importing litellm."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("litellm")
    except PackageNotFoundError:
        raise ImportError("litellm") from None
    path = pathlib.Path(str(dist.locate_file(LITELLM_MAP)))
    return dist.version, json.loads(path.read_text(encoding="utf-8"))


def index_map(raw: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """LiteLLM's entries by provider, then by model name (lower case, provider prefix taken off)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or "litellm_provider" not in entry:
            continue
        provider = entry["litellm_provider"]
        name = key[len(provider) + 1 :] if key.startswith(f"{provider}/") else key
        out.setdefault(provider, {})[name.lower()] = entry
    return out


def entry_for(index: dict[str, dict[str, dict[str, Any]]], keys: list[str], model: Any) -> dict[str, Any] | None:
    """LiteLLM's entry for a genai-prices model: its own id first, then the names genai-prices matches to it
    (of those, the one that shuts down last: an alias answers until its last snapshot goes)."""
    for provider in keys:
        entry = index.get(provider, {}).get(model.id.lower())
        if entry is not None:
            return entry
    for provider in keys:
        matched = [e for name, e in index.get(provider, {}).items() if model.is_match(name)]
        if matched:
            return max(matched, key=lambda e: e.get("deprecation_date") or "9999-12-31")
    return None


def retired_models(path: pathlib.Path = RETIRED_FILE) -> dict[str, dict[str, Any]]:
    """The shutdowns LiteLLM's map lacks, by id, each with its name, retirement day and source."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("retired", [])
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry["id"] in out:
            raise ValueError(f"{path.name}: {entry['id']} is listed twice")
        datetime.date.fromisoformat(entry["retired"])
        out[entry["id"]] = entry
    return out


def reasoning_overrides(path: pathlib.Path = REASONING_FILE) -> dict[str, dict[str, Any]]:
    """Models that bill reasoning although LiteLLM's map doesn't say so, by id, each with a source."""
    return {e["id"]: e for e in tomllib.loads(path.read_text(encoding="utf-8")).get("reasoning", [])}


def shutdown_of(
    model: Any,
    entry: dict[str, Any] | None,
    retired: dict[str, dict[str, Any]],
) -> tuple[str | None, str | None]:
    """(the day a model stops answering, its successor's name in LiteLLM's map), from the override or the map."""
    if model.id in retired:
        return retired[model.id]["retired"], retired[model.id].get("replacement")
    if entry is None or not entry.get("deprecation_date"):
        return None, None
    day = datetime.date.fromisoformat(str(entry["deprecation_date"])[:10]).isoformat()
    successor = entry.get("successor_model")
    return day, str(successor).rsplit("/", 1)[-1] if successor else None
