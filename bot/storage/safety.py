"""The stored safety profile: one row a user, read as a bot.domain.safety.SafetyAnswers."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.safety import Answer, SafetyAnswers
from bot.storage.models import SafetyProfile

ANSWER_FIELDS = ("injectables", "sensitive_skin", "thyroid", "pregnancy")

# One field as `save` takes it: an Answer value, a date, `injected_areas` as a tuple of area ids,
# or None to clear it.
FieldValue = str | date | tuple[str, ...] | None


def _answer(value: str | None) -> Answer | None:
    return Answer(value) if value is not None and value in Answer._value2member_map_ else None


def areas_of(row: SafetyProfile) -> tuple[str, ...]:
    """The treated areas; a row from before 0011 has only its one `injected_area`."""
    if row.injected_areas:
        return tuple(a for a in row.injected_areas.split(",") if a)
    return (row.injected_area,) if row.injected_area else ()


async def load(session: AsyncSession, user_id: int) -> SafetyAnswers | None:
    """The user's profile, or None if they never answered a question."""
    row = await session.get(SafetyProfile, user_id)
    if row is None:
        return None
    return SafetyAnswers(
        injectables=_answer(row.injectables),
        injected_areas=areas_of(row),
        injected_on=row.injected_on,
        sensitive_skin=_answer(row.sensitive_skin),
        thyroid=_answer(row.thyroid),
        pregnancy=_answer(row.pregnancy),
        stop_sign_on=row.stop_sign_on,
    )


async def save(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    **answers: FieldValue,
) -> None:
    """Set the given fields (answers as Answer values, dates, None to clear, or
    `injected_areas` as a tuple of area ids)."""
    row = await session.get(SafetyProfile, user_id, with_for_update=True)
    if row is None:
        row = SafetyProfile(user_id=user_id)
        session.add(row)
    for name, value in answers.items():
        if not hasattr(SafetyProfile, name) or name in ("user_id", "updated_at", "injected_area"):
            raise ValueError(f"not a safety profile field: {name}")
        if name == "injected_areas":
            areas = tuple(cast("tuple[str, ...] | None", value) or ())
            row.injected_areas = ",".join(areas) or None
            row.injected_area = areas[0] if areas else None  # for code from before 0011
            continue
        setattr(row, name, value)
    row.updated_at = now
    await session.flush()
