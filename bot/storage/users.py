"""Users: who they are, where they chat, and their preferences."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import reminders, streaks
from bot.storage.models import User


async def get(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def ensure(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    first_name: str,
    language: str,
    timezone: str,
    now: datetime,
) -> tuple[User, bool]:
    """The user's row, created with sensible defaults on first contact; (user, created)."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is not None:
        changed = user.chat_id != chat_id or user.blocked_at is not None
        user.chat_id = chat_id
        # Writing again after a block means they want to hear from us.
        user.blocked_at = None
        if changed:
            user.updated_at = now
        return user, False
    user = User(
        id=user_id,
        chat_id=chat_id,
        first_name=first_name[:64],
        language=language,
        timezone=timezone,
        default_routine="classic",
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    await session.flush()
    return user, True


async def update_settings(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime,
    language: str | None = None,
    default_routine: str | None = None,
    timezone: str | None = None,
    quiet_hours: str | None = None,
    day_starts_at: str | None = None,
    nudges: bool | None = None,
    ratings: bool | None = None,
    tools: str | None = None,
) -> User | None:
    """Change the given preferences; quiet_hours="" switches quiet hours off, tools="" says
    the user has no tool. A new day-start
    hour rebuilds the streak from history, since it decides which day each routine fell on
    from now on."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        return None
    if language is not None:
        user.language = language
    if default_routine is not None:
        user.default_routine = default_routine
    if quiet_hours is not None:
        user.quiet_hours = quiet_hours or None
    if nudges is not None:
        user.nudges = nudges
    if ratings is not None:
        user.ratings = ratings
    if tools is not None:
        user.tools = tools or None
    if day_starts_at is not None and day_starts_at != user.day_starts_at:
        user.day_starts_at = day_starts_at
        day_start = time.fromisoformat(day_starts_at)
        await streaks.rebuild(session, user_id, day_start, fallback_zone=user.timezone, now=now)
    if timezone is not None and timezone != user.timezone:
        user.timezone = timezone
        # Same local times in the new zone: 7:30 stays 7:30 wherever the user now is.
        await reminders.reschedule(session, user_id, timezone, now)
    user.updated_at = now
    return user


async def set_blocked(session: AsyncSession, user_id: int, blocked: bool, now: datetime) -> None:
    """Blocked: nothing is sent to the user (no reminders) until they unblock or write again."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None or (user.blocked_at is not None) == blocked:
        return
    user.blocked_at = now if blocked else None
    user.updated_at = now
