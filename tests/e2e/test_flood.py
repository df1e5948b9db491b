"""A user flooding the bot is answered at a sane rate and does not hold up anyone else."""

from __future__ import annotations

import asyncio
import logging

from bot.app import build_application, running
from tests.support.bot import settings_for

FLOOD = 50
BURST = 10


async def test_a_flood_is_cut_to_the_burst_with_one_note_and_others_are_served(
    emulator, sqlite_url, clock, caplog
):
    caplog.set_level(logging.INFO, logger="bot.updates")
    settings = settings_for(
        emulator, sqlite_url, flood_burst=BURST, flood_refill_seconds=10.0, log_level="INFO"
    )
    async with running(build_application(settings, clock=clock)):
        mallory, alice = emulator.user(8001), emulator.user(8002)
        await mallory.send("/settings")
        settings_message = await mallory.wait_for_bot_message(lambda m: m.flat_buttons)
        # 50 messages at once, then 10 button presses, and Alice asks for help meanwhile.
        await asyncio.gather(*(mallory.send(f"spam {n}") for n in range(FLOOD)))
        presses = [await mallory.press(settings_message, 0) for _ in range(10)]
        await alice.send("/help")
        help_answer = await alice.wait_for_bot_message(timeout=10)
        assert "What I can do" in help_answer.text

        # Every press is answered, the dropped ones with the note (the fixture checks none
        # is left unanswered at the end).
        answers = [await emulator.wait_for_callback_answer(q, timeout=10) for q in presses]
        assert all("a lot of messages" in (a.text or "") for a in answers)
        for _ in range(200):  # bounded: until the bot has taken every update
            if not emulator.pending_updates:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the last updates taken are being handled
    replies = [m.text or "" for m in mallory.bot_messages[1:]]  # after the settings message
    notes = [r for r in replies if "a lot of messages" in r]
    assert len(notes) == 1, "told once to slow down"
    assert len(replies) <= BURST + 1, f"{len(replies)} replies to a flood of {FLOOD}"
    dropped = [
        r for r in caplog.records if "user=8001 handler=flood outcome=dropped" in r.getMessage()
    ]
    assert len(dropped) >= FLOOD + 10 - BURST - 1
    assert any("user=8002 handler=help outcome=ok" in r.getMessage() for r in caplog.records)
