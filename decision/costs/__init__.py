"""What an LLM feature costs: per request, per day and month, over a conversation, across models.

    lookup.py   the price set on a day, and a price in USD per token
    money.py    the arithmetic: a request, a workload, a comparison, a conversation
    wording.py  the sentences an answer carries about caching, reasoning and price changes

Callers import from here: `costs.estimate(...)`, `costs.price_set(...)`.
"""

from __future__ import annotations

from ..prices import by_provider as by_provider
from ..prices import caching_break_even as caching_break_even
from ..prices import choices as choices
from ..prices import in_force as in_force
from ..prices import model as model
from ..prices import named as named
from ..prices import on_day as on_day
from ..prices import retiring as retiring
from ..prices import retiring_sentence as retiring_sentence
from ..prices import set_view as set_view
from ..prices import suggestions as suggestions
from .lookup import price_set as price_set
from .lookup import usd as usd
from .money import DAYS_PER_MONTH as DAYS_PER_MONTH
from .money import compare as compare
from .money import conversation as conversation
from .money import estimate as estimate
from .money import model_view as model_view
from .money import request_cost as request_cost
from .wording import scheduled as scheduled
from .wording import short_tokens as short_tokens
