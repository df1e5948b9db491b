"""Streaks through Telegram with a controlled clock: /streak after 0, 1 and several days, the
calendar picture, milestones, freezes, "I did it yesterday", /progress and the evening nudge."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.pictures.calendar import FROZEN_COLOUR, MISSED_COLOUR, cell_box
from bot.pictures.drawing import BACKGROUND
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY
from tests.e2e.test_routine import STEP, begin, step_of
from tests.support.pictures import picture_answer

MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # a Wednesday; the users are in UTC


async def finish_quick_routine(user, *, before: str = "Skip", after: str = "3") -> str:
    """Walk the quick routine to its end, rating it `before` and `after` (0-10, or Skip
    before); returns the completion message's text."""
    step = await begin(user, command="/routine quick", rating=before)
    total = step_of(step)[1]
    for number in range(2, total + 1):
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(lambda m, n=number: f"Step {n} of" in m.text)
    await user.press(step, "Done")
    done = await user.wait_for_bot_message(lambda m: "Well done" in (m.text or ""))
    question = await user.wait_for_bot_message(lambda m: "And now" in (m.text or ""))
    await user.press(question, after)
    await user.wait_until(lambda chat: "noted" in chat.message(question.message_id).text)
    return done.text


async def streak_photo(user):
    """/streak's answer: the numbers (with the buttons), and the calendar picture after it."""
    answer = await picture_answer(user, "/streak")
    return answer.text, answer.image


def number(caption: str, label: str) -> int:
    match = re.search(rf"{label}: (\d+)", caption)
    assert match, f"no {label!r} in {caption!r}"
    return int(match[1])


async def test_streak_with_no_days_yet(emulator, bot, clock):
    clock.set(MORNING)
    alice = emulator.user(7001)
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in a row") == 0
    assert number(message.text, "Days in total") == 0
    assert "No days yet" in message.text
    labels = [b.text for b in message.flat_buttons]
    assert labels == ["✅ I did it yesterday", "How streaks work"]
    await alice.press(message, "How streaks work")
    rules = await alice.wait_for_bot_message(lambda m: "How streaks work" in (m.text or ""))
    assert "freeze" in rules.text and "04:00" in rules.text


async def test_streak_after_one_day(emulator, bot, clock):
    clock.set(MORNING)
    alice = emulator.user(7002)
    done = await finish_quick_routine(alice)
    assert "Days in a row: 1 (best: 1)" in done
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in a row") == 1
    assert number(message.text, "Last 30 days") == 1
    assert "Today is counted" in message.text
    assert "Wed ✅" in message.text
    # Yesterday was not done, so it may still be logged.
    assert "✅ I did it yesterday" in [b.text for b in message.flat_buttons]


async def test_days_before_the_user_came_are_neither_missed_in_words_nor_in_the_picture(
    emulator, bot, clock
):
    clock.set(MORNING)  # a Wednesday: Monday and Tuesday were before Bea came
    bea = emulator.user(7003)
    await finish_quick_routine(bea)
    clock.set(MORNING + timedelta(days=2))  # Friday: Thursday was hers to miss
    message, image = await streak_photo(bea)
    assert "Mon ·  Tue ·  Wed ✅  Thu ▫️  Fri ⏳" in message.text
    today = (MORNING + timedelta(days=2)).date()
    for days_back, colour in ((4, BACKGROUND), (30, BACKGROUND), (1, MISSED_COLOUR)):
        box = cell_box(today, today - timedelta(days=days_back))
        middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
        assert image.convert("RGB").getpixel(middle) == colour, days_back


async def test_several_days_milestone_freeze_and_a_day_logged_afterwards(emulator, bot, clock):
    alice = emulator.user(7003)
    for day in range(7):
        clock.set(MORNING + timedelta(days=day))
        done = await finish_quick_routine(alice)
        assert f"Days in a row: {day + 1} " in done
        assert ("7 days in a row!" in done) == (day == 6), "the milestone on day 7 only"
    assert "earned you a streak freeze" in done
    # Day 8 is missed; day 9's routine spends the freeze and the run goes on.
    clock.set(MORNING + timedelta(days=8))
    done = await finish_quick_routine(alice)
    assert "Days in a row: 8 (best: 8)" in done and "Streak freezes covered" in done
    message, image = await streak_photo(alice)
    caption = message.text
    assert (number(caption, "Days in a row"), number(caption, "Best")) == (8, 8)
    assert number(caption, "Days in total") == 8 and "Freezes held: 0 of 2" in caption
    today, frozen_day = (MORNING + timedelta(days=8)).date(), (MORNING + timedelta(days=7)).date()
    box = cell_box(today, frozen_day)
    assert box is not None
    centre = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
    assert image.convert("RGB").getpixel(centre) == FROZEN_COLOUR[:3]

    # The next day is open: the run stands. The day after, with no freeze left, it shows as
    # ended, until Alice says she did it yesterday after all.
    clock.set(MORNING + timedelta(days=9))
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in a row") == 8, "today open: not broken yet"
    assert "Today is still open" in message.text
    clock.set(MORNING + timedelta(days=10))
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in a row") == 0
    assert "Your last run has ended" in message.text
    await alice.press(message, "✅ I did it yesterday")
    logged = await alice.wait_for_bot_message(lambda m: "Counted ✅" in (m.text or ""))
    assert "December 4" in logged.text and "Days in a row: 9 (best: 9)" in logged.text
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in a row") == 9
    assert "✅ I did it yesterday" not in [b.text for b in message.flat_buttons]


