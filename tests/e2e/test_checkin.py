"""The puffiness check-in from the reminder: the red-flag question first, then the rating;
each cause, each severity, each route."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.storage.models import Checkin, Prompt
from bot.telegram import dispatcher
from bot.telegram.services import BOT_DATA_KEY


async def reminder_for(emulator, bot, clock, user_id: int):
    user = emulator.user(user_id)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    await user.send("/remind 7:30")
    await user.wait_for_bot_message()
    clock.set(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))
    await dispatcher.tick(bot.bot_data[BOT_DATA_KEY], bot.bot)
    reminder = await user.wait_for_bot_message()
    assert "Did you fly" in reminder.text
    return user, reminder


async def no_red_flags_then_rate(user, question, rating: int):
    """ "None of these" on the red-flag question, then the rating it turns into."""
    assert "safety check" in question.text
    await user.press(question, "None of these")
    await user.wait_until(lambda chat: "How puffy" in chat.message(question.message_id).text)
    await user.press(user.message(question.message_id), str(rating))
    await user.wait_until(lambda chat: f"{rating}/10" in chat.message(question.message_id).text)
    return user.message(question.message_id)


async def checkins_of(bot, user_id: int) -> list[tuple[str, str, int, str | None]]:
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        rows = await session.scalars(select(Checkin).where(Checkin.user_id == user_id))
        return [(c.cause, c.phase, c.rating, c.red_flag) for c in rows]


@pytest.mark.parametrize(
    ("cause", "button", "rating", "expected_steps"),
    [
        ("flight", "flight", 8, "long"),
        ("flight", "flight", 3, "short"),
        ("party", "late night", 9, "long"),
        ("party", "late night", 2, "short"),
    ],
)
async def test_no_red_flag_leads_to_the_sequence_for_cause_and_severity(
    emulator, bot, clock, cause, button, rating, expected_steps
):
    user, reminder = await reminder_for(emulator, bot, clock, 6000 + rating)
    await user.press(reminder, button)
    question = await user.wait_for_bot_message()
    flags = await no_red_flags_then_rate(user, question, rating)
    intro = await user.wait_for_bot_message(lambda m: m.flat_buttons)
    catalog = bot.bot_data[BOT_DATA_KEY].catalog
    length = "classic" if expected_steps == "long" else "quick"
    routine = catalog.find("en", kind="depuff", cause=cause, length=length) or catalog.find(
        "en", kind="depuff", cause=cause
    )
    assert routine.title in intro.text
    assert f"{rating}/10" in user.message(flags.message_id).text
    assert await checkins_of(bot, user.id) == [(cause, "before", rating, "n")]


# Each route: its button, a sign the question lists under it, and words only its advice has.
ROUTES = [
    ("emergency sign", "tongue or throat", "adrenaline pen"),
    ("to be seen today", "toothache", "urgent appointment"),
    ("allergy sign", "insect sting", "rubbing can make hives"),
    ("keeps coming back", "foamy urine", "kidneys, heart and thyroid"),
]


@pytest.mark.parametrize(("cause", "button"), [("flight", "flight"), ("party", "late night")])
@pytest.mark.parametrize(("route", "sign", "advice"), ROUTES)
async def test_red_flags_come_before_the_rating_and_each_route_has_its_own_advice(
    emulator, bot, clock, cause, button, route, sign, advice
):
    user_id = 6100 + 10 * ROUTES.index((route, sign, advice)) + len(cause)
    user, reminder = await reminder_for(emulator, bot, clock, user_id)
    await user.press(reminder, button)
    question = await user.wait_for_bot_message()
    assert "safety check" in question.text and sign in question.text
    assert not any(b.text.isdigit() for b in question.flat_buttons), "no rating before red flags"
    await user.press(question, route)
    await user.wait_until(lambda chat: advice in chat.message(question.message_id).text)
    shown = user.message(question.message_id)
    assert "no massage" in shown.text.lower() and "rest day" in shown.text
    assert not shown.flat_buttons
    assert not [m for m in user.bot_messages if "Step 1 of" in m.text]
    for other in ROUTES:
        if other[2] != advice:
            assert other[2] not in shown.text
    assert await checkins_of(bot, user.id) == [], "no rating was asked, so none is stored"


async def test_the_calf_after_a_flight_is_same_day_and_chest_pain_an_emergency(
    emulator, bot, clock
):
    user, reminder = await reminder_for(emulator, bot, clock, 6150)
    await user.press(reminder, "flight")
    question = await user.wait_for_bot_message()
    urgent = question.text.index("Urgent: be seen today")
    emergency = question.text.index("Emergency")
    assert emergency < question.text.index("chest pain") < urgent < question.text.index("calf")
    catalog = bot.bot_data[BOT_DATA_KEY].catalog
    flight = catalog.routine("en", "depuff-flight")
    # The routine says the same before it starts (a precondition, so in the introduction).
    calf = [part for part in flight.intro.split(". ") if "calf" in part.lower()]
    assert calf and all("today" in part for part in calf)
    assert not [tip for tip in flight.tips if "calf" in tip.lower()], "not as an afterthought"


@pytest.mark.parametrize(
    ("zone", "number"),
    [
        ("Asia/Tokyo", "119"),
        ("Europe/Moscow", "112"),
        ("America/New_York", "911"),
        ("Europe/London", "999"),
        ("Australia/Sydney", "000"),
        ("+03:00", "112"),
    ],
)
async def test_the_emergency_advice_gives_the_number_of_the_users_country(
    emulator, bot, clock, zone, number
):
    user = emulator.user(6160 + len(zone))
    await user.send(f"/timezone {zone}")
    await user.wait_for_bot_message(lambda m: "Time zone set" in m.text)
    await user.send("/depuff party")
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    await user.press(question, "emergency sign")
    await user.wait_until(lambda chat: "adrenaline" in chat.message(question.message_id).text)
    assert f"Call {number}" in user.message(question.message_id).text
    await user.send("/safety")
    note = await user.wait_for_bot_message(lambda m: "Before you start" in m.text)
    assert f"call {number}" in note.text


async def test_a_pregnant_profile_is_asked_about_pre_eclampsia_and_others_are_not(
    emulator, bot, clock
):
    from bot.storage import safety

    svc = bot.bot_data[BOT_DATA_KEY]
    pregnant, other = emulator.user(6170), emulator.user(6171)
    for user in (pregnant, other):
        await user.send("/help")
        await user.wait_for_bot_message()
    async with svc.db.transaction() as session:
        await safety.save(session, pregnant.id, clock.now(), pregnancy="yes")
        await safety.save(session, other.id, clock.now(), pregnancy="no")
    await other.send("/depuff flight")
    question = await other.wait_for_bot_message(lambda m: "safety check" in m.text)
    assert "below the ribs" not in question.text
    assert "pregnancy sign" not in " ".join(b.text for b in question.flat_buttons)
    await pregnant.send("/depuff flight")
    question = await pregnant.wait_for_bot_message(lambda m: "safety check" in m.text)
    assert "sudden swelling of the face, hands or feet" in question.text
    assert "below the ribs" in question.text
    await pregnant.press(question, "pregnancy sign")
    await pregnant.wait_until(
        lambda chat: "pre-eclampsia" in chat.message(question.message_id).text
    )
    assert "call your midwife" in pregnant.message(question.message_id).text


async def test_no_leads_to_the_daily_routine(emulator, bot, clock):
    user, reminder = await reminder_for(emulator, bot, clock, 6200)
    await user.press(reminder, "No")
    intro = await user.wait_for_bot_message()
    assert "Classic face routine" in intro.text


async def test_after_de_puffing_the_rating_is_asked_again_and_compared(emulator, bot, clock):
    user, reminder = await reminder_for(emulator, bot, clock, 6300)
    await user.press(reminder, "late night")
    question = await user.wait_for_bot_message()
    await no_red_flags_then_rate(user, question, 3)
    intro = await user.wait_for_bot_message(lambda m: m.flat_buttons)
    await user.press(intro, "Start")
    step = await user.wait_for_bot_message()
    while "Done" not in " ".join(step.button_texts):
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(lambda m: "Step" in m.text)
    await user.press(step, "Done")
    after = await user.wait_for_bot_message(lambda m: "How puffy" in m.text)
    await user.press(after, "1")
    await user.wait_until(lambda chat: "3 before, 1 now" in chat.message(after.message_id).text)
    assert await checkins_of(bot, user.id) == [
        ("party", "before", 3, "n"),
        ("party", "after", 1, None),
    ]


async def test_flight_schedules_a_check_in_after_landing_that_survives_a_restart(
    emulator, sqlite_url, clock
):
    from bot.app import build_application, running
    from tests.support.bot import settings_for

    settings = settings_for(emulator, sqlite_url)
    user = emulator.user(6400)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with running(build_application(settings, clock=clock)):
        await user.send("/flight 11:00")
        answer = await user.wait_for_bot_message()
        assert "14:00" in answer.text and "November 25" in answer.text
        await user.send("/flight soonish")
        assert "Nothing was changed" in (await user.wait_for_bot_message()).text
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    async with running(build_application(settings, clock=clock)) as app:
        # The start-up tick sends what fell due while the bot was down.
        checkin = await user.wait_for_bot_message(lambda m: "Welcome back" in m.text)
        await user.press(checkin, "Check in now")
        await user.wait_for_bot_message(lambda m: "safety check" in m.text)
        assert (await dispatcher.tick(app.bot_data[BOT_DATA_KEY], app.bot)).sent == 0


async def test_flight_to_another_zone_reads_the_landing_there_and_offers_to_switch(
    emulator, bot, clock
):
    user = emulator.user(6401)
    clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    await user.send("/timezone Europe/Berlin")
    await user.wait_for_bot_message()
    await user.send("/flight 12:00 Asia/Tokyo")  # lands at noon Tokyo time (03:00 UTC)
    answer = await user.wait_for_bot_message()
    assert "15:00" in answer.text and "Asia/Tokyo" in answer.text
    await user.press(answer, "Switch")
    assert "Asia/Tokyo" in (await user.wait_for_bot_message()).text
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        prompt = await session.scalar(select(Prompt).where(Prompt.user_id == user.id))
    assert prompt.due_at == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 15:00 in Tokyo


async def test_flight_now_welcomes_back_and_checks_in_at_once(emulator, bot, clock):
    svc = bot.bot_data[BOT_DATA_KEY]
    user = emulator.user(6500)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    await user.send("/flight 11:00")  # announced before boarding, then landed early
    await user.wait_for_bot_message(lambda m: "Safe travels" in m.text)
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    await user.send("/flight now")
    welcome = await user.wait_for_bot_message(lambda m: "Welcome back" in m.text)
    assert "Safe travels" not in welcome.text
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    assert "calf or thigh" in question.text and "chest pain" in question.text
    async with svc.db.read() as session:
        assert list(await session.scalars(select(Prompt).where(Prompt.user_id == user.id))) == []
    flags = await no_red_flags_then_rate(user, question, 7)
    assert "7/10 after a flight" in flags.text
    await user.wait_for_bot_message(lambda m: "Hands-free" in " ".join(m.button_texts))


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("my face is puffy", "After a flight"),
        ("Just landed!", "Check in now"),
        ("puffy eyes after the party", "Check in now"),
    ],
)
async def test_free_text_about_puffiness_offers_the_check_in(emulator, bot, clock, text, offer):
    user = emulator.user(6600 + len(text))
    await user.send(text)
    answer = await user.wait_for_bot_message()
    assert "/help" not in answer.text and "safety check" in answer.text
    await user.press(answer, offer)
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    assert "None of these" in " ".join(question.button_texts)


async def test_a_photo_captioned_about_a_puffy_face_offers_the_check_in(emulator, bot, clock):
    user = emulator.user(6650)
    await user.send_photo(caption="My face is so puffy this morning")
    answer = await user.wait_for_bot_message()
    assert "safety check" in answer.text and "/help" not in answer.text
    await user.send_sticker()
    assert "/help" in (await user.wait_for_bot_message()).text


async def test_a_flight_still_ahead_is_told_how_to_get_a_check_in_not_welcomed_back(
    emulator, bot, clock
):
    cleo = emulator.user(6290)
    for text in (
        "I have a flight tomorrow",
        "flying soon, boarding at 6",
        "my plane leaves tonight",
    ):
        await cleo.send(text)
        answer = await cleo.wait_for_bot_message()
        assert "Welcome back" not in answer.text and "/flight 18:30" in answer.text, text
        assert answer.flat_buttons, "and a check-in button for when they land"
    await cleo.send("just landed, long flight")
    assert "Welcome back" in (await cleo.wait_for_bot_message()).text


async def test_other_free_text_still_points_to_help(emulator, bot, clock):
    user = emulator.user(6700)
    await user.send("what a lovely day")
    assert "/help" in (await user.wait_for_bot_message()).text


async def test_a_rating_button_from_an_older_version_asks_the_red_flags_first(emulator, bot, clock):
    user = emulator.user(6800)
    await user.send("/depuff flight")
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    await user.press(question, "None of these")
    await user.wait_until(lambda chat: "How puffy" in chat.message(question.message_id).text)
    # Before this version the rating came first, on buttons like "q:flight:5".
    await user.press_data(question.message_id, "q:flight:5")
    await user.wait_until(lambda chat: "safety check" in chat.message(question.message_id).text)
    assert not [m for m in user.bot_messages if "I suggest" in (m.text or "")]
    # And the old red-flag answer with the rating first is refused, changing nothing.
    query = await user.press_data(question.message_id, "f:flight:5:n")
    assert "doesn't work any more" in (await emulator.wait_for_callback_answer(query)).text


async def test_a_bare_flight_asks_whether_landed_or_when(emulator, bot, clock):
    """The menu's /flight comes before boarding as often as after landing."""
    user = emulator.user(6510)
    await user.send("/flight")
    ask = await user.wait_for_bot_message()
    assert "Welcome back" not in ask.text and "/flight 18:30" in ask.text
    await user.press(ask, "Check in now")
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    assert "calf or thigh" in question.text


