"""What Matters When: the guide's knowledge as data, and the engine that reasons over it.

The public face is small: `handle(request)` answers every question as JSON, `load()`
reads and validates the data, and `DataError` says what is wrong with broken data.
"""

__version__ = "0.1.0"

from .api import handle
from .knowledge import DataError, Knowledge, load

__all__ = ["DataError", "Knowledge", "__version__", "handle", "load"]
