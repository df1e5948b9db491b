"""The puffiness check-in: cause, a 0-10 rating, the red-flag question, then advice.

Every way into a de-puffing sequence passes here (the reminder, /depuff, the routine menu),
so no one is offered a massage before answering the red-flag question. The flow's state rides
in the buttons' callback data; only the answers are stored.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup

from bot.domain.edema import LONG_SEQUENCE_FROM, Advice, RedFlag, nothing_to_depuff, triage
from bot.storage import checkins
from bot.storage.profiles import Profile
from bot.telegram import pressed, render
from bot.telegram.handlers.intro import send_intro
from bot.telegram.services import Services

# An "after" rating is compared with the "before" rating of the last day.
_COMPARE_WITHIN = timedelta(days=1)


async def ask_rating(svc: Services, bot: Bot, user: Profile, cause: str) -> None:
    await bot.send_message(
        user.chat_id,
        svc.catalog.text(user.language, "checkin_rating"),
        reply_markup=render.rating_keyboard(cause),
    )


async def on_rating(svc: Services, query: CallbackQuery, user: Profile, cause: str, rating: int):
    """Rated before: the red-flag question comes next, in place of the rating buttons."""
    await _replace(
        query,
        svc.catalog.text(user.language, f"redflags_{cause}"),
        render.red_flag_keyboard(svc.catalog, user.language, cause, rating),
    )


async def on_red_flags(
    svc: Services,
    bot: Bot,
    query: CallbackQuery,
    user: Profile,
    cause: str,
    rating: int,
    answer: str,
) -> Advice:
    red_flag = RedFlag(answer)
    advice = triage(rating, red_flag)
    async with svc.db.transaction() as session:
        await checkins.record(
            session,
            user_id=user.id,
            cause=cause,
            phase=checkins.BEFORE,
            rating=rating,
            red_flag=red_flag.value,
            now=svc.clock.now(),
        )
    catalog, locale = svc.catalog, user.language
    if advice is Advice.EMERGENCY:
        await _replace(query, catalog.text(locale, f"advice_emergency_{cause}"), None)
        return advice
    if advice is Advice.SEE_A_DOCTOR:
        await _replace(query, catalog.text(locale, "advice_doctor"), None)
        return advice
    if nothing_to_depuff(rating):
        # Nothing to de-puff: the usual routine instead, introduced as any other (so a
        # stop-sign day still refuses it), with no button left behind to press again.
        await _replace(query, catalog.text(locale, "checkin_nothing_to_depuff"), None)
        daily = catalog.daily(locale, user.default_routine)
        if daily is not None:
            await send_intro(svc, bot, user, daily)
        return advice
    length = "classic" if rating >= LONG_SEQUENCE_FROM else "quick"
    routine = catalog.find(locale, kind="depuff", cause=cause, length=length) or catalog.find(
        locale, kind="depuff", cause=cause
    )
    await _replace(
        query,
        catalog.text(
            locale, "checkin_suggest", rating=rating, cause=catalog.text(locale, f"cause_{cause}")
        ),
        None,
    )
    if routine is not None:
        await send_intro(svc, bot, user, routine)
    return advice


async def record_before_routine(svc: Services, user: Profile, rating: int) -> None:
    """The rating before a daily routine, compared with the one after it."""
    async with svc.db.transaction() as session:
        await checkins.record(
            session,
            user_id=user.id,
            cause=checkins.DAILY,
            phase=checkins.BEFORE,
            rating=rating,
            red_flag=None,
            now=svc.clock.now(),
        )


async def on_rating_after(
    svc: Services, query: CallbackQuery, user: Profile, cause: str, rating: int
) -> None:
    now = svc.clock.now()
    async with svc.db.transaction() as session:
        before = await checkins.latest_before(session, user.id, cause, now - _COMPARE_WITHIN)
        await checkins.record(
            session,
            user_id=user.id,
            cause=cause,
            phase=checkins.AFTER,
            rating=rating,
            red_flag=None,
            now=now,
        )
        before_rating = None if before is None else before.rating
    catalog, locale = svc.catalog, user.language
    if before_rating is None:
        text = catalog.text(locale, "checkin_after_noted", after=rating)
    else:
        text = catalog.text(locale, "checkin_after_thanks", before=before_rating, after=rating)
    await _replace(query, text, None)


async def on_rating_after_skipped(svc: Services, query: CallbackQuery, user: Profile) -> None:
    """Skip after a routine: nothing is recorded, the question is closed."""
    await _replace(query, svc.catalog.text(user.language, "checkin_after_skipped"), None)


async def _replace(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """The question message becomes the next step, so the chat stays short (a new message
    when it cannot be edited)."""
    await pressed.replace(query, text, markup)
