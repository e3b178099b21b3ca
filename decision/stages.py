"""The stage finder: from users and reliance to where a product is."""

from __future__ import annotations

from typing import Any

from .knowledge import Knowledge, Stage


def find(k: Knowledge, users: int, depended_on: bool) -> Stage:
    """The stage people rely on wins; otherwise the first stage whose user range covers `users`."""
    if depended_on:
        return next(s for s in k.stages if s.depended_on)
    return next(
        (s for s in k.stages if not s.depended_on and users <= s.max_users),
        [s for s in k.stages if not s.depended_on][-1],
    )


def view(stage: Stage) -> dict[str, Any]:
    return {
        "id": stage.id,
        "name": stage.name,
        "long_name": stage.long_name,
        "users": stage.users,
        "question": stage.question,
        "meaning": stage.meaning,
        "takes": stage.takes,
        "focus": stage.focus,
        "skip": stage.skip,
        "checklist": list(stage.checklist),
    }
