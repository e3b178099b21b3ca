"""What Matters When: the guide's knowledge as data, and the engine that reasons over it.

The public face is small: `handle(request)` answers every question as JSON, `load()`
reads and validates the data, and `DataError` says what is wrong with broken data.
The rooms `integrations`, `packing`, `publishing`, `cli` and `refresh` are for builds and
terminals; the browser never gets them.
"""

__version__ = "0.1.0"

from .api import handle
from .errors import DataError
from .knowledge import Knowledge
from .loading import load

__all__ = ["DataError", "Knowledge", "__version__", "handle", "load"]