@pytest.mark.parametrize(
    "words",
    ["now", "Now", "LANDED", "just now", "just landed", "Just landed!", "lnaded", "arrived"],
)
async def test_flight_now_and_its_variants_welcome_back(emulator, bot, clock, words):
    user = emulator.user(6520 + len(words) + 10 * words.islower())
    await user.send(f"/flight {words}")
    welcome = await user.wait_for_bot_message()
    assert "Welcome back" in welcome.text
    await user.wait_for_bot_message(lambda m: "safety check" in m.text)


@pytest.mark.parametrize(
    "words", ["2h", "abc", "in 2 hours", "7pm", "25:00", "now now", "3 Asia/Nowhere"]
)
async def test_a_flight_time_it_cannot_read_changes_nothing_and_says_how(
    emulator, bot, clock, words
):
    user = emulator.user(6540 + len(words))
    await user.send(f"/flight {words}")
    answer = await user.wait_for_bot_message()
    assert "Nothing was changed" in answer.text and "/flight now" in answer.text
    async with bot.bot_data[BOT_DATA_KEY].db.read() as session:
        assert list(await session.scalars(select(Prompt).where(Prompt.user_id == user.id))) == []


async def test_a_scheduled_flight_says_how_the_landing_time_was_read(emulator, bot, clock):
    user = emulator.user(6560)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    await user.send("/flight 3")  # 03:00 today is gone: tomorrow's, in the night, so morning
    answer = await user.wait_for_bot_message()
    assert "Landing at 03:00 on November 26" in answer.text
    assert "08:00" in answer.text


