"""Make `data/prices/current.json` from genai-prices and LiteLLM's model map: a development-time tool.

The engine stays stdlib-only, so nothing in it imports this module; `whatmatters prices
refresh` does, and genai-prices is imported inside the functions that need it. LiteLLM's
model map is read as the JSON file its wheel ships, without importing litellm. The file
it writes is a plain price set the loader reads like any other, in USD per million tokens.

Prices come from genai-prices, with every dated change it lists (so the engine can answer
with the price in force on a reader's day); shutdown dates, successors and which models
bill reasoning come from LiteLLM's map, with retired-models.toml and reasoning-models.toml
holding only the facts that map lacks, each with its own source. Same versions and same
day in, same bytes out: rows and keys are sorted, and no clock time is written.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import re
from decimal import Decimal
from typing import Any, cast

from .model_map import PROVIDERS_FILE, REASONING_FILE, RETIRED_FILE, entry_for, index_map, read_map, shutdown_of
from .model_map import providers_config as providers_config
from .model_map import reasoning_overrides as reasoning_overrides
from .model_map import retired_models as retired_models

FILE_NAME = "current.json"
# The 2024 quick reference's models: kept whatever the filters below say, unless retired.
SEED_IDS = frozenset({"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "claude-3-sonnet", "claude-3-haiku"})

# A chat model writes text: a price for any other output (audio, images, video) marks a
# model this guide's text-token sums would misprice. Extra input kinds are fine: text
# input is still priced by input_mtok. A fee per request is not: a token sum leaves it out.
TEXT_OUTPUT_KEY = "output_mtok"
PER_REQUEST_KEYS = ("requests_kcount",)

# Models that are not chat models, by a fragment of their id.
NOT_CHAT = (
    "embedding",
    "embed",
    "tts",
    "transcribe",
    "whisper",
    "moderation",
    "realtime",
    "audio",
    "image",
    "live",
    "robotics",
    "computer-use",
    "babbage",
    "davinci",
    "curie",
    "ocr",
    "sonic",
    "voice",
)
NOT_CHAT_IDS = frozenset({"ada"})

NOTE = (
    "Standard rates as genai-prices lists them, with every dated change it records: each answer uses the "
    "price in force on its day. Cached input is the cache-read price and cache write the price of writing "
    "to the cache; batch rates are given where the source has them; flex and priority rates are left out, "
    "as are image, audio and embedding models, models shut down or due to shut down within "
    "{leave} days (dates from LiteLLM's model map), and open-weight models hosted by others, whose price "
    "is a host's rather than the maker's. Reasoning models bill their hidden reasoning as output tokens.{skipped}"
)
SKIPPED_NOTE = " {n} tiered models whose steps can't be written that way are left out."

# The genai-prices keys a row is made of, and the name each has in a row.
ROW_KEYS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cached_input",
    "cache_write_mtok": "cache_write",
}


def _num(value: Decimal) -> int | float:
    """A price as JSON writes it: 8, not 8.0; 0.075 exactly as the source wrote it."""
    return int(value) if value == value.to_integral_value() else float(value)


def _is_tiered(prices: Any) -> bool:
    from genai_prices.types import TieredPrices

    return any(isinstance(v, TieredPrices) for v in vars(prices).values())


def _tier_starts(prices: Any) -> list[int] | None:
    """Every input-token threshold of a row's prices, ascending; None if one can't be written as a tier."""
    from genai_prices.types import TieredPrices

    starts: set[int] = set()
    for key in ROW_KEYS:
        value = getattr(prices, key, None)
        if isinstance(value, TieredPrices):
            for tier in value.tiers:
                if type(tier.start) is not int or tier.start < 0:
                    return None
                starts.add(tier.start)
    return sorted(starts)


def _rate_at(value: Any, input_tokens: int) -> Decimal | None:
    """The price genai-prices charges for a prompt of `input_tokens` (its tiers start strictly above)."""
    from genai_prices.types import TieredPrices

    if not isinstance(value, TieredPrices):
        return cast("Decimal | None", value)
    rate = value.base
    for tier in value.tiers:  # ascending, so the last one passed wins
        if input_tokens > tier.start:
            rate = tier.price
    return rate


def _row_prices(prices: Any) -> dict[str, Any]:
    """input, output and cached_input of one genai-prices ModelPrice: base rates, then any tiers."""

    def rates(input_tokens: int) -> dict[str, Any]:
        found = {name: _rate_at(getattr(prices, key, None), input_tokens) for key, name in ROW_KEYS.items()}
        return {name: _num(value) for name, value in found.items() if value is not None}

    out = rates(0)
    starts = _tier_starts(prices) or []
    if starts:
        out["tiers"] = [{"above_input_tokens": start, **rates(start + 1)} for start in starts]
    return out


def _by_time_of_day(model: Any) -> bool:
    from genai_prices.types import ModelPrice, TimeOfDateConstraint

    return not isinstance(model.prices, ModelPrice) and any(
        isinstance(c.constraint, TimeOfDateConstraint) for c in model.prices
    )


def _timeline(model: Any, as_of: datetime.date) -> tuple[Any, str | None, list[dict[str, Any]], list[dict[str, Any]]]:
    """(prices in force on `as_of`, the day they took effect, earlier prices, later ones)."""
    from genai_prices.types import ModelPrice

    if isinstance(model.prices, ModelPrice):
        return model.prices, None, [], []
    dated = [(None if c.constraint is None else c.constraint.start_date, c.prices) for c in model.prices]
    # genai-prices applies the last price whose start has come (or the first, if none has)
    starts: list[datetime.date | None] = [start for start, _ in dated]
    active = next((i for i in reversed(range(len(starts))) if (s := starts[i]) is None or s <= as_of), 0)

    def entries(part: list[tuple[datetime.date | None, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for start, prices in part:
            row = {**({"from": start.isoformat()} if start else {}), **_row_prices(prices)}
            if not out or {**out[-1], "from": None} != {**row, "from": None}:
                out.append(row)  # a change in some other kind of price (web search, say) is no change here
        return out

    *earlier, current = entries(dated[: active + 1])
    later = entries([(None, dated[active][1]), *dated[active + 1 :]])[1:]
    prices, start = dated[active][1], current.get("from")
    return prices, start, earlier, later


def _name(model: Any) -> str:
    """genai-prices' display name when it is a curated one, else one made from the id."""
    if model.name and (model.name == model.id or model.name != model.name.lower()):
        return str(model.name)
    ident, date = model.id, ""
    found = re.search(r"-(\d{4}-\d{2}-\d{2})$", ident)
    if found:
        ident, date = ident[: found.start()], f" ({found.group(1)})"
    words = ident.split("-")
    head = f"GPT-{_word(words.pop(1))}" if words[0] == "gpt" and len(words) > 1 else _word(words[0])
    if head[0] == "O" and head[1:2].isdigit():
        head = head.lower()  # OpenAI writes its reasoning models o1, o3, o4
    rest = [w if w in ("mini", "nano") else _word(w) for w in words[1:]]
    return " ".join([head, *rest]) + date