async def test_a_stale_yesterday_button_is_refused(emulator, bot, clock):
    clock.set(MORNING)
    alice = emulator.user(7004)
    message, _ = await streak_photo(alice)
    clock.set(MORNING + timedelta(days=2))
    await alice.press(message, "✅ I did it yesterday")
    answer = await alice.wait_for_bot_message(lambda m: "Only yesterday" in (m.text or ""))
    assert "fresh chance" in answer.text
    message, _ = await streak_photo(alice)
    assert number(message.text, "Days in total") == 0


async def test_progress_shows_weeks_and_checkins(emulator, bot, clock):
    alice = emulator.user(7005)
    clock.set(MORNING)
    await alice.send("/progress")
    empty = await alice.wait_for_bot_message()
    assert "Nothing to show yet" in empty.text
    await finish_quick_routine(alice)
    clock.set(MORNING + timedelta(days=1))
    await finish_quick_routine(alice)
    message = (await picture_answer(alice, "/progress")).text
    assert "Routines in the last 4 weeks: 2 · days with a routine: 2" in message.text
    assert "Check-ins of puffiness or tightness: 0" in message.text


def nudges_of(user):
    return [m for m in user.bot_messages if "gentle nudge" in (m.text or "")]


async def test_the_evening_nudge_comes_once_and_only_when_the_run_is_at_stake(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice, bob = emulator.user(7006), emulator.user(7007)
    for day in range(2):  # a two-day run for both
        clock.set(MORNING + timedelta(days=day))
        for user in (alice, bob):
            await finish_quick_routine(user)
    for user in (alice, bob):
        await user.send("/remind 7:30")
        await user.wait_for_bot_message(lambda m: "07:30" in (m.text or ""))
    # Day 3, 07:30: the reminders mention the run today would make.
    clock.set(datetime(2026, 11, 27, 7, 30, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 2
    for user in (alice, bob):
        reminder = await user.wait_for_bot_message(lambda m: "Time for your" in (m.text or ""))
        assert "Today would make it 3 days in a row" in reminder.text
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    await finish_quick_routine(bob)  # Bob keeps his run; Alice does not, yet
    clock.set(datetime(2026, 11, 27, 20, 0, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    nudge = await alice.wait_for_bot_message(lambda m: "gentle nudge" in (m.text or ""))
    assert "2</b> days in a row" in nudge.html
    assert [b.text for b in nudge.flat_buttons] == ["Start the quick routine", "Skip today"]
    for minute in (1, 30):
        clock.set(datetime(2026, 11, 27, 20, minute, tzinfo=UTC))
        assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    assert len(nudges_of(alice)) == 1 and nudges_of(bob) == []


async def test_nudges_can_be_switched_off_in_settings(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    alice = emulator.user(7008)
    clock.set(MORNING)
    await finish_quick_routine(alice)
    await alice.send("/remind 7:30")
    await alice.wait_for_bot_message(lambda m: "07:30" in (m.text or ""))
    await alice.send("/settings")
    settings = await alice.wait_for_bot_message(lambda m: "Settings" in (m.text or ""))
    await alice.press(settings, "🌙 Evening nudge: on")
    await alice.wait_until(
        lambda chat: any(
            b.text == "🌙 Evening nudge: off"
            for m in chat.messages
            if m.message_id == settings.message_id
            for b in m.flat_buttons
        )
    )
    clock.set(datetime(2026, 11, 26, 7, 30, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 1
    clock.set(datetime(2026, 11, 26, 20, 0, tzinfo=UTC))
    assert (await dispatcher.tick(svc, bot.bot)).sent == 0
    assert nudges_of(alice) == []


async def test_daystart_moves_the_end_of_the_day(emulator, bot, clock):
    alice = emulator.user(7009)
    await alice.send("/daystart 7am")
    refused = await alice.wait_for_bot_message()
    assert "between 00:00 and 06:00" in refused.text
    await alice.send("/daystart 2:00")
    assert "starts at <b>02:00</b>" in (await alice.wait_for_bot_message()).html
    # 03:00 on the 26th is after a 02:00 day start: it counts for the 26th, not the 25th.
    clock.set(datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    done = await finish_quick_routine(alice)
    assert "Counted for your day November 26" in done
    assert STEP.search(done) is None
