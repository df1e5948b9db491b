"""The puffiness check-in: cause, the red-flag question, then a 0-10 rating and the advice.

Every way into a de-puffing sequence passes here (the reminder, /depuff, the routine menu, the
flight check-in, a free-text "my face is puffy"), so no one is offered a massage before
answering the red-flag question, and no one is asked it on a rest day: a red flag or a
stop-sign earlier that day gets its advice again at once. The flow's state rides in the
buttons' callback data; only the answers are stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup

from bot.catalog import Catalog
from bot.domain.edema import Advice, RedFlag, nothing_to_depuff, sequence_for
from bot.domain.free_text import parse_list, topic
from bot.services import checkins
from bot.services.accounts import Account

# Re-exported for handlers/buttons.py, which calls it from here until the lead moves it.
from bot.telegram import pressed, render
from bot.telegram.handlers.intro import send_intro
from bot.telegram.services import Services


def topic_of(catalog: Catalog, locale: str, text: str, names: Sequence[str]) -> str | None:
    """Which of `names` (texts `words_<name>`, tried in order) `text` is about, if any: a
    free-text message, or a cause typed in words ("/depuff late night")."""
    return topic(text, {name: parse_list(catalog.text(locale, f"words_{name}")) for name in names})


def _question(
    svc: Services, user: Account, cause: str, before: checkins.Before
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What a check-in for `cause` begins with: the rest day's advice again, the question
    whether an earlier stop-sign has gone (all clear: the check-in), or the red-flag
    question."""
    catalog, locale = svc.catalog, user.language
    if before.rest:
        return render.rest_day_message(catalog, locale, before.rest, user.timezone), None
    routine = catalog.find(locale, kind="depuff", cause=cause)
    if before.recheck_stop_sign and routine is not None:
        return (
            catalog.text(locale, "stop_sign_recheck"),
            render.stop_sign_recheck_keyboard(catalog, locale, routine.id),
        )
    pregnant = before.pregnant
    return (
        render.red_flag_question(catalog, locale, cause, pregnant=pregnant),
        render.red_flag_keyboard(catalog, locale, cause, pregnant=pregnant),
    )


async def start_checkin(svc: Services, bot: Bot, user: Account, cause: str) -> None:
    """The red-flag question for `cause` as a new message (or what comes before it)."""
    text, keyboard = _question(svc, user, cause, await checkins.before_checkin(svc, user))
    await bot.send_message(user.chat_id, text, reply_markup=keyboard)


async def restart_checkin(svc: Services, query: CallbackQuery, user: Account, cause: str) -> None:
    """A rating button from before the red-flag question came first (a message sent by an
    older version): the question now, in its place."""
    await _replace(query, *_question(svc, user, cause, await checkins.before_checkin(svc, user)))


async def on_red_flags(
    svc: Services,
    bot: Bot,
    query: CallbackQuery,
    user: Account,
    cause: str,
    answer: str,
    rating: int | None,
) -> None:
    """A route: its advice, and the rest of the day is a rest day. None of these: the rating
    buttons; then, with the rating, the de-puffing sequence."""
    catalog, locale = svc.catalog, user.language
    flag = RedFlag(answer)
    if flag is not RedFlag.NONE:
        await checkins.mark_red_flag(svc, user, flag)
        await _replace(query, render.advice_message(catalog, locale, flag, user.timezone), None)
        return
    reasons = await checkins.rest_reasons(svc, user)
    if reasons:  # an older question answered after a red flag or a stop-sign today
        await _replace(
            query, render.rest_day_message(catalog, locale, reasons, user.timezone), None
        )
        return
    if rating is None:
        await _replace(
            query, catalog.text(locale, "checkin_rating"), render.checkin_rating_keyboard(cause)
        )
        return
    await checkins.record_before(svc, user, cause, rating, flag)
    if nothing_to_depuff(rating):
        # Nothing to de-puff: the usual routine instead, introduced as any other (so a
        # stop-sign day still refuses it), with no button left behind to press again.
        await _replace(query, catalog.text(locale, "checkin_nothing_to_depuff"), None)
        daily = catalog.daily(locale, user.default_routine)
        if daily is not None:
            await send_intro(svc, bot, user, daily)
        return
    length = "classic" if sequence_for(rating) is Advice.LONG_SEQUENCE else "quick"
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


async def record_before_routine(svc: Services, user: Account, rating: int) -> None:
    """The rating before a daily routine, compared with the one after it."""
    await checkins.record_before(svc, user, checkins.DAILY, rating, None)


async def on_rating_after(
    svc: Services, query: CallbackQuery, user: Account, cause: str, rating: int
) -> None:
    before_rating = await checkins.record_after(svc, user, cause, rating)
    catalog, locale = svc.catalog, user.language
    if before_rating is None:
        text = catalog.text(locale, "checkin_after_noted", after=rating)
    else:
        text = catalog.text(locale, "checkin_after_thanks", before=before_rating, after=rating)
    await _replace(query, text, None)


async def on_rating_after_skipped(svc: Services, query: CallbackQuery, user: Account) -> None:
    """Skip after a routine: nothing is recorded, the question is closed."""
    await _replace(query, svc.catalog.text(user.language, "checkin_after_skipped"), None)


async def _replace(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """The question message becomes the next step, so the chat stays short (a new message
    when it cannot be edited)."""
    await pressed.replace(query, text, markup)
