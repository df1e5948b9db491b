"""Every step is its picture: a short animation (or the still diagram, when the user turned
animations off) with the step's text as its caption, uploaded once and then sent by file_id,
also by a second user, after a restart, and never with another bot's file_id.

The pictures are rendered once per test session into pytest's cache folder (keyed by what
they show and the drawing code's version, so a stale one is never reused), as the bot's own
start-up render would; the bot under test then finds them all on disk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.services.accounts import save_settings
from bot.services.step_pictures import cached_file, render_all, step_picture
from bot.telegram.services import BOT_DATA_KEY
from emulator import BotApiEmulator, ChatMessage, EmulatedUser
from emulator.params import Upload
from tests.e2e.test_routine import begin
from tests.support.bot import TOKEN, settings_for
from tests.support.content import fast_catalog, real_catalog
from tests.support.walks import start_routine

CATALOG = real_catalog()
OTHER_TOKEN = "987654321:" + "F" * 35
EVERY_ROUTINE = [r.id for r in CATALOG.routines(CATALOG.default_locale)]


@pytest.fixture(scope="session")
def pictures_dir(request: pytest.FixtureRequest, tmp_path_factory) -> Path:
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    folder = (
        Path(cache.mkdir("step-pictures")) if cache else tmp_path_factory.mktemp("step-pictures")
    )
    render_all(CATALOG, folder, lambda done, total, picture: None, readable=False)
    return folder


def _started(emulator: BotApiEmulator, database_url: str, pictures: Path, catalog=CATALOG):
    return build_application(
        settings_for(emulator, database_url, pictures_dir=pictures), catalog=catalog
    )


@pytest.fixture
async def pictured(emulator, sqlite_url, pictures_dir) -> AsyncIterator[object]:
    application = _started(emulator, sqlite_url, pictures_dir)
    async with running(application):
        await application.bot_data[BOT_DATA_KEY].step_pictures.wait_warm()
        yield application


def _svc(application):
    return application.bot_data[BOT_DATA_KEY]


def _uploads(emulator: BotApiEmulator, method: str, field: str, since: int = 0) -> int:
    return sum(
        1
        for call in emulator.calls[since:]
        if call.method == method and isinstance(call.params.get(field), Upload)
    )


async def _meet(user: EmulatedUser, application) -> None:
    """A user the bot knows, with both tools (so the tool routines are theirs too)."""
    await user.send("/help")
    await user.wait_for_bot_message()
    await save_settings(_svc(application), user.id, tools="cups,gua_sha")


async def _walk(
    user: EmulatedUser, application, routine_id: str, folder: Path, *, animated: bool = True
) -> list[ChatMessage]:
    """Start `routine_id` as its start button does and press Next to the end; every step's
    message, each checked: the step's own picture, its caption, its buttons."""
    svc = _svc(application)
    view = await start_routine(application, user.id, routine_id)
    steps = view.routine.steps
    shown: list[ChatMessage] = []
    for index, step in enumerate(steps):
        message = await user.wait_for_bot_message(
            lambda m, i=index: m.content.startswith(f"Step {i + 1} of {len(steps)}")
        )
        picture = step_picture(svc.catalog, view.routine, step)
        assert picture is not None, (routine_id, step.id)
        expected = cached_file(folder, picture, animated).read_bytes()
        if animated:
            assert message.media is not None and message.media.kind == "animation", step.id
            assert message.media.data == expected, f"{routine_id}/{step.id}: another picture"
        else:
            assert message.photo == expected, f"{routine_id}/{step.id}: another picture"
        assert not message.text and step.cue in (message.caption or ""), step.id
        assert len(message.caption or "") <= 1024
        shown.append(message)
        await user.press(message, "Done" if index == len(steps) - 1 else "Next")
    await user.wait_for_bot_message(lambda m: "Well done" in m.content)
    return shown


async def test_every_step_of_every_routine_is_its_animation_and_a_second_user_reuses_them(
    emulator, pictured, pictures_dir
):
    alice, bob = emulator.user(8301, first_name="Alice"), emulator.user(8302, first_name="Bob")
    await _meet(alice, pictured)
    await _meet(bob, pictured)
    for routine_id in EVERY_ROUTINE:
        await _walk(alice, pictured, routine_id, pictures_dir)
    first_walk = _uploads(emulator, "sendAnimation", "animation")
    distinct = {
        step_picture(CATALOG, r, s).animation_key
        for r in CATALOG.routines(CATALOG.default_locale)
        for s in r.steps
    }
    assert first_walk == len(distinct), "each distinct picture uploaded once, then reused"

    since = len(emulator.calls)
    for routine_id in EVERY_ROUTINE:
        await _walk(bob, pictured, routine_id, pictures_dir)
    assert _uploads(emulator, "sendAnimation", "animation", since) == 0
    reused = [c for c in emulator.calls[since:] if c.method == "sendAnimation"]
    assert reused and all(c.ok for c in reused)


