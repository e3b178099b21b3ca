"""The ```whatmatters fence for `pymdownx.superfences`, by its public name.

    - name: whatmatters
      class: whatmatters
      format: !!python/name:decision.fence.format
      validator: !!python/name:decision.fence.validator

Most sites list the `whatmatters` Markdown extension instead, which registers this fence itself.
"""

from .integrations.markdown import fence_format as format
from .integrations.markdown import fence_validator as validator

__all__ = ["format", "validator"]