async def test_on_a_rest_day_landing_and_free_text_give_the_advice_at_once(emulator, bot, clock):
    user = emulator.user(6570)
    await user.send("/depuff party")
    question = await user.wait_for_bot_message(lambda m: "safety check" in m.text)
    await user.press(question, "allergy sign")
    await user.wait_until(lambda chat: "pharmacist" in chat.message(question.message_id).text)
    for text in ("/flight now", "my face is puffy", "just landed"):
        await user.send(text)
        answer = await user.wait_for_bot_message()
        assert "rest day" in answer.text and "pharmacist" in answer.text, text
        assert "let's check in" not in answer.text and not answer.flat_buttons
    await user.send("/flight now Asia/Tokyo")
    answer = await user.wait_for_bot_message()
    assert "rest day" in answer.text
    assert "Switch to Asia/Tokyo" in " ".join(answer.button_texts), "the zone is still offered"
    await user.send("/help")
    assert "What I can do" in (await user.wait_for_bot_message()).text
    assert not [m for m in user.bot_messages if "How puffy" in (m.text or "")]


@pytest.mark.parametrize(
    ("words", "cause"),
    [("late night", "party"), ("Hangover", "party"), ("plane", "flight"), ("jet lag", "flight")],
)
async def test_depuff_takes_the_cause_in_other_words(emulator, bot, clock, words, cause):
    user = emulator.user(6580 + len(words))
    await user.send(f"/depuff {words}")
    question = await user.wait_for_bot_message()
    assert "safety check" in question.text
    assert ("calf or thigh" in question.text) == (cause == "flight")


async def test_depuff_with_a_cause_it_does_not_know_offers_the_two(emulator, bot, clock):
    user = emulator.user(6590)
    await user.send("/depuff sunburn")
    answer = await user.wait_for_bot_message()
    assert "I don't know “sunburn”" in answer.text
    assert [b.text for b in answer.flat_buttons] == [
        "✈️ After a flight",
        "🌙 After a late night or a party",
    ]
