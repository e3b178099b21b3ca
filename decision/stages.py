"""The stage finder: from users, reliance and payment to where a product is and what it needs now."""

from __future__ import annotations

from typing import Any

from .knowledge import Knowledge, Stage


def find(k: Knowledge, users: int, depended_on: bool) -> Stage:
    """The stage people rely on, once the product is big enough for it; otherwise the first
    stage whose user range covers `users`."""
    relied = next(s for s in k.stages if s.depended_on)
    if depended_on and users >= relied.min_users:
        return relied
    return next(
        (s for s in k.stages if not s.depended_on and users <= s.max_users),
        [s for s in k.stages if not s.depended_on][-1],
    )


def answer(k: Knowledge, users: int, depends: bool, pays: bool) -> dict[str, Any]:
    """The stage, the reason it was chosen, and the safeguards reliance and payment add."""
    stage = find(k, users, depends)
    template = k.finder.reason_relied if stage.depended_on else k.finder.reason_users
    reason = template.format(users=f"{users:,}", name=stage.name, range=stage.users)
    given = {"depends": depends, "pays": pays}
    raises = [] if stage.depended_on else [r for r in k.finder.raises if given.get(r.when)]
    groups = []
    for r in raises:
        items = [i for i in r.items if i not in stage.checklist]  # the stage's own list already asks for the rest
        if items:
            groups.append({"when": r.when, "why": r.why, "items": items})
    if raises:
        reason += " " + k.finder.reason_raised.format(users=f"{users:,}", name=stage.name, range=stage.users)
    return {"stage": view(stage), "reason": reason, "safeguards": groups}


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
