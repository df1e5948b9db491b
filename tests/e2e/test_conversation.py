"""Onboarding, help, de-puffing, and everything the bot does not understand."""

from __future__ import annotations

import asyncio

from bot.telegram.bot_profile import MENU_COMMANDS


async def test_start_onboards_with_the_safety_note_and_defaults(emulator, bot):
    alice = emulator.user(2001, first_name="Alice")
    await alice.send("/start")
    welcome = await alice.wait_for_bot_message()
    safety = await alice.wait_for_bot_message()
    ready = await alice.wait_for_bot_message()
    assert "Hello, Alice" in welcome.text
    assert "Not today: skip the massage when" in safety.text
    assert "See a doctor first" in safety.text
    assert "/routine" in ready.text and "Classic" in ready.text
    zones = await alice.wait_for_bot_message()
    assert "time zone" in zones.text and len(zones.flat_buttons) >= 6
    profile_intro = await alice.wait_for_bot_message()
    assert "A few safety questions" in profile_intro.text
    first_question = await alice.wait_for_bot_message()
    assert "botulinum toxin" in first_question.text
    assert {"No", "Yes", "Not sure", "Skip the rest"} <= set(first_question.button_texts)
    await alice.press(zones, "Tokyo")
    assert "Asia/Tokyo" in (await alice.wait_for_bot_message()).text
    await alice.send("/timezone")
    assert "Asia/Tokyo" in (await alice.wait_for_bot_message()).text
    await alice.send("/start")
    assert "Welcome back" in (await alice.wait_for_bot_message()).text


async def test_the_command_menu_is_registered(emulator, bot):
    calls = [c for c in emulator.calls if c.method == "setMyCommands" and c.ok]
    assert calls, "setMyCommands was not called"
    names = [c["command"] for c in calls[-1].params["commands"]]
    assert names == list(MENU_COMMANDS)


async def test_help_and_safety_answer_any_time(emulator, bot):
    alice = emulator.user(2002)
    await alice.send("/help")
    assert "/depuff" in (await alice.wait_for_bot_message()).text
    await alice.send("/safety")
    assert "See a doctor first" in (await alice.wait_for_bot_message()).text


async def test_depuff_without_an_argument_asks_the_cause_then_checks_before_any_massage(
    emulator, bot
):
    alice = emulator.user(2003)
    await alice.send("/depuff")
    question = await alice.wait_for_bot_message()
    assert len(question.flat_buttons) == 2
    await alice.press(question, "flight")
    flags = await alice.wait_for_bot_message()
    assert "safety check" in flags.text and "None of these" in flags.button_texts[-1]
    await alice.press(flags, "None of these")
    await alice.wait_until(lambda chat: "How puffy" in chat.message(flags.message_id).text)
    rating = alice.message(flags.message_id)
    assert len(rating.flat_buttons) == 11
    await alice.press(rating, "7")
    intro = await alice.wait_for_bot_message(lambda m: m.flat_buttons)
    assert "flight" in intro.text.lower()
    await alice.press(intro, "Start")
    step = await alice.wait_for_bot_message()
    assert "Step 1 of" in step.text


async def test_depuff_with_an_argument_and_with_a_typo(emulator, bot):
    alice = emulator.user(2004)
    await alice.send("/depuff party")
    assert "safety check" in (await alice.wait_for_bot_message()).text
    await alice.send("/depuff flght")  # a small typo is read as free text is: the flight
    typo = await alice.wait_for_bot_message()
    assert "safety check" in typo.text and "calf or thigh" in typo.text
    await alice.send("/depuff sunburn")
    unknown = await alice.wait_for_bot_message()
    assert "sunburn" in unknown.text and len(unknown.flat_buttons) == 2


async def test_whatever_is_not_understood_gets_a_friendly_pointer_to_help(emulator, bot):
    alice = emulator.user(2005)
    inputs = [
        alice.send("good morning!"),
        alice.send_sticker(),
        alice.send_photo(),
        # A 5000-character text: Telegram's apps split it into messages of at most 4096.
        alice.send("x" * 4096),
        alice.send("x" * 904),
        alice.send("/dance"),
        alice.send("/routine@someone_else_bot"),
    ]
    for action in inputs:
        await action
        answer = await alice.wait_for_bot_message()
        assert "/help" in answer.text
    assert "/dance" in alice.bot_messages[-2].text
    assert "Did you mean" not in alice.bot_messages[-2].text  # like no command at all


async def test_a_mistyped_command_is_answered_with_the_one_meant(emulator, bot):
    bea = emulator.user(2006)
    for typed, meant in (
        ("/rutine", "/routine"),
        ("/streek", "/streak"),
        ("/Setings", "/settings"),
    ):
        await bea.send(typed)
        answer = await bea.wait_for_bot_message()
        assert f"Did you mean {meant}?" in answer.text and typed in answer.text, typed
    for typed, meant in (("routine", "/routine"), ("Help", "/help"), ("streak ", "/streak")):
        await bea.send(typed)
        answer = await bea.wait_for_bot_message()
        assert f"Did you mean {meant}?" in answer.text, typed
    await bea.send("routine please")  # a sentence, not a command's name
    assert "didn't quite catch" in (await bea.wait_for_bot_message()).text


async def test_groups_are_told_the_bot_works_in_private_chats(emulator, bot):
    alice = emulator.user(2006)
    group = emulator.group(-100200, title="Friends")
    await group.send(alice, "/routine")
    answer = await group.wait_for_bot_message(timeout=5)
    assert "private chats" in answer.text
    await group.send(alice, "just chatting")  # not addressed to the bot: no answer
    await group.send(alice, "/help")
    assert "private chats" in (await group.wait_for_bot_message(timeout=5)).text
    assert len(group.bot_messages) == 2


async def test_a_slow_chat_does_not_delay_another(emulator, bot):
    alice, bob = emulator.user(2007), emulator.user(2008)
    emulator.faults.add("slow", method="sendMessage", chat_id=alice.id, delay=3.0)
    await alice.send("/help")
    await asyncio.sleep(0.1)
    await bob.send("/help")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bob.wait_for_bot_message(timeout=5)
    assert loop.time() - started < 1.5, "bob waited for alice's slow reply"
    await alice.wait_for_bot_message(timeout=10)


async def test_one_chats_updates_are_answered_in_order(emulator, bot):
    alice = emulator.user(2009)
    emulator.faults.add("slow", method="sendMessage", chat_id=alice.id, delay=1.0)
    await alice.send("/help")
    await alice.send("/safety")
    first = await alice.wait_for_bot_message(timeout=10)
    second = await alice.wait_for_bot_message(timeout=10)
    assert "/depuff" in first.text and "See a doctor" in second.text


async def test_telegram_flood_control_is_waited_out(emulator, bot):
    alice = emulator.user(2010)
    emulator.faults.add("429", method="sendMessage", chat_id=alice.id, retry_after=1)
    await alice.send("/help")
    answer = await alice.wait_for_bot_message(timeout=10)
    assert "/depuff" in answer.text
    assert [c.error_code for c in emulator.calls_to("sendMessage")][:2] == [429, None]


async def test_added_to_a_group_the_bot_says_once_where_it_works(emulator, bot):
    alice = emulator.user(2011)
    group = emulator.group(-100201, title="Book club")
    group.remove_bot(alice)
    group.add_bot(alice)
    hello = await group.wait_for_bot_message(timeout=5)
    assert "private chats" in hello.text
