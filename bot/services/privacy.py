"""A user's own data: everything kept about them, handed over as one JSON document, or
erased."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.services.context import Services
from bot.storage import checkins, privacy, runs


@dataclass(frozen=True)
class Export:
    """The document, encoded, and what it holds (for the caption)."""

    payload: bytes
    completions: int
    # Counted as /progress counts them: one check-in per rating before (the rating after a
    # routine belongs to the same check-in).
    checkins: int
    reminders: int


async def export(svc: Services, user_id: int) -> Export:
    """Every row about a known user, as a JSON document."""
    async with svc.db.read() as session:
        document = await privacy.export(session, user_id, svc.clock.now())
    assert document is not None  # the caller has just made sure the user exists
    tables = document["tables"]
    # Years of history make a big document: encoded off the event loop.
    payload = await svc.offload.run(_encode, document)
    return Export(
        payload,
        completions=len(tables["completions"]),
        checkins=sum(1 for row in tables["checkins"] if row["phase"] == checkins.BEFORE),
        reminders=len(tables["reminders"]),
    )


def _encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


async def erase(svc: Services, user_id: int) -> int | None:
    """Delete every row about the user; returns the run they had open, if any, whose timer
    the caller stops."""
    async with svc.db.transaction() as session:
        run = await runs.open_run_of(session, user_id)
        open_run = None if run is None else run.id
        await privacy.erase(session, user_id)
    svc.account_cache.forget(user_id)
    return open_run
