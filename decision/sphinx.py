"""The Sphinx extension, by its public name: `extensions = ["decision.sphinx"]` in `conf.py`.

The directive lives in `decision.integrations.sphinx`; this name stays when that moves.
"""

from .integrations.sphinx import setup

__all__ = ["setup"]
