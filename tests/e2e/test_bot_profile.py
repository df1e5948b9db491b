"""The bot's menu and descriptions in every language of content/, published at start; a
language removed from content/ has its menu and descriptions deleted at the next start."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from bot.app import build_application, running
from bot.config import DEFAULT_CONTENT_DIR
from bot.storage.models import PublishedLanguage
from bot.telegram.bot_profile import MENU_COMMANDS, language_codes
from bot.telegram.services import BOT_DATA_KEY
from emulator import BotApiEmulator
from tests.support.bot import settings_for
from tests.support.content import real_catalog

# The languages content/ has besides the default, published alongside the test's German.
REAL_LANGUAGES = {code for code in language_codes(real_catalog()) if code}


def _with_german(tmp_path: Path) -> Path:
    """The real content and a German locale: its texts are the English ones with a German
    command menu and descriptions (enough to tell the languages apart)."""
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    (content / "de").mkdir()
    english = (content / "en" / "texts.ftl").read_text(encoding="utf-8")
    german = english.replace("cmd_routine = Start today's face routine", "cmd_routine = Heute")
    german = german.replace("bot_short_description = ", "bot_short_description = DE ")
    (content / "de" / "texts.ftl").write_text(german, encoding="utf-8")
    return content


def _texts(emulator: BotApiEmulator, language: str) -> tuple[str | None, str | None]:
    texts = emulator.api.bot_texts
    return texts.get(("description", language)), texts.get(("short_description", language))


async def _rows(application) -> set[str]:
    async with application.bot_data[BOT_DATA_KEY].db.read() as session:
        return set(await session.scalars(select(PublishedLanguage.language_code)))


async def test_every_language_is_published_and_a_removed_one_taken_back(
    emulator, sqlite_url, tmp_path
):
    content = _with_german(tmp_path)
    application = build_application(settings_for(emulator, sqlite_url, content_dir=content))
    async with running(application):
        assert await _rows(application) == {"", "de", *REAL_LANGUAGES}
    menu = emulator.commands()
    assert [name for name, _ in menu] == list(MENU_COMMANDS)
    assert {"quiet", "daystart", "export", "delete"} <= {name for name, _ in menu}
    assert dict(emulator.commands(language_code="de"))["routine"] == "Heute"
    description, short = _texts(emulator, "")
    assert description and "not medical advice" in description.lower()
    assert short and len(short) <= 120 and _texts(emulator, "de")[1] == "DE " + short

    # German is gone from content/: its menu and descriptions go too; English stays.
    shutil.rmtree(content / "de")
    since = len(emulator.calls)
    application = build_application(settings_for(emulator, sqlite_url, content_dir=content))
    async with running(application):
        assert await _rows(application) == {"", *REAL_LANGUAGES}
    deleted = [c for c in emulator.calls[since:] if c.method == "deleteMyCommands"]
    assert [c.params.get("language_code") for c in deleted] == ["de"]
    assert emulator.commands(language_code="de") == []
    assert emulator.visible_commands(1, "de") == menu  # German users see the default menu
    assert _texts(emulator, "de") == ("", "")
    assert _texts(emulator, "")[1] == short


async def test_choosing_a_language_in_settings_switches_the_chats_menu_too(
    emulator, sqlite_url, tmp_path
):
    content = _with_german(tmp_path)
    (content / "de" / "texts.ftl").write_text(
        (content / "de" / "texts.ftl")
        .read_text(encoding="utf-8")
        .replace("language_name = English", "language_name = Deutsch"),
        encoding="utf-8",
    )
    application = build_application(settings_for(emulator, sqlite_url, content_dir=content))
    async with running(application):
        alice = emulator.user(8801, language_code="en")
        await alice.send("/settings")
        panel = await alice.wait_for_bot_message(lambda m: "Deutsch" in m.button_texts)
        await alice.press(panel, "Deutsch")
        await alice.wait_until(
            lambda chat: "✓ Deutsch" in chat.message(panel.message_id).button_texts
        )
        chat_menu = emulator.commands({"type": "chat", "chat_id": alice.id})
        assert dict(chat_menu)["routine"] == "Heute"
        assert emulator.visible_commands(alice.id, "en") == chat_menu  # whatever her app says
        await alice.send("/delete")
        confirm = await alice.wait_for_bot_message(lambda m: m.buttons)
        await alice.press(confirm, 0)
        await alice.wait_until(lambda chat: not chat.message(confirm.message_id).buttons)
        assert emulator.commands({"type": "chat", "chat_id": alice.id}) == []
