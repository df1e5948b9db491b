"""The safety profile: a few questions at onboarding (each skippable, each with "not sure"),
asked again from /profile or /settings, and shown back in plain words.

The order: recent injectables (then which areas, several at once, and when), rosacea or
sensitive skin, a thyroid condition, pregnancy, and today's stop-signs. Every answer is saved as
it comes, so leaving half-way keeps what was said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from telegram import Bot, CallbackQuery, Update
from telegram.ext import ContextTypes

from bot.catalog import Catalog
from bot.domain.localised import day_label
from bot.domain.safety import Answer, SafetyAnswers, careful
from bot.services import safety_profile
from bot.services.accounts import Account
from bot.telegram import pressed, render
from bot.telegram.handlers.checkin import start_checkin
from bot.telegram.handlers.command import command
from bot.telegram.handlers.intro import send_intro
from bot.telegram.services import Services

# Question key -> the profile field its yes/no/not-sure answer is stored in, in the order the
# questions are asked.
YES_NO_QUESTIONS = {
    "inj": "injectables",
    "skin": "sensitive_skin",
    "thy": "thyroid",
    "preg": "pregnancy",
    "stop": "stop_sign",
}
ORDER = tuple(YES_NO_QUESTIONS)
# Buttons that are not answers: start the questions (again, or for the first time), or leave
# the rest unanswered.
_CONTROLS = {"again": ("all", "first"), "skip": ("all",)}


def _today(svc: Services, user: Account) -> date:
    return user.ritual_day(svc.clock.now())


async def profile_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    await show(cmd.svc, context.bot, cmd.user)


async def show(svc: Services, bot: Bot, user: Account) -> None:
    """The answers in plain words (or that there are none yet), with a button to answer."""
    catalog, locale = svc.catalog, user.language
    answers = await safety_profile.answers_of(svc, user.id)
    if answers is None:
        text = catalog.text(locale, "profile_summary_empty")
        keyboard = render.profile_again_keyboard(catalog, locale, first_time=True)
    else:
        text = summary(svc, user, answers)
        keyboard = render.profile_again_keyboard(catalog, locale)
    await bot.send_message(user.chat_id, text, reply_markup=keyboard)


async def ask(svc: Services, bot: Bot, user: Account, question: str) -> None:
    catalog, locale = svc.catalog, user.language
    if question == "area":
        keyboard = render.injection_area_keyboard(catalog, locale, ())
    elif question == "when":
        keyboard = render.injection_when_keyboard(catalog, locale)
    else:
        keyboard = render.yes_no_unsure_keyboard(catalog, locale, question)
    await bot.send_message(
        user.chat_id, catalog.text(locale, f"profile_q_{question}"), reply_markup=keyboard
    )


@dataclass(frozen=True)
class _Change:
    """What one answer does: the fields to save, the answer in words, what to ask next."""

    fields: dict[str, safety_profile.AnswerValue]
    said: str
    next_question: str | None


async def on_answer(
    svc: Services, bot: Bot, query: CallbackQuery, user: Account, question: str, answer: str
) -> None:
    """Save one answer, then ask the next question (or show the summary at the end).

    The press is answered here, exactly once: a forged button (unknown question or answer) or
    a stale one (its question was answered, its buttons removed) gets a short notice and
    changes nothing."""
    catalog, locale = svc.catalog, user.language
    if question == "area" or (question, answer) == ("areas", "done"):
        await _on_area(svc, bot, query, user, answer)
        return
    if question in _CONTROLS:
        if await _refused(query, catalog, locale, valid=answer in _CONTROLS[question]):
            return
        await pressed.answer(query)
        await _on_control(svc, bot, query, user, question, answer)
        return
    change = _change(catalog, locale, _today(svc, user), question, answer)
    if await _refused(query, catalog, locale, valid=change is not None):
        return
    assert change is not None
    await pressed.answer(query)
    await _save_and_go_on(svc, bot, query, user, question, answer, change)


async def _refused(query: CallbackQuery, catalog: Catalog, locale: str, *, valid: bool) -> bool:
    """Answer a forged press (`valid` false) or a stale one with a short notice; True if so,
    and the press must change nothing."""
    if not valid:
        await pressed.answer(query, catalog.text(locale, "press_invalid"))
        return True
    if not pressed.still_offered(query):
        await pressed.answer(query, catalog.text(locale, "profile_press_answered"))
        return True
    return False


async def _on_control(
    svc: Services, bot: Bot, query: CallbackQuery, user: Account, question: str, answer: str
) -> None:
    """A button that is not an answer: start the questions, or leave the rest unanswered."""
    catalog, locale = svc.catalog, user.language
    if question == "again":
        started = "profile_first_started" if answer == "first" else "profile_again_started"
        if await pressed.close(query, catalog.text(locale, started)):
            await ask(svc, bot, user, ORDER[0])
        return
    # "skip": unanswered questions stay unanswered; the summary says which.
    if await pressed.close(query, catalog.text(locale, "profile_skipped")):
        await show(svc, bot, user)


async def _save_and_go_on(
    svc: Services,
    bot: Bot,
    query: CallbackQuery,
    user: Account,
    question: str,
    answer: str,
    change: _Change,
) -> None:
    """Save the answer, leave it in words under its question, then ask the next one."""
    catalog, locale = svc.catalog, user.language
    await safety_profile.save_answers(svc, user, change.fields)
    closed = await pressed.close(
        query, f"{catalog.text(locale, f'profile_q_{question}')}\n→ {change.said}"
    )
    if not closed:
        return  # the same press again (a double tap): saved once more, asked nothing twice
    if question == "stop" and careful(Answer(answer)):
        await bot.send_message(user.chat_id, catalog.text(locale, "stop_sign_today"))
    if change.next_question is None:
        await show(svc, bot, user)
    else:
        await ask(svc, bot, user, change.next_question)


def _change(
    catalog: Catalog, locale: str, today: date, question: str, answer: str
) -> _Change | None:
    """What answering `question` with `answer` does; None for a question or answer that no
    button of ours carries."""
    if question in YES_NO_QUESTIONS and answer in Answer._value2member_map_:
        choice = Answer(answer)
        fields: dict[str, safety_profile.AnswerValue]
        if question == "stop":
            fields = {"stop_sign_on": today if careful(choice) else None}
        elif question == "inj":
            # A fresh answer starts the areas afresh: they are picked next, one tap each.
            fields = {"injectables": choice.value, "injected_areas": (), "injected_on": None}
        else:
            fields = {YES_NO_QUESTIONS[question]: choice.value}
        next_question = "area" if (question, choice) == ("inj", Answer.YES) else _after(question)
        return _Change(fields, catalog.text(locale, f"answer_{choice.value}"), next_question)
    if question == "when" and answer in render.INJECTED_WHEN:
        days = render.INJECTED_WHEN[answer]
        fields = {"injected_on": None if days is None else today - timedelta(days=days)}
        if days is None:  # longer ago than any pause: not a recent treatment after all
            fields["injectables"] = Answer.NO.value
        return _Change(fields, catalog.text(locale, f"when_{answer}"), _after("inj"))
    return None


async def _on_area(
    svc: Services, bot: Bot, query: CallbackQuery, user: Account, answer: str
) -> None:
    """Which areas were treated: each tap turns one on or off (the buttons show ✓), and
    Done goes on to "when?" once at least one is chosen. Forged or stale presses change
    nothing, as for every other question."""
    catalog, locale = svc.catalog, user.language
    done = answer == "done"
    if await _refused(query, catalog, locale, valid=done or answer in _area_ids(catalog, locale)):
        return
    order = [area.id for area in catalog.adaptations(locale).injection_areas]
    areas = await safety_profile.toggle_area(svc, user, None if done else answer, order)
    if done and not areas:
        await pressed.answer(query, catalog.text(locale, "profile_area_pick_one"))
        return
    await pressed.answer(query)
    question = catalog.text(locale, "profile_q_area")
    if not done:
        await pressed.replace(
            query, question, render.injection_area_keyboard(catalog, locale, areas)
        )
        return
    said = escape(", ".join(_area_label(catalog, locale, a) for a in areas), quote=False)
    if await pressed.close(query, f"{question}\n→ {said}"):
        await ask(svc, bot, user, "when")


async def on_stop_sign_check(
    svc: Services, bot: Bot, query: CallbackQuery, user: Account, still: bool, routine_id: str
) -> None:
    """An earlier stop-sign: still there (no routine today), or gone (the routine, fitted)."""
    catalog, locale = svc.catalog, user.language
    stop_on = _today(svc, user) if still else None
    await safety_profile.save_answers(svc, user, {"stop_sign_on": stop_on})
    await pressed.close(query, catalog.text(locale, "stop_sign_recheck"))
    if still:
        await bot.send_message(user.chat_id, catalog.text(locale, "stop_sign_today"))
        return
    routine = next((r for r in catalog.routines(locale) if r.id == routine_id), None)
    if routine is None:
        await bot.send_message(user.chat_id, catalog.text(locale, "press_invalid"))
        return
    if routine.kind == "depuff" and routine.cause is not None:
        # Asked before a de-puffing check-in: the check-in goes on, red flags first.
        await start_checkin(svc, bot, user, routine.cause)
        return
    await send_intro(svc, bot, user, routine)


def _after(question: str) -> str | None:
    index = ORDER.index(question)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def _area_ids(catalog: Catalog, locale: str) -> set[str]:
    return {area.id for area in catalog.adaptations(locale).injection_areas}


def _area_label(catalog: Catalog, locale: str, area_id: str) -> str:
    areas = catalog.adaptations(locale).injection_areas
    return next((a.label for a in areas if a.id == area_id), area_id)


def summary(svc: Services, user: Account, answers: SafetyAnswers) -> str:
    """The profile in plain words, and what each answer changes."""
    catalog, locale = svc.catalog, user.language
    t = catalog.text

    def said(answer: Answer | None) -> str:
        return t(locale, f"answer_{answer.value}" if answer else "answer_none")

    if answers.injectables is Answer.YES and answers.injected_areas and answers.injected_on:
        until = answers.injected_on + timedelta(days=svc.settings.injectables_pause_days)
        injections = t(
            locale,
            "profile_injected",
            area=", ".join(_area_label(catalog, locale, a) for a in answers.injected_areas),
            day=day_label(answers.injected_on, locale),
            until=day_label(until, locale),
        )
    else:
        injections = said(answers.injectables)
    today = _today(svc, user)
    stop = t(locale, "answer_yes" if answers.stop_sign_on == today else "answer_no")
    return t(
        locale,
        "profile_summary",
        injections=injections,
        skin=said(answers.sensitive_skin),
        thyroid=said(answers.thyroid),
        pregnancy=said(answers.pregnancy),
        stop=stop,
    )
