"""What every command handler starts with: who is asking, in which language, with what."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot.catalog import Catalog
from bot.domain.free_text import parse_list, words_of
from bot.services.accounts import Account
from bot.telegram.accounts import ensure_user
from bot.telegram.services import Services, services

# Echoing a user's words back is friendly; echoing a huge text is not.
MAX_ECHO = 40
# The arguments that switch a setting off, in every command that has one ("/remind off",
# "/quiet none"): one list, so that what works for one works for all.
# Every command a user may type, as registered in handlers/__init__.py (which checks the two
# agree); a mistyped one is answered with the closest of these. The admins' /stats is left out,
# so that nobody is told about it.
USER_COMMANDS = (
    "routine", "depuff", "flight", "streak", "progress", "remind", "timezone", "quiet",
    "settings", "profile", "daystart", "safety", "export", "delete", "help", "start",
)  # fmt: skip
ADMIN_COMMANDS = ("stats",)


@dataclass(frozen=True)
class Command:
    svc: Services
    user: Account
    created: bool
    message: Message
    # The words after the command, stripped ("" when none).
    args: str

    @property
    def echo(self) -> str:
        """The words, cut short enough to quote back in an answer."""
        return self.args[:MAX_ECHO]

    @property
    def says_off(self) -> bool:
        """The argument asks to switch the setting off: one of the texts' `words_off`, in the
        user's language or the default's (the examples in /help say "off"). Exactly: "on" is
        one slip from "no"."""
        said = " ".join(words_of(self.args))
        catalog = self.catalog
        return any(
            said == " ".join(phrase)
            for locale in (self.locale, catalog.default_locale)
            for phrase in parse_list(catalog.text(locale, "words_off"))
        )

    @property
    def catalog(self) -> Catalog:
        return self.svc.catalog

    @property
    def locale(self) -> str:
        return self.user.language

    async def reply(
        self, key: str, reply_markup: InlineKeyboardMarkup | None = None, **params: object
    ) -> Message:
        """Answer with the interface text `key` in the user's language."""
        return await self.message.reply_text(
            self.catalog.text(self.locale, key, **params), reply_markup=reply_markup
        )


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Command:
    svc = services(context)
    user, created = await ensure_user(svc, update)
    message = update.effective_message
    assert message is not None
    return Command(svc, user, created, message, " ".join(context.args or []).strip())
