"""Who is talking, as an update says it: the sender's account (bot/services/accounts.py) and,
for answers that need no database, the sender's Telegram language."""

from __future__ import annotations

from telegram import Update

from bot.services import accounts
from bot.services.accounts import Account

# Re-exported for handlers/buttons.py, which imports it from here until the lead moves it.
from bot.telegram.services import Services


async def ensure_user(svc: Services, update: Update) -> tuple[Account, bool]:
    """The sender's profile (created with defaults on first contact); (profile, created)."""
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    return await accounts.ensure_user(
        svc,
        user_id=tg_user.id,
        chat_id=chat.id,
        first_name=tg_user.first_name or "",
        language_code=tg_user.language_code,
    )


def guess_locale(svc: Services, update: Update) -> str:
    """For answers that need no database: the sender's Telegram language, if we have it."""
    user = update.effective_user
    return svc.catalog.resolve_locale(user.language_code if user else None)
