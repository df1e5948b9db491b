"""The same walk through a routine on SQLite and on PostgreSQL (skipped, and said so,
without TEST_DATABASE_URL)."""

from __future__ import annotations

from bot.app import build_application, running
from tests.e2e.test_routine import begin, step_of
from tests.support.bot import settings_for


async def test_a_routine_to_completion_and_a_resume_on_each_backend(emulator, database_url, clock):
    settings = settings_for(emulator, database_url)
    alice = emulator.user(4001)
    async with running(build_application(settings, clock=clock)):
        step = await begin(alice, command="/routine quick")
        await alice.press(step, "Next")
        step = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.text)
    async with running(build_application(settings, clock=clock)):
        total = step_of(step)[1]
        for expected in range(3, total + 1):
            await alice.press(step, "Next")
            step = await alice.wait_for_bot_message(lambda m, n=expected: f"Step {n} of" in m.text)
        await alice.press(step, "Done")
        assert "Counted for" in (await alice.wait_for_bot_message()).text
