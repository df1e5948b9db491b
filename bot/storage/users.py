"""Users: who they are, where they chat, and their preferences."""

from __future__ import annotations

from datetime import datetime, time
from typing import TypedDict, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.quiet import Window, format_window
from bot.domain.times_of_day import format_time
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


class SettingsChange(TypedDict, total=False):
    """The preferences a user can change; one left out stays as it is."""

    language: str
    default_routine: str
    timezone: str
    # None switches quiet hours off.
    quiet_hours: Window | None
    day_starts_at: time
    nudges: bool
    ratings: bool
    # Steps as short animations (True) or still diagrams.
    animations: bool
    # The tool ids the user has, comma-separated ("" for none).
    tools: str


async def update_settings(
    session: AsyncSession, user_id: int, *, now: datetime, **change: Unpack[SettingsChange]
) -> User | None:
    """Change the given preferences (times are written in their stored form here)."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        return None
    _set_plain(user, change)
    if "day_starts_at" in change:
        await _move_day_start(session, user, change["day_starts_at"], now)
    if "timezone" in change:
        await _move_zone(session, user, change["timezone"], now)
    user.updated_at = now
    return user


def _set_plain(user: User, change: SettingsChange) -> None:
    """The preferences whose change touches nothing but their own column."""
    if "language" in change:
        user.language = change["language"]
    if "default_routine" in change:
        user.default_routine = change["default_routine"]
    if "quiet_hours" in change:
        window = change["quiet_hours"]
        user.quiet_hours = None if window is None else format_window(*window)
    if "nudges" in change:
        user.nudges = change["nudges"]
    if "ratings" in change:
        user.ratings = change["ratings"]
    if "animations" in change:
        user.animations = change["animations"]
    if "tools" in change:
        user.tools = change["tools"] or None


async def _move_day_start(session: AsyncSession, user: User, at: time, now: datetime) -> None:
    """A new day-start hour rebuilds the streak from history, since it decides which day each
    routine fell on from now on."""
    stored = format_time(at)
    if stored == user.day_starts_at:
        return
    user.day_starts_at = stored
    await streaks.rebuild(session, user.id, at, fallback_zone=user.timezone, now=now)


async def _move_zone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    if zone == user.timezone:
        return
    user.timezone = zone
    # Same local times in the new zone: 7:30 stays 7:30 wherever the user now is.
    await reminders.reschedule(session, user.id, zone, now)


async def set_blocked(session: AsyncSession, user_id: int, blocked: bool, now: datetime) -> None:
    """Blocked: nothing is sent to the user (no reminders) until they unblock or write again."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None or (user.blocked_at is not None) == blocked:
        return
    user.blocked_at = now if blocked else None
    user.updated_at = now
