"""Helpers shared by handlers: who is talking, in which language."""

from __future__ import annotations

from telegram import Update

from bot.storage import users
from bot.storage.models import User
from bot.telegram.services import Services


async def ensure_user(svc: Services, update: Update) -> tuple[User, bool]:
    """The sender's row (created with defaults on first contact); (user, created).

    Almost always the row exists and is current, so it is read without taking the write lock;
    only a new user, a new chat or a return after blocking the bot needs a write.
    """
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    async with svc.db.read() as session:
        known = await users.get(session, tg_user.id)
    if known is not None and known.chat_id == chat.id and known.blocked_at is None:
        return known, False
    async with svc.db.transaction() as session:
        return await users.ensure(
            session,
            user_id=tg_user.id,
            chat_id=chat.id,
            first_name=tg_user.first_name or "",
            language=svc.catalog.resolve_locale(tg_user.language_code),
            timezone=svc.settings.default_timezone,
            now=svc.clock.now(),
        )


def guess_locale(svc: Services, update: Update) -> str:
    """For answers that need no database: the sender's Telegram language, if we have it."""
    user = update.effective_user
    return svc.catalog.resolve_locale(user.language_code if user else None)