def _word(word: str) -> str:
    return {"api": "API"}.get(word, word.capitalize() if word.isalpha() else word)


def _skip_reason(model: Any, prices: Any, conf: dict[str, Any], retired: frozenset[str] = frozenset()) -> str | None:
    """Why a model stays out of the snapshot, or None to keep it."""
    if model.id in retired:
        return "retired"
    if model.id in SEED_IDS:
        return None
    if conf.get("only") and not model.id.startswith(tuple(conf["only"])):
        return "another maker's"
    if model.id.startswith(tuple(conf.get("skip", ()))):
        return "another maker's"
    if (":" in model.id and not conf.get("only")) or ".ft-" in model.id:
        return "fine-tuned"
    if model.id in NOT_CHAT_IDS or any(part in model.id.lower() for part in NOT_CHAT):
        return "not a chat model"
    keys = {k for k, v in vars(prices).items() if v is not None}
    if not {"input_mtok", TEXT_OUTPUT_KEY} <= keys or any(
        k.startswith("output_") and k != TEXT_OUTPUT_KEY for k in keys
    ):
        return "not priced by text tokens"
    if keys & set(PER_REQUEST_KEYS):
        return "billed per request too"
    if model.deprecated:
        return "deprecated"
    if not conf.get("open_weight") and "open-weight" in (model.description or "").lower():
        return "open-weight"  # anyone may host it; the listed price is one host's, not the maker's
    if _is_tiered(prices) and _tier_starts(prices) is None:
        return "tiered"
    return None


def _batch(model: Any, as_of: datetime.date) -> dict[str, Any] | None:
    """The batch rates genai-prices lists for a model, in force on `as_of`, or None."""
    from genai_prices.types import StartDateConstraint

    for variant in getattr(model, "price_variants", None) or []:
        if variant.when != {"processing": "batch"}:
            continue
        constraint = variant.constraint
        if isinstance(constraint, StartDateConstraint) and constraint.start_date > as_of:
            continue
        if constraint is not None and not isinstance(constraint, StartDateConstraint):
            continue
        rates = _row_prices(variant.prices)
        if {"input", "output"} <= rates.keys():
            return rates
    return None


