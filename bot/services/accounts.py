"""Who is talking, in which language, blocked or not: the user account, kept in step with the
account cache (bot/storage/accounts.py)."""

from __future__ import annotations

from typing import Unpack

from bot.services.context import Services
from bot.storage import users

# The account as the Telegram layer sees it (defined beside its cache in storage).
from bot.storage.accounts import Account as Account

# The preferences a user can change, as the Telegram layer names them (defined in storage).
from bot.storage.users import SettingsChange as SettingsChange


async def ensure_user(
    svc: Services,
    *,
    user_id: int,
    chat_id: int,
    first_name: str,
    language_code: str | None,
) -> tuple[Account, bool]:
    """The user's profile (the user is created with defaults on first contact); returns
    (profile, created).

    Almost always the user is known and current: the answer comes from the account cache or
    a read that does not queue for the write lock. Only a new user, a new chat or a return
    after blocking the bot needs a write.
    """

    def current(profile: Account | None) -> bool:
        return profile is not None and profile.chat_id == chat_id and not profile.blocked

    cached = svc.account_cache.get(user_id)
    if cached is not None and current(cached):
        return cached, False
    async with svc.db.read() as session:
        row = await users.get(session, user_id)
        known = None if row is None else Account.of(row)
    if known is not None and current(known):
        svc.account_cache.put(known)
        return known, False
    async with svc.db.transaction() as session:
        row, created = await users.ensure(
            session,
            user_id=user_id,
            chat_id=chat_id,
            first_name=first_name,
            language=svc.catalog.resolve_locale(language_code),
            timezone=svc.settings.default_timezone,
            now=svc.clock.now(),
        )
        profile = Account.of(row)
    svc.account_cache.put(profile)
    return profile, created


async def save_settings(
    svc: Services, user_id: int, **changes: Unpack[SettingsChange]
) -> Account | None:
    """Change a user's preferences; the one way to do it, so the account cache stays true."""
    async with svc.db.transaction() as session:
        row = await users.update_settings(session, user_id, now=svc.clock.now(), **changes)
        profile = None if row is None else Account.of(row)
    if profile is None:
        svc.account_cache.forget(user_id)
    else:
        svc.account_cache.put(profile)
    return profile


async def set_blocked(svc: Services, user_id: int, *, blocked: bool) -> None:
    """The user blocked (403, or Telegram's my_chat_member) or unblocked the bot."""
    async with svc.db.transaction() as session:
        await users.set_blocked(session, user_id, blocked, svc.clock.now())
    svc.account_cache.forget(user_id)
