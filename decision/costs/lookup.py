"""Finding what a cost is made of: the price set on a day, a model in it, and a price in USD per token."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..errors import RequestError
from ..knowledge import Knowledge, PriceSet
from ..prices import on_day

PER_TOKEN = {"per-1k": Decimal(1000), "per-1m": Decimal(1_000_000)}


def price_set(k: Knowledge, set_id: str | None, day: str | None = None) -> PriceSet:
    """The set as it stands on `day` (today by default): each model at the price in force that day,
    without the models shut down or due to shut down within the set's window."""
    set_id = set_id or k.default_price_set
    if set_id not in k.price_sets:
        raise RequestError(
            "unknown-price-set", f"There is no price set '{set_id}'. Choose one of: {', '.join(k.price_sets)}."
        )
    return on_day(k.price_sets[set_id], day or datetime.date.today().isoformat())


def rate(prices: PriceSet, price: float) -> Decimal:
    """USD per single token, from a price in the set's unit."""
    return Decimal(repr(price)) / PER_TOKEN[prices.unit]


def per_unit(prices: PriceSet, value: float | None) -> float | None:
    """A price per 1M tokens, whatever unit the set writes."""
    return None if value is None else usd(rate(prices, value) * PER_TOKEN["per-1m"])


def usd(value: Decimal) -> float:
    """Exact money as the float an answer carries."""
    return float(value)