def snapshot(as_of: datetime.date | None = None) -> dict[str, Any]:
    """The price set as a dict, from the installed genai-prices and LiteLLM's map, read as of `as_of`."""
    import genai_prices
    from genai_prices.data import providers

    version = genai_prices.__version__
    litellm_version, litellm_raw = read_map()
    index = index_map(litellm_raw)
    as_of = as_of or datetime.datetime.now(datetime.UTC).date()
    config = providers_config()
    taken, left_out = config["providers"], config["left_out"]
    by_id = {p.id: p for p in providers}
    unknown_providers = sorted(by_id.keys() - taken.keys() - left_out.keys())
    if unknown_providers:
        raise LookupError(
            f"{PROVIDERS_FILE.name} neither takes nor leaves out genai-prices {version}'s providers: "
            f"{', '.join(unknown_providers)}"
        )
    leave_by = (as_of + datetime.timedelta(days=config["leave_within_days"])).isoformat()
    retired = retired_models()
    reasoning = reasoning_overrides()
    known = {m.id for provider_id in taken for m in by_id[provider_id].models}
    unknown = sorted((retired.keys() | reasoning.keys()) - known)
    if unknown:
        raise LookupError(
            f"{RETIRED_FILE.name} or {REASONING_FILE.name} names models genai-prices {version} doesn't list: "
            f"{', '.join(unknown)}"
        )
    rows: dict[str, dict[str, Any]] = {}
    successors: dict[str, str] = {}
    tiered: list[str] = []
    earlier_models: list[Any] = []
    for provider_id, conf in taken.items():
        models = by_id[provider_id].models
        for model in models:
            if model.id in rows or any(m.is_match(model.id) for m in earlier_models):
                continue  # another provider's model, resold (Claude on Google's Vertex AI)
            if _by_time_of_day(model):
                continue  # off-peak discounts have no single number to write
            prices, start, earlier, later = _timeline(model, as_of)
            reason = _skip_reason(model, prices, conf, frozenset(retired))
            if reason == "tiered":
                tiered.append(model.id)
            if reason is not None:
                continue
            entry = entry_for(index, conf["litellm"], model)
            shutdown, successor = shutdown_of(model, entry, retired)
            if shutdown is not None and shutdown <= leave_by:
                continue  # gone, or going within the window: no default or example may lean on it
            row: dict[str, Any] = {
                "id": model.id,
                "name": _name(model),
                "provider": conf["name"],
                "genai_prices_ref": f"{provider_id}/{model.id}",
                **_row_prices(prices),
            }
            for key, value in (
                ("context_window", model.context_window),
                ("effective", start),
                ("history", earlier),
                ("scheduled", later),
                ("batch", _batch(model, as_of)),
                ("shutdown", shutdown),
            ):
                if value:
                    row[key] = value
            if (entry or {}).get("supports_reasoning") or model.id in reasoning:
                row["reasons"] = True
            if successor:
                successors[model.id] = successor
            rows[model.id] = row
        earlier_models += models
    lower = {mid.lower(): mid for mid in rows}
    for mid, successor in successors.items():
        if successor.lower() in lower and lower[successor.lower()] != mid:
            rows[mid]["replacement"] = lower[successor.lower()]
    absent = SEED_IDS - known - retired.keys()
    if absent:
        raise LookupError(f"genai-prices {version} has no price for {', '.join(sorted(absent))}")
    _check_names(rows)
    url = _project_url()
    return {
        "id": "current",
        "name": "Current prices",
        "unit": "per-1m",
        "effective": as_of.isoformat(),
        "checked": as_of.isoformat(),
        "newest_change": max((r["effective"] for r in rows.values() if "effective" in r), default=None),
        "source": f"genai-prices {version} ({url.split('://', 1)[-1]}); shutdown dates from LiteLLM {litellm_version}",
        "source_url": url,
        "genai_prices_version": version,
        "litellm_version": litellm_version,
        "leave_within_days": config["leave_within_days"],
        "retiring_within_days": config["retiring_within_days"],
        "stale_after_days": config["stale_after_days"],
        "note": NOTE.format(
            leave=config["leave_within_days"], skipped=SKIPPED_NOTE.format(n=len(tiered)) if tiered else ""
        ),
        "skipped_tiered": sorted(tiered),
        "model": sorted(rows.values(), key=lambda r: (r["provider"], r["id"])),
    }


def _check_names(rows: dict[str, dict[str, Any]]) -> None:
    """Two rows a reader can't tell apart (same provider, same name) are a mistake in the source."""
    seen: dict[tuple[str, str], str] = {}
    for row in rows.values():
        key = (row["provider"], row["name"].lower())
        if key in seen:
            raise ValueError(f"{seen[key]} and {row['id']} are both listed as {row['provider']} {row['name']}")
        seen[key] = row["id"]


def _project_url() -> str:
    """The home page genai-prices names in its own package metadata (read, never fetched)."""
    from importlib.metadata import metadata

    for entry in metadata("genai-prices").get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage":
            return str(url).strip()
    return "https://github.com/pydantic/genai-prices"


def dumps(doc: dict[str, Any]) -> str:
    """Sorted keys, no spaces, one model per line: small, stable, and readable in a diff."""

    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    fields = []
    for key in sorted(doc):
        rows = "[\n" + ",\n".join(compact(row) for row in doc[key]) + "\n]" if key == "model" else ""
        value = rows or compact(doc[key])
        fields.append(f"{compact(key)}:{value}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def refresh(dest: pathlib.Path | str, as_of: datetime.date | None = None) -> pathlib.Path:
    """Write `current.json` into `dest` (made if missing) and return its path."""
    folder = pathlib.Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    path.write_bytes(dumps(snapshot(as_of)).encode("utf-8"))
    return path