async def test_a_restart_keeps_reusing_and_another_bot_never_gets_this_bots_file_ids(
    sqlite_url, pictures_dir
):
    async with BotApiEmulator(token=TOKEN) as first:
        application = _started(first, sqlite_url, pictures_dir)
        async with running(application):
            alice = first.user(8401)
            await _meet(alice, application)
            await _walk(alice, application, "quick", pictures_dir)
        assert _uploads(first, "sendAnimation", "animation") > 0
        since = len(first.calls)
        # The same bot after a restart: every step by file_id.
        application = _started(first, sqlite_url, pictures_dir)
        async with running(application):
            await _walk(alice, application, "quick", pictures_dir)
        assert _uploads(first, "sendAnimation", "animation", since) == 0

    # Another bot on the same database (a new token for another bot): Telegram would refuse
    # the first bot's file_ids, so it uploads its own, without trying them first.
    async with BotApiEmulator(token=OTHER_TOKEN) as other:
        application = _started(other, sqlite_url, pictures_dir)
        async with running(application):
            carol = other.user(8402)
            await _meet(carol, application)
            steps = await _walk(carol, application, "quick", pictures_dir)
        sent = [c for c in other.calls if c.method == "sendAnimation"]
        assert all(c.ok for c in sent), "no stored file_id of the other bot was tried"
        assert _uploads(other, "sendAnimation", "animation") == len(
            {m.media.data for m in steps if m.media is not None}
        )


async def test_with_animations_off_steps_are_still_diagrams_reused_by_file_id(
    emulator, pictured, pictures_dir
):
    alice = emulator.user(8501)
    await _meet(alice, pictured)
    await alice.send("/settings")
    panel = await alice.wait_for_bot_message(lambda m: "🎞 Animated steps: on" in m.button_texts)
    await alice.press(panel, "🎞 Animated steps: on")
    await alice.wait_until(
        lambda chat: "🎞 Animated steps: off" in chat.message(panel.message_id).button_texts
    )
    await _walk(alice, pictured, "quick", pictures_dir, animated=False)
    uploaded = _uploads(emulator, "sendPhoto", "photo")
    assert uploaded > 0
    since = len(emulator.calls)
    await _walk(alice, pictured, "quick", pictures_dir, animated=False)
    assert _uploads(emulator, "sendPhoto", "photo", since) == 0
    assert not [c for c in emulator.calls if c.method == "sendAnimation"]


async def test_more_pause_and_a_stale_press_on_a_picture_step(emulator, pictured):
    alice = emulator.user(8601)
    step = await begin(alice)  # through /routine and its Start button, as people do
    assert step.media is not None and step.media.kind == "animation"
    assert "Step 1 of" in step.content and "ℹ️ More" in step.button_texts
    short = step.caption or ""
    await alice.press(step, "More")
    await alice.wait_until(lambda chat: "ℹ️ Less" in chat.message(step.message_id).button_texts)
    opened = alice.message(step.message_id)
    assert len(opened.caption or "") > len(short) and opened.media == step.media
    await alice.press(step, "Less")
    await alice.wait_until(lambda chat: "ℹ️ More" in chat.message(step.message_id).button_texts)
    assert alice.message(step.message_id).caption == short
    assert not [c for c in emulator.calls if c.method == "editMessageText"]

    await alice.press(step, "Pause")
    await alice.wait_until(lambda chat: "▶️ Resume" in chat.message(step.message_id).button_texts)
    await alice.press(step, "Resume")
    await alice.wait_until(lambda chat: "Next ▶️" in chat.message(step.message_id).button_texts)
    await alice.press(step, "Next")
    second = await alice.wait_for_bot_message(lambda m: "Step 2 of" in m.content)
    assert second.media is not None
    await alice.wait_until(lambda chat: not chat.message(step.message_id).buttons)
    # The first step's old Next (pressed again, as from a second phone) changes nothing.
    before = len(alice.bot_messages)
    query = await alice.press_data(step.message_id, step.flat_buttons[0].callback_data)
    await emulator.wait_for_callback_answer(query)
    await asyncio.sleep(0.1)
    assert len(alice.bot_messages) == before


async def test_hands_free_moves_on_by_itself_from_picture_to_picture(
    emulator, sqlite_url, pictures_dir
):
    # Every step 0.3 s long; the strokes, and so the pictures, are the real ones.
    application = _started(emulator, sqlite_url, pictures_dir, fast_catalog(0.3))
    async with running(application):
        alice = emulator.user(8701)
        first = await begin(alice, hands_free=True, command="/routine quick")
        total = int(first.content.split(" of ", 1)[1].split()[0])
        done = await alice.wait_for_bot_message(lambda m: "Well done" in m.content, timeout=20)
    steps = [m for m in alice.bot_messages if m.content.startswith("Step ")]
    assert [m.content.split(" ·")[0] for m in steps] == [
        f"Step {n} of {total}" for n in range(1, total + 1)
    ]
    assert all(m.media is not None and m.media.kind == "animation" for m in steps)
    # Each step's buttons went when the next came; the last one's with the completion.
    assert not any(m.buttons for m in steps) and done.content
