"""setMyCommands / getMyCommands / deleteMyCommands and the bot profile texts."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest

from emulator import BotApiEmulator
from emulator import errors as E

from .conftest import RawApi

pytestmark = pytest.mark.timeout(10)


async def test_commands_are_kept_per_scope_and_language(bot: Bot, emu: BotApiEmulator) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("depuff", "Depuff")])
    await bot.set_my_commands([BotCommand("start", "Beginnen")], language_code="de")
    await bot.set_my_commands(
        [BotCommand("admin", "Admin")], scope=BotCommandScopeChat(chat_id=1001)
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "depuff"]
    assert [c.description for c in await bot.get_my_commands(language_code="de")] == ["Beginnen"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(1001))] == [
        "admin"
    ]
    # No fallback in getMyCommands: an unset scope is simply empty.
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
    assert emu.commands() == [("start", "Begin"), ("depuff", "Depuff")]

    assert await bot.delete_my_commands(language_code="de")
    assert await bot.get_my_commands(language_code="de") == ()
    assert len(await bot.get_my_commands()) == 2
    await bot.set_my_commands([])
    assert await bot.get_my_commands() == ()


@pytest.mark.parametrize(
    ("commands", "description"),
    [
        ([{"command": "Start", "description": "x"}], E.BOT_COMMAND_INVALID),
        ([{"command": "/start", "description": "x"}], E.BOT_COMMAND_INVALID),
        ([{"command": "", "description": "x"}], E.BOT_COMMAND_INVALID),
        ([{"command": "a" * 33, "description": "x"}], E.BOT_COMMAND_INVALID),
        ([{"command": "with-dash", "description": "x"}], E.BOT_COMMAND_INVALID),
        ([{"command": "start", "description": ""}], E.BOT_COMMAND_DESCRIPTION_INVALID),
        ([{"command": "start", "description": "x" * 257}], E.BOT_COMMAND_DESCRIPTION_INVALID),
        ([{"command": f"c{i}", "description": "x"} for i in range(101)], E.BOT_COMMANDS_TOO_MUCH),
    ],
)
async def test_command_validation(api: RawApi, commands: list, description: str) -> None:
    assert await api.error("setMyCommands", commands=commands) == (400, description)


async def test_limits_that_are_fine(api: RawApi) -> None:
    commands = [{"command": f"c_{i}", "description": "d" * 256} for i in range(100)]
    assert await api.ok("setMyCommands", commands=commands) is True
    assert await api.ok("setMyCommands", commands=[{"command": "a" * 32, "description": "x"}])


async def test_bad_scope_and_language(api: RawApi, bot: Bot) -> None:
    ok = [{"command": "start", "description": "x"}]
    assert await api.error("setMyCommands", commands=ok, scope={"type": "nope"}) == (
        400,
        E.SCOPE_INVALID,
    )
    assert await api.error("setMyCommands", commands=ok, scope={"type": "chat"}) == (
        400,
        E.SCOPE_INVALID,
    )
    assert await api.error("setMyCommands", commands=ok, language_code="english") == (
        400,
        E.LANGUAGE_CODE_INVALID,
    )
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad", "x")])


async def test_profile_texts(bot: Bot) -> None:
    assert await bot.set_my_description("Daily face ritual")
    assert (await bot.get_my_description()).description == "Daily face ritual"
    assert await bot.set_my_short_description("Ritual", language_code="en")
    assert (await bot.get_my_short_description(language_code="en")).short_description == "Ritual"
    assert (await bot.get_my_name()).name == "Face Ritual (test)"
