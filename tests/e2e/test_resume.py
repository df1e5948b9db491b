"""Hands-free mode, and resuming after a graceful restart or a SIGKILL."""

from __future__ import annotations

import asyncio

from bot.app import build_application, running
from tests.e2e.test_routine import STEP, begin, step_of
from tests.support.bot import BotProcess, settings_for
from tests.support.content import fast_catalog


async def test_hands_free_moves_on_by_itself_to_the_end(emulator, sqlite_url, clock):
    application = build_application(
        settings_for(emulator, sqlite_url), catalog=fast_catalog(0.3), clock=clock
    )
    async with running(application):
        alice = emulator.user(3001)
        first = await begin(alice, hands_free=True, command="/routine quick")
        total = step_of(first)[1]
        done = await alice.wait_for_bot_message(lambda m: "Well done" in m.text, timeout=15)
        steps = [step_of(m)[0] for m in alice.bot_messages if STEP.search(m.text or "")]
        assert steps == list(range(1, total + 1)), "every step once, in order, untouched"
        assert "Counted for" in done.text
        assert not any(m.flat_buttons for m in alice.bot_messages if STEP.search(m.text or ""))


async def test_hands_free_pause_holds_the_step_until_resumed(emulator, sqlite_url, clock):
    application = build_application(
        settings_for(emulator, sqlite_url), catalog=fast_catalog(1.0), clock=clock
    )
    async with running(application):
        alice = emulator.user(3002)
        first = await begin(alice, hands_free=True)
        await alice.press(first, "Pause")
        await asyncio.sleep(2.0)
        assert [step_of(m)[0] for m in alice.bot_messages if STEP.search(m.text or "")] == [1]
        await alice.press(first, "Resume")
        second = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text, timeout=5)
        assert second.flat_buttons


async def test_a_graceful_restart_resumes_at_the_same_step(emulator, sqlite_url, clock):
    settings = settings_for(emulator, sqlite_url)
    alice = emulator.user(3003)
    async with running(build_application(settings, clock=clock)):
        step = await begin(alice)
        for expected in (2, 3):
            await alice.press(step, "Next")
            step = await alice.wait_for_bot_message(lambda m, n=expected: f"Step {n} of" in m.text)
    async with running(build_application(settings, clock=clock)):
        await alice.press(step, "Next")
        assert step_of(await alice.wait_for_bot_message())[0] == 4


async def test_hands_free_timers_come_back_after_a_restart(emulator, sqlite_url, clock):
    settings = settings_for(emulator, sqlite_url)
    alice = emulator.user(3004)
    async with running(build_application(settings, catalog=fast_catalog(1.5), clock=clock)):
        await begin(alice, hands_free=True)
    # Stopped during step 1: after the restart the timer is re-armed from the database.
    async with running(build_application(settings, catalog=fast_catalog(1.5), clock=clock)):
        second = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text, timeout=10)
        assert second.flat_buttons


async def test_sigkill_mid_routine_then_restart_resumes_at_the_same_step(emulator, tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    bot = BotProcess(emulator, database_url, tmp_path)
    alice = emulator.user(3005)
    await bot.start()
    try:
        step = await begin(alice)
        for expected in (2, 3, 4):
            query = await alice.press(step, "Next")
            step = await alice.wait_for_bot_message(
                lambda m, n=expected: f"Step {n} of" in m.text, timeout=10
            )
        # Killed between presses: the last one is answered too (its answer and the next step
        # leave together, either may arrive first).
        await emulator.wait_for_callback_answer(query)
        await bot.kill()
        await bot.start()
        await alice.press(step, "Next")
        following = await alice.wait_for_bot_message(timeout=10)
        assert step_of(following)[0] == 5
        await alice.send("/routine")
        offer = await alice.wait_for_bot_message(timeout=10)
        assert "step 5 of" in offer.text
    finally:
        assert await bot.terminate() == 0, bot.log()
    log = bot.log()
    assert "Traceback" not in log
    # Even at DEBUG, the token never appears (Telegram URLs carry it).
    assert "getUpdates" in log or "getMe" in log, "the log is not empty"
    assert emulator.token not in log and emulator.token.split(":")[1] not in log


async def test_a_routine_removed_from_the_content_ends_its_runs_without_breaking_start_up(
    emulator, sqlite_url, clock
):
    settings = settings_for(emulator, sqlite_url)
    alice = emulator.user(3006)
    async with running(build_application(settings, catalog=fast_catalog(30), clock=clock)):
        step = await begin(alice, hands_free=True, command="/routine quick")
    without_quick = fast_catalog(30, without=("quick",))
    async with running(build_application(settings, catalog=without_quick, clock=clock)):
        query = await alice.press(step, "Next")
        answer = await emulator.wait_for_callback_answer(query)
        assert "already ended" in answer.text
        await alice.send("/routine")
        intro = await alice.wait_for_bot_message()
        assert "Classic" in intro.text, "a fresh start is offered, not the vanished run"


async def test_a_long_overdue_hands_free_step_waits_for_its_owner(emulator, sqlite_url, clock):
    settings = settings_for(emulator, sqlite_url)
    alice = emulator.user(3007)
    async with running(build_application(settings, catalog=fast_catalog(1.0), clock=clock)):
        first = await begin(alice, hands_free=True)
    clock.advance(hours=3)  # the bot was down for three hours
    async with running(build_application(settings, catalog=fast_catalog(1.0), clock=clock)):
        await asyncio.sleep(2.5)
        assert [step_of(m)[0] for m in alice.bot_messages if STEP.search(m.text or "")] == [1]
        await alice.press(first, "Next")
        second = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text)
        assert second.flat_buttons, "and the routine goes on from there"


async def test_sigterm_finishes_the_update_in_hand_then_exits_cleanly(emulator, tmp_path):
    bot = BotProcess(emulator, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tmp_path)
    alice = emulator.user(3008)
    await bot.start()
    emulator.faults.add("slow", method="sendMessage", chat_id=alice.id, delay=2.0)
    await alice.send("/help")
    # Fetched and confirmed by the bot: its reply is now on the way, slowly (2 s).
    for _ in range(250):
        if not emulator.pending_updates:
            break
        await asyncio.sleep(0.02)
    assert not emulator.pending_updates and not alice.bot_messages
    exit_code = await bot.terminate()
    assert exit_code == 0, bot.log()
    reply = await alice.wait_for_bot_message(timeout=1)
    assert "/depuff" in reply.text


async def test_a_step_whose_send_failed_is_shown_again_from_routine(emulator, bot):
    """A press is committed before its next step is sent (the writer lock never waits for
    Telegram). When that send fails, the run is already at the new step: the old step's
    buttons say so, and /routine offers to continue, which sends the step again."""
    alice = emulator.user(3010)
    step = await begin(alice)
    emulator.faults.add("500", method="sendMessage", chat_id=alice.id)  # the next step's send
    await alice.press(step, "Next")
    sorry = await alice.wait_for_bot_message(timeout=10)
    assert "went wrong" in sorry.text
    # The old step's button: the run has moved on, so nothing changes.
    stale = await emulator.wait_for_callback_answer(await alice.press(step, "Next"), timeout=10)
    assert "earlier step" in (stale.text or "")
    await alice.send("/routine")
    offer = await alice.wait_for_bot_message(lambda m: "step 2 of" in m.text, timeout=10)
    await alice.press(offer, "Continue")
    again = await alice.wait_for_bot_message(lambda m: STEP.search(m.text or ""), timeout=10)
    assert step_of(again)[0] == 2 and any("Next" in text for text in again.button_texts)
