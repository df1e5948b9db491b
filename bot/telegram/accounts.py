"""Who is talking, in which language, blocked or not: the user account as handlers and the
dispatcher see it, kept in step with the profile cache."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.storage import users
from bot.storage.profiles import Profile
from bot.telegram.services import Services


async def ensure_user(svc: Services, update: Update) -> tuple[Profile, bool]:
    """The sender's profile (the user is created with defaults on first contact);
    returns (profile, created).

    Almost always the user is known and current: the answer comes from the profile cache or
    a read that does not queue for the write lock. Only a new user, a new chat or a return
    after blocking the bot needs a write.
    """
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None

    def current(profile: Profile | None) -> bool:
        return profile is not None and profile.chat_id == chat.id and not profile.blocked

    cached = svc.profiles.get(tg_user.id)
    if cached is not None and current(cached):
        return cached, False
    async with svc.db.read() as session:
        row = await users.get(session, tg_user.id)
        known = None if row is None else Profile.of(row)
    if known is not None and current(known):
        svc.profiles.put(known)
        return known, False
    async with svc.db.transaction() as session:
        row, created = await users.ensure(
            session,
            user_id=tg_user.id,
            chat_id=chat.id,
            first_name=tg_user.first_name or "",
            language=svc.catalog.resolve_locale(tg_user.language_code),
            timezone=svc.settings.default_timezone,
            now=svc.clock.now(),
        )
        profile = Profile.of(row)
    svc.profiles.put(profile)
    return profile, created


async def save_settings(svc: Services, user_id: int, **changes: Any) -> Profile | None:
    """Change a user's preferences; the one way to do it, so the profile cache stays true.
    `changes` are users.update_settings' keywords, passed on (and checked) there."""
    async with svc.db.transaction() as session:
        row = await users.update_settings(session, user_id, now=svc.clock.now(), **changes)
        profile = None if row is None else Profile.of(row)
    if profile is None:
        svc.profiles.forget(user_id)
    else:
        svc.profiles.put(profile)
    return profile


async def set_blocked(svc: Services, user_id: int, *, blocked: bool) -> None:
    """The user blocked (403, or Telegram's my_chat_member) or unblocked the bot."""
    async with svc.db.transaction() as session:
        await users.set_blocked(session, user_id, blocked, svc.clock.now())
    svc.profiles.forget(user_id)


def guess_locale(svc: Services, update: Update) -> str:
    """For answers that need no database: the sender's Telegram language, if we have it."""
    user = update.effective_user
    return svc.catalog.resolve_locale(user.language_code if user else None)
