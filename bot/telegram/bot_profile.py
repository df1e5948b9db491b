"""What Telegram shows of the bot in each language, published at every start: the command menu
(setMyCommands), the description on an empty chat (setMyDescription) and the short one on its
profile and in shares (setMyShortDescription). The default locale's go out for every language;
each other locale's for its language code. A language no longer in content/ (known from the
database: Telegram cannot list them) gets its menu and descriptions deleted, so that its
users fall back to the default's instead of an old translation."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application

from bot.catalog import Catalog
from bot.services import bot_profile
from bot.telegram.services import BOT_DATA_KEY, Services

log = logging.getLogger(__name__)

# The command menu, in the order users see it; descriptions come from texts: cmd_<name>.
MENU_COMMANDS = (
    "routine",
    "depuff",
    "flight",
    "streak",
    "progress",
    "remind",
    "timezone",
    "quiet",
    "daystart",
    "settings",
    "profile",
    "safety",
    "export",
    "delete",
    "help",
    "start",
)


def language_codes(catalog: Catalog) -> dict[str, str]:
    """Telegram's language code (ISO 639-1; "" for the default, every language) -> the locale
    published for it. Two locales of one language ("pt", "pt-br"): the first one listed."""
    codes: dict[str, str] = {}
    for locale in catalog.locales:
        code = "" if locale == catalog.default_locale else locale.split("-", 1)[0]
        codes.setdefault(code, locale)
    return codes


def menu(catalog: Catalog, locale: str) -> list[BotCommand]:
    return [BotCommand(n, catalog.text(locale, f"cmd_{n}")) for n in MENU_COMMANDS]


async def publish_profile(application: Application) -> None:
    svc: Services = application.bot_data[BOT_DATA_KEY]
    catalog, bot = svc.catalog, application.bot
    codes = language_codes(catalog)
    for code, locale in codes.items():
        language = code or None
        await bot.set_my_commands(menu(catalog, locale), language_code=language)
        await bot.set_my_description(catalog.text(locale, "bot_description"), language)
        await bot.set_my_short_description(catalog.text(locale, "bot_short_description"), language)
    for code in sorted(await bot_profile.published(svc, bot.id) - set(codes)):
        await bot.delete_my_commands(language_code=code)
        # No text removes the language's own: the default's shows instead. (None, not "":
        # PTB 22 with Defaults (ours: parse_mode) sends an empty string as "[]", which Telegram
        # would take as the description.)
        await bot.set_my_description(None, code)
        await bot.set_my_short_description(None, code)
    await bot_profile.record(svc, bot.id, codes)


async def set_chat_menu(bot: Bot, catalog: Catalog, chat_id: int, locale: str) -> None:
    """The menu of one chat in the language its user chose in /settings, which may not be
    their Telegram app's (the menus above follow the app's language)."""
    try:
        await bot.set_my_commands(menu(catalog, locale), scope=BotCommandScopeChat(chat_id))
    except (BadRequest, Forbidden) as exc:
        # The settings are saved either way; the menu is a convenience.
        log.info("chat menu not set (%s)", type(exc).__name__)


async def delete_chat_menu(bot: Bot, chat_id: int) -> None:
    """Back to the menus by language (when the user's data is erased)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except (BadRequest, Forbidden) as exc:
        log.info("chat menu not deleted (%s)", type(exc).__name__)
