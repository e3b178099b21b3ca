"""Make `data/prices/current.json` from the genai-prices package: a development-time tool.

The engine stays stdlib-only, so nothing in it imports this module; `whatmatters prices
refresh` does, and genai-prices is imported inside the functions that need it. The file
it writes is a plain price set the loader reads like any other, in USD per million tokens.

Same genai-prices version in, same bytes out: prices are read as of a fixed day per
pinned version (`AS_OF`), rows and keys are sorted, and no clock time is written.
When you bump the genai-prices pin in pyproject.toml, add the new version's day here.
"""

from __future__ import annotations

import datetime
import fnmatch
import json
import pathlib
import re
import tomllib
from decimal import Decimal
from typing import Any, cast

FILE_NAME = "current.json"
# Models their providers retired that genai-prices doesn't flag `deprecated`: kept out, with
# the day and the provider's page recorded there (data, beside the price sets).
RETIRED_FILE = pathlib.Path(__file__).resolve().parents[1] / "data" / "retired-models.toml"
# Which models bill hidden reasoning as output, by id pattern: genai-prices doesn't say.
REASONING_FILE = RETIRED_FILE.with_name("reasoning-models.toml")

# The day each pinned genai-prices version is read at, written as the set's `effective`
# date; price changes scheduled after it are kept under `scheduled`, not applied.
AS_OF = {"0.2.3": "2026-11-26"}

# genai-prices provider id -> the name the guide shows, in the order ids are claimed:
# Google resells Claude models under the same ids, and Anthropic's own rows win.
PROVIDERS = {"anthropic": "Anthropic", "openai": "OpenAI", "google": "Google"}

# The 2024 quick reference's models: kept whatever the filters below say, unless retired.
SEED_IDS = frozenset({"gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "claude-3-sonnet", "claude-3-haiku"})

# A chat model writes text: a price for any other output (audio, images, video) marks a
# model this guide's text-token sums would misprice. Extra input kinds are fine: text
# input is still priced by input_mtok.
TEXT_OUTPUT_KEY = "output_mtok"

# Models that are not chat models, by a fragment of their id.
NOT_CHAT = (
    "embedding",
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
)
NOT_CHAT_IDS = frozenset({"ada"})

NOTE = (
    "Standard rates as genai-prices listed them on {as_of}, the ones in force that day; a change it lists "
    "for a later day is given with that day. Cached input is the cache-read price; cache writes, batch, "
    "flex and priority rates are left out, as are image, audio and embedding models, models their "
    "providers have retired, and open-weight models, whose price is a third-party host's rather than the "
    "maker's. Reasoning models bill their hidden reasoning as output tokens.{skipped}"
)
SKIPPED_NOTE = " {n} tiered models whose steps can't be written that way are left out."

# The genai-prices keys a row is made of, and the name each has in a row.
ROW_KEYS = {"input_mtok": "input", "output_mtok": "output", "cache_read_mtok": "cached_input"}


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


def retired_models(path: pathlib.Path = RETIRED_FILE) -> dict[str, dict[str, Any]]:
    """The retired models by id, each with its name, retirement day and source."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("retired", [])
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry["id"] in out:
            raise ValueError(f"{path.name}: {entry['id']} is listed twice")
        datetime.date.fromisoformat(entry["retired"])
        out[entry["id"]] = entry
    return out


def _skip_reason(model: Any, prices: Any, retired: frozenset[str] = frozenset()) -> str | None:
    """Why a model stays out of the snapshot, or None to keep it."""
    if model.id in retired:
        return "retired"
    if model.id in SEED_IDS:
        return None
    if ":" in model.id or ".ft-" in model.id:
        return "fine-tuned"
    if model.id in NOT_CHAT_IDS or any(part in model.id for part in NOT_CHAT):
        return "not a chat model"
    keys = {k for k, v in vars(prices).items() if v is not None}
    if not {"input_mtok", TEXT_OUTPUT_KEY} <= keys or any(
        k.startswith("output_") and k != TEXT_OUTPUT_KEY for k in keys
    ):
        return "not priced by text tokens"
    if model.deprecated:
        return "deprecated"
    if "open-weight" in (model.description or "").lower():
        return "open-weight"  # anyone may host it; the listed price is one host's, not the maker's
    if _is_tiered(prices) and _tier_starts(prices) is None:
        return "tiered"
    return None


def snapshot(as_of: datetime.date | None = None) -> dict[str, Any]:
    """The price set as a dict, from the installed genai-prices, read as of `as_of`."""
    import genai_prices
    from genai_prices.data import providers

    version = genai_prices.__version__
    if as_of is None:
        pinned = AS_OF.get(version)
        as_of = datetime.date.fromisoformat(pinned) if pinned else datetime.datetime.now(datetime.UTC).date()
    by_id = {p.id: p for p in providers}
    retired = retired_models()
    known = {m.id for provider_id in PROVIDERS for m in by_id[provider_id].models}
    unknown = sorted(retired.keys() - known)
    if unknown:
        raise LookupError(f"{RETIRED_FILE.name} names models genai-prices {version} doesn't list: {', '.join(unknown)}")
    rows: dict[str, dict[str, Any]] = {}
    tiered: list[str] = []
    earlier_models: list[Any] = []
    for provider_id, provider_name in PROVIDERS.items():
        models = by_id[provider_id].models
        for model in models:
            if any(m.is_match(model.id) for m in earlier_models):
                continue  # another provider's model, resold (Claude on Google's Vertex AI)
            if _by_time_of_day(model):
                continue  # off-peak discounts have no single number to write
            prices, start, earlier, later = _timeline(model, as_of)
            reason = _skip_reason(model, prices, frozenset(retired))
            if reason == "tiered":
                tiered.append(model.id)
            if reason is not None:
                continue
            row: dict[str, Any] = {
                "id": model.id,
                "name": _name(model),
                "provider": provider_name,
                "genai_prices_ref": f"{provider_id}/{model.id}",
                **_row_prices(prices),
            }
            for key, value in (
                ("context_window", model.context_window),
                ("effective", start),
                ("history", earlier),
                ("scheduled", later),
            ):
                if value:
                    row[key] = value
            rows[model.id] = row
        earlier_models += models
    missing = SEED_IDS - rows.keys() - retired.keys()
    if missing:
        raise LookupError(f"genai-prices {version} has no price for {', '.join(sorted(missing))}")
    _check_names(rows)
    _mark_reasoning(rows)
    url = _project_url()
    return {
        "id": "current",
        "name": "Current prices",
        "unit": "per-1m",
        "effective": as_of.isoformat(),
        "newest_change": max((r["effective"] for r in rows.values() if "effective" in r), default=None),
        "source": f"genai-prices {version} ({url.split('://', 1)[-1]})",
        "source_url": url,
        "genai_prices_version": version,
        "note": NOTE.format(as_of=as_of.isoformat(), skipped=SKIPPED_NOTE.format(n=len(tiered)) if tiered else ""),
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


def _mark_reasoning(rows: dict[str, dict[str, Any]], path: pathlib.Path | None = None) -> None:
    """`reasons: true` on each row whose id matches a pattern of the reasoning-models file."""
    path = path or REASONING_FILE
    patterns = [entry["match"] for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("reasoning", [])]
    for pattern in patterns:
        matched = [row for row in rows.values() if fnmatch.fnmatchcase(row["id"], pattern)]
        if not matched:
            raise LookupError(f"{path.name}: the pattern {pattern!r} matches no current model")
        for row in matched:
            row["reasons"] = True


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
