"""Pictures never hold other users up, and an unchanged picture is not drawn twice.

The bot runs in this test's process (the `bot` fixture), so the drawing function can be
replaced: a drawing that cannot finish until the test lets it proves it does not run on the
event loop (on the loop, nothing else could be answered meanwhile)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest

from bot.telegram import progress_views
from tests.e2e.test_streaks import MORNING, finish_quick_routine
from tests.support.pictures import picture_answer

HELP_TITLE = "What I can do"


@pytest.fixture
def drawings(monkeypatch):
    """Counts the calendars drawn (the real drawing, through the bot's own reference)."""
    real = progress_views.streak_calendar
    drawn: list[object] = []

    def counting(*args, **kwargs):
        drawn.append(kwargs["today"])
        return real(*args, **kwargs)

    monkeypatch.setattr(progress_views, "streak_calendar", counting)
    return drawn


async def test_help_is_answered_while_another_users_picture_is_being_drawn(
    emulator, bot, clock, monkeypatch
):
    clock.set(MORNING)
    real = progress_views.streak_calendar
    started, release = threading.Event(), threading.Event()
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def slow(*args, **kwargs):
        threads.append(threading.get_ident())
        started.set()
        # Held until Bob has his answer; on the event loop this would hold everything.
        assert release.wait(timeout=15), "the test never let the drawing finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(progress_views, "streak_calendar", slow)
    alice, bob = emulator.user(7601), emulator.user(7602)
    await bob.send("/help")
    await bob.wait_for_bot_message(lambda m: HELP_TITLE in (m.text or ""))

    await alice.send("/streak")
    numbers = await alice.wait_for_bot_message()
    assert "Days in a row: 0" in numbers.text, "the numbers come at once"
    assert await asyncio.to_thread(started.wait, 10), "the drawing started"
    await alice.wait_until(lambda chat: alice.chat_action == "upload_photo")

    await bob.send("/help")
    answer = await bob.wait_for_bot_message(lambda m: HELP_TITLE in (m.text or ""), timeout=5)
    assert answer.text
    assert all(m.photo is None for m in alice.bot_messages), "the picture is still being drawn"

    release.set()
    photo = await alice.wait_for_bot_message(lambda m: m.photo is not None)
    assert photo.photo is not None
    assert threads and loop_thread not in threads, "drawn in a worker thread, not on the loop"


async def test_an_unchanged_calendar_is_sent_by_file_id_and_a_completion_draws_anew(
    emulator, bot, clock, drawings
):
    clock.set(MORNING)
    alice = emulator.user(7603)
    first = await picture_answer(alice, "/streak")
    assert len(drawings) == 1

    again = await picture_answer(alice, "/streak")
    assert again.photo.photo_file_id == first.photo.photo_file_id, "sent by its file_id"
    assert len(drawings) == 1, "not drawn again"

    await finish_quick_routine(alice)
    done = await picture_answer(alice, "/streak")
    assert len(drawings) == 2, "a completion changes the picture"
    assert done.photo.photo_file_id != first.photo.photo_file_id
    assert "Today is counted" in done.text.text

    # Another user with the same calendar on the same day gets the same file: identical
    # pictures are one file at Telegram.
    bob = emulator.user(7604)
    bobs = await picture_answer(bob, "/streak")
    assert bobs.photo.photo_file_id == first.photo.photo_file_id
    assert len(drawings) == 2

    # The next day the calendar's "today" moves: drawn anew.
    clock.set(MORNING + timedelta(days=1))
    await picture_answer(alice, "/streak")
    assert len(drawings) == 3


async def test_a_file_telegram_no_longer_knows_is_drawn_and_uploaded_again(
    emulator, bot, clock, drawings
):
    clock.set(MORNING)
    alice = emulator.user(7605)
    first = await picture_answer(alice, "/streak")
    # As if Telegram had dropped the file: the stored file_id is refused from now on.
    emulator.expire_file(first.photo.photo_file_id)
    again = await picture_answer(alice, "/streak")
    assert again.photo.photo_file_id != first.photo.photo_file_id
    assert len(drawings) == 2
    refused = [c for c in emulator.calls if c.method == "sendPhoto" and not c.ok]
    assert len(refused) == 1, "one refusal, then the upload"
    third = await picture_answer(alice, "/streak")
    assert third.photo.photo_file_id == again.photo.photo_file_id
    assert len(drawings) == 2
