"""Messages and keyboards, built from the catalogue. Content is plain text and is escaped here;
interface texts are validated HTML from content/<locale>/texts.ftl (Project Fluent)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog import Catalog, Routine
from bot.catalog.models import TOOLS
from bot.domain.edema import RATINGS, Cause, RedFlag, most_serious, route_named, routes_asked
from bot.domain.emergency import emergency_number
from bot.domain.local_time import DAY_STARTS_AT
from bot.domain.localised import zone_label
from bot.domain.quiet import Window, format_window
from bot.domain.safety import Answer
from bot.domain.streaks import MAX_FREEZES, Counted, milestone
from bot.domain.times_of_day import format_time
from bot.domain.walkthrough import Action, Mode
from bot.telegram.callback_data import (
    AnswerRedFlags,
    Button,
    ChangeSetting,
    ChooseRoutine,
    ConfirmDelete,
    DepuffCause,
    LogDay,
    ProfileAnswer,
    RateBeforeRoutine,
    RatePuffiness,
    RemindChoice,
    RunPress,
    SetTimezone,
    ShowRoutine,
    ShowRun,
    ShowStreakRules,
    SkipRatingAfter,
    SkipToday,
    Snooze,
    StartOver,
    StartRoutine,
    StepDetail,
    StopSignCheck,
    encode,
)
from bot.telegram.callback_fields import HourMinute

DEPUFF_CAUSES = tuple(cause.value for cause in Cause)


def times_label(times: Iterable[time]) -> str:
    """Reminder times as shown in a sentence: "07:30, 21:00"."""
    return ", ".join(format_time(at) for at in times)


def window_label(window: Window | None) -> str:
    """Quiet hours as shown in a sentence: "22:00-07:00", or "-" when there are none."""
    return format_window(*window) if window else "-"


def _button(text: str, data: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(data))


def minutes_label(catalog: Catalog, locale: str, routine: Routine) -> str:
    """How long a routine takes, as people say it: "about 5 min", "15–20 min"."""
    low, high = routine.minutes_span
    if low == high:
        return catalog.text(locale, "duration_about", minutes=low)
    return catalog.text(locale, "duration_span", low=low, high=high)


def duration(catalog: Catalog, locale: str, seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return catalog.text(locale, "duration_seconds", seconds=rest)
    if rest == 0:
        return catalog.text(locale, "duration_minutes", minutes=minutes)
    return catalog.text(locale, "duration_minutes_seconds", minutes=minutes, seconds=rest)


def step_message(
    catalog: Catalog,
    locale: str,
    routine: Routine,
    index: int,
    mode: Mode,
    note: str | None = None,
    *,
    detail: bool = False,
) -> str:
    """One step, read at a glance: a plain header, ONE bold cue line, a short how-to, what to
    avoid; `detail` adds the step's longer text (its "More")."""
    step = routine.steps[index]
    t = catalog.text
    time = duration(catalog, locale, step.duration_s)
    parts = [
        t(
            locale,
            "step_header",
            number=index + 1,
            total=len(routine.steps),
            title=step.title,
            duration=time,
        ),
        t(locale, "step_cue", cue=step.cue),
        escape(step.how, quote=False),
    ]
    if step.direction:
        parts.append(t(locale, "step_direction", direction=step.direction))
    parts.append(t(locale, "step_avoid", avoid=step.avoid))
    if detail and step.more:
        parts.append(t(locale, "step_more", more=step.more))
    # The profile's reminder ("lightest touch...") belongs to the steps that touch the skin,
    # not to getting ready: a line repeated where it means nothing stops being read.
    if note and step.touches_skin:
        parts.append(t(locale, "step_fitted_note", note=note))
    if mode is Mode.HANDS_FREE:
        parts.append(t(locale, "step_hands_free", duration=time))
    return "\n\n".join(parts)


def step_keyboard(
    catalog: Catalog,
    locale: str,
    run_id: int,
    index: int,
    *,
    last: bool,
    paused: bool = False,
    more: bool | None = None,
) -> InlineKeyboardMarkup:
    """A step's buttons; `more`: None for a step without detail, False offers "More", True
    (the detail is shown) offers "Less"."""
    t = catalog.text
    stop = _button(t(locale, "button_stop"), RunPress(run_id, index, Action.STOP))
    detail = []
    if more is not None:
        label = t(locale, "button_less" if more else "button_more")
        detail = [_button(label, StepDetail(run_id, index, opened=not more))]
    if paused:
        resume = _button(t(locale, "button_resume"), RunPress(run_id, index, Action.RESUME))
        return InlineKeyboardMarkup([[resume], [*detail, stop]])
    next_label = t(locale, "button_done" if last else "button_next")
    return InlineKeyboardMarkup(
        [
            [_button(next_label, RunPress(run_id, index, Action.NEXT))],
            [*detail, _button(t(locale, "button_pause"), RunPress(run_id, index, Action.PAUSE))],
            [stop],
        ]
    )


def has_more(routine: Routine, index: int) -> bool | None:
    """What a step's keyboard offers at first: "More" (False) when it has detail, else None."""
    return False if routine.steps[index].more else None


def routine_help(catalog: Catalog, locale: str, routine: Routine) -> list[str]:
    """/routine help: every step's cue, how-to and longer detail, in as few messages as fit
    (each under Telegram's limit, with room to spare)."""
    t = catalog.text
    blocks = [
        t(
            locale,
            "routine_help_header",
            title=routine.title,
            minutes=minutes_label(catalog, locale, routine),
        )
    ]
    for number, step in enumerate(routine.steps, start=1):
        lines = [
            t(locale, "routine_help_step", number=number, title=step.title, cue=step.cue),
            escape(step.how, quote=False),
        ]
        if step.direction:
            lines.append(t(locale, "step_direction", direction=step.direction))
        lines.append(t(locale, "step_avoid", avoid=step.avoid))
        if step.more:
            lines.append(escape(step.more, quote=False))
        blocks.append("\n".join(lines))
    messages: list[str] = []
    for block in blocks:
        if messages and len(messages[-1]) + len(block) + 2 <= HELP_MESSAGE_CHARS:
            messages[-1] += "\n\n" + block
        else:
            messages.append(block)
    return messages


# Telegram allows 4096 characters; markup counts towards the HTML, not the limit, so this
# leaves a wide margin.
HELP_MESSAGE_CHARS = 3500


def routine_intro(
    catalog: Catalog,
    locale: str,
    routine: Routine,
    *,
    notes: tuple[str, ...] = (),
    left_out: tuple[str, ...] = (),
    full: Routine | None = None,
) -> str:
    """The introduction of `routine` (already fitted to the user's profile: `notes` say how,
    `left_out` names the steps it lost, `full` is the routine as written)."""
    t = catalog.text
    shown = dict(
        title=routine.title,
        minutes=minutes_label(catalog, locale, routine),
        steps=len(routine.steps),
    )
    header = t(locale, "routine_intro_header", **shown)
    if left_out and full is not None:
        # The length as it will run today, and how it got shorter.
        header = t(
            locale,
            "routine_intro_header_fitted",
            **shown,
            full=minutes_label(catalog, locale, full),
            left_out=len(left_out),
        )
    parts = [
        header,
        escape(routine.summary, quote=False),
        escape(routine.intro, quote=False),
    ]
    if notes or left_out:
        lines = [f"• {escape(note, quote=False)}" for note in notes]
        if left_out:
            lines.append(t(locale, "routine_left_out", steps=", ".join(left_out)))
        parts.append(t(locale, "routine_fitted_header") + "\n" + "\n".join(lines))
    parts.append(t(locale, "routine_intro_modes"))
    return "\n\n".join(parts)


def routine_intro_keyboard(catalog: Catalog, locale: str, routine: Routine) -> InlineKeyboardMarkup:
    t = catalog.text
    return InlineKeyboardMarkup(
        [
            [_button(t(locale, "button_start"), StartRoutine(routine.id, hands_free=False))],
            [_button(t(locale, "button_start_hands_free"), StartRoutine(routine.id, True))],
            [_button(t(locale, "button_other_routines"), ChooseRoutine())],
        ]
    )


def open_run_keyboard(
    catalog: Catalog, locale: str, run_id: int, routine: Routine
) -> InlineKeyboardMarkup:
    t = catalog.text
    return InlineKeyboardMarkup(
        [
            [_button(t(locale, "button_continue"), ShowRun(run_id))],
            [_button(t(locale, "button_start_over"), StartOver(run_id, routine.id))],
            [_button(t(locale, "button_other_routines"), ChooseRoutine())],
        ]
    )


def routine_choice_keyboard(
    catalog: Catalog, locale: str, tools: tuple[str, ...] = ()
) -> InlineKeyboardMarkup:
    """Every routine the user can do: tool routines only for the tools they have."""
    rows = [
        [
            _button(
                catalog.text(
                    locale,
                    "routine_choice_item",
                    title=r.title,
                    minutes=minutes_label(catalog, locale, r),
                ),
                ShowRoutine(r.id),
            )
        ]
        for r in catalog.offered(locale, tools)
        # One entry per de-puffing cause: the check-in picks short or long by severity.
        if not (r.kind == "depuff" and r.length == "quick")
    ]
    return InlineKeyboardMarkup(rows)


def needs_tool(catalog: Catalog, locale: str, routine: Routine) -> str:
    """Why a tool routine is not offered: the tool, and where to say one has it."""
    tool = catalog.text(locale, f"tool_{routine.tool}")
    return catalog.text(locale, "routine_needs_tool", title=routine.title, tool=tool)


def depuff_cause_keyboard(catalog: Catalog, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(catalog.text(locale, f"button_cause_{cause}"), DepuffCause(cause))]
            for cause in DEPUFF_CAUSES
        ]
    )


def completion_message(
    catalog: Catalog,
    locale: str,
    routine: Routine,
    *,
    newly_recorded: bool,
    day: str,
    streak_note: str = "",
) -> str:
    t = catalog.text
    parts = [t(locale, "routine_done", title=routine.title)]
    parts.append(escape(routine.outro, quote=False))
    if routine.tips:
        tips = "\n".join(f"• {escape(tip, quote=False)}" for tip in routine.tips)
        parts.append(t(locale, "tips_header") + "\n" + tips)
    key = "routine_recorded" if newly_recorded else "routine_already_recorded"
    parts.append(t(locale, key, day=day))
    if streak_note:
        parts.append(streak_note)
    return "\n\n".join(parts)


def streak_note(catalog: Catalog, locale: str, counted: Counted) -> str:
    """The streak after a completion: the run, and what today changed (a milestone, a
    freeze earned or used, a fresh start)."""
    t = catalog.text
    before, after, step = counted.before, counted.after, counted.step
    lines = [t(locale, "streak_in_a_row", days=after.current, best=after.best)]
    if step is not None:
        reached = milestone(0 if step.broken else before.current, after.current)
        if reached is not None:
            lines.append(t(locale, "streak_milestone", days=reached))
        if step.frozen:
            lines.append(t(locale, "streak_freeze_used", count=len(step.frozen)))
        if step.earned_freeze:
            lines.append(t(locale, "streak_freeze_earned", held=after.freezes, most=MAX_FREEZES))
        if step.broken and before.best > 1:
            lines.append(t(locale, "streak_fresh_start"))
    return "\n".join(lines)


def safety_message(catalog: Catalog, locale: str, zone: str | None = None) -> str:
    """The safety note: emergency signs first (with the number for the user's zone), then the
    signs to see a doctor for, route by route, then "not today", what to ask about first, good
    practice. The signs are the ones the check-in asks about (safety.yaml `signs`)."""
    note = catalog.safety(locale)
    t = catalog.text

    def bullets(items: list[str] | tuple[str, ...]) -> str:
        return "\n".join(f"• {escape(item, quote=False)}" for item in items)

    def route(name: str) -> str:
        heading = escape(note.routes.of(name).heading, quote=False)
        return f"<b>{heading}</b>\n" + bullets([s.text for s in note.signs_of(name)])

    emergency = route("emergency")
    if zone is not None:
        emergency += "\n" + t(locale, "safety_number", number=emergency_number(zone, locale))
    doctor = [route(flag.route) for flag in routes_asked(pregnant=True)[1:]]
    return "\n\n".join(
        [
            f"<b>{escape(note.title, quote=False)}</b>",
            escape(note.intro, quote=False),
            emergency,
            t(locale, "safety_see_a_doctor_if") + "\n\n" + "\n\n".join(doctor),
            t(locale, "safety_do_not_massage_if") + "\n" + bullets(note.do_not_massage_if),
            t(locale, "safety_ask_first_if") + "\n" + bullets(note.ask_first_if),
            t(locale, "safety_good_practice") + "\n" + bullets(note.good_practice),
            f"<i>{escape(note.disclaimer, quote=False)}</i>",
        ]
    )


def red_flag_question(catalog: Catalog, locale: str, cause: str, *, pregnant: bool) -> str:
    """The check-in's first question: every sign this cause asks about, under its route."""
    note = catalog.safety(locale)
    parts = [catalog.text(locale, "redflags_question")]
    for flag in routes_asked(pregnant):
        signs = note.signs_of(flag.route, cause)
        if signs:
            heading = escape(note.routes.of(flag.route).heading, quote=False)
            lines = "\n".join(f"• {escape(sign.text, quote=False)}" for sign in signs)
            parts.append(f"<b>{heading}</b>\n{lines}")
    return "\n\n".join(parts)


def red_flag_keyboard(
    catalog: Catalog, locale: str, cause: str, *, pregnant: bool
) -> InlineKeyboardMarkup:
    """One button a route (the first that fits), then "none of these"."""
    note = catalog.safety(locale)
    rows = [
        [_button(note.routes.of(flag.route).button, AnswerRedFlags(cause, flag.value))]
        for flag in routes_asked(pregnant)
        if note.signs_of(flag.route, cause)
    ]
    rows.append([_button(catalog.text(locale, "button_redflag_none"), AnswerRedFlags(cause, "n"))])
    return InlineKeyboardMarkup(rows)


def checkin_rating_keyboard(cause: str) -> InlineKeyboardMarkup:
    """0-10 after "none of these": the rating carries that answer with it."""
    ratings = [_button(str(n), AnswerRedFlags(cause, RedFlag.NONE.value, n)) for n in RATINGS]
    return InlineKeyboardMarkup([ratings[:6], ratings[6:]])


def checkin_start_keyboard(catalog: Catalog, locale: str, cause: str) -> InlineKeyboardMarkup:
    """One press into the check-in for `cause` (after landing, or from a free-text message)."""
    return InlineKeyboardMarkup(
        [[_button(catalog.text(locale, f"button_checkin_{cause}"), DepuffCause(cause))]]
    )


def advice_message(catalog: Catalog, locale: str, flag: RedFlag, zone: str) -> str:
    """What a red flag's route says: its heading, its advice with the user's emergency
    number, and that the rest of the day is a rest day."""
    route = catalog.safety(locale).routes.of(flag.route)
    advice = escape(route.advice, quote=False).replace("{number}", emergency_number(zone, locale))
    return "\n\n".join(
        [
            f"<b>{escape(route.heading, quote=False)}</b>",
            advice,
            catalog.text(locale, "rest_day_note"),
        ]
    )


def rest_day_message(catalog: Catalog, locale: str, reasons: list[str], zone: str) -> str:
    """/routine, /depuff or a start button on a rest day: the advice again, instead of steps."""
    reason = most_serious(reasons)
    flag = route_named(reason) if reason else None
    if flag is None:  # a stop-sign (or a reason this version does not know)
        return catalog.text(locale, "stop_sign_today")
    return (
        catalog.text(locale, "rest_day_again")
        + "\n\n"
        + advice_message(catalog, locale, flag, zone)
    )


# Reminder times offered as toggles in /settings; any other time via /remind.
REMINDER_PRESETS = (time(7, 30), time(12, 30), time(21, 0))


def settings_message(
    catalog: Catalog,
    locale: str,
    *,
    language: str,
    routine: str,
    reminders: list[time],
    zone: str,
    quiet: Window | None = None,
    day_start: time = DAY_STARTS_AT,
    tools: tuple[str, ...] = (),
) -> str:
    chosen = catalog.daily(locale, routine)
    have = [catalog.text(locale, f"tool_{tool}") for tool in TOOLS if tool in tools]
    return catalog.text(
        locale,
        "settings",
        language=catalog.text(language, "language_name"),
        routine=f"{chosen.title} ({minutes_label(catalog, locale, chosen)})" if chosen else "",
        reminders=times_label(reminders) or catalog.text(locale, "settings_none"),
        zone=zone,
        quiet=format_window(*quiet) if quiet else catalog.text(locale, "settings_none"),
        day_start=format_time(day_start),
        tools=", ".join(have) or catalog.text(locale, "settings_none"),
    )


def settings_keyboard(
    catalog: Catalog,
    locale: str,
    *,
    language: str,
    routine: str,
    reminders: list[time],
    nudges: bool = True,
    ratings: bool = True,
    animations: bool = True,
    tools: tuple[str, ...] = (),
) -> InlineKeyboardMarkup:
    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    current = catalog.daily(locale, routine)
    # The usual routine is one everybody can do: tool routines are offered in /routine.
    daily = [
        _button(mark(r.title, r is current), ChangeSetting("routine", r.id))
        for r in catalog.offered(locale)
        if r.kind == "daily"
    ]
    tool_buttons = [
        _button(
            mark(catalog.text(locale, f"button_tool_{tool}"), tool in tools),
            ChangeSetting("tool", tool),
        )
        for tool in TOOLS
    ]
    languages = [
        _button(
            mark(catalog.text(code, "language_name"), code == language),
            ChangeSetting("lang", code),
        )
        for code in catalog.locales
    ]
    times = [
        _button(
            mark(f"⏰ {format_time(at)}", at in reminders),
            ChangeSetting("rem", HourMinute().dump(at)),
        )
        for at in REMINDER_PRESETS
    ]
    toggles = [
        _button(
            catalog.text(locale, "nudges_on" if nudges else "nudges_off"),
            ChangeSetting("nudge", "off" if nudges else "on"),
        ),
        _button(
            catalog.text(locale, "ratings_on" if ratings else "ratings_off"),
            ChangeSetting("ratings", "off" if ratings else "on"),
        ),
    ]
    animated = _button(
        catalog.text(locale, "animations_on" if animations else "animations_off"),
        ChangeSetting("anim", "off" if animations else "on"),
    )
    profile = _button(
        catalog.text(locale, "button_safety_profile"), ChangeSetting("profile", "show")
    )
    rows = [daily[i : i + 2] for i in range(0, len(daily), 2)]
    return InlineKeyboardMarkup(
        [*rows, times, toggles, [animated], tool_buttons, [profile], languages]
    )


def yes_no_unsure_keyboard(catalog: Catalog, locale: str, question: str) -> InlineKeyboardMarkup:
    """A safety-profile question's answers, and a way out of the questions."""
    t = catalog.text
    answers = [
        _button(t(locale, f"button_{answer.value}"), ProfileAnswer(question, answer.value))
        for answer in Answer
    ]
    return InlineKeyboardMarkup([answers, [_skip_rest(catalog, locale)]])


def injection_area_keyboard(
    catalog: Catalog, locale: str, chosen: tuple[str, ...]
) -> InlineKeyboardMarkup:
    """Every injection area as a toggle (✓ once chosen), then Done."""
    areas = catalog.adaptations(locale).injection_areas
    buttons = [
        _button(
            f"✓ {area.label}" if area.id in chosen else area.label, ProfileAnswer("area", area.id)
        )
        for area in areas
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    done = _button(catalog.text(locale, "button_area_done"), ProfileAnswer("areas", "done"))
    return InlineKeyboardMarkup([*rows, [done], [_skip_rest(catalog, locale)]])


# "When were you treated?": each button's answer -> days ago, the most recent day of its span
# (the careful end); "old" is longer ago than any pause.
INJECTED_WHEN = {"d0": 0, "d1": 1, "d4": 4, "d7": 7, "old": None}


def injection_when_keyboard(catalog: Catalog, locale: str) -> InlineKeyboardMarkup:
    buttons = [
        _button(catalog.text(locale, f"when_{span}"), ProfileAnswer("when", span))
        for span in INJECTED_WHEN
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:], [_skip_rest(catalog, locale)]])


def _skip_rest(catalog: Catalog, locale: str) -> InlineKeyboardButton:
    return _button(catalog.text(locale, "button_skip_rest"), ProfileAnswer("skip", "all"))


def profile_again_keyboard(
    catalog: Catalog, locale: str, *, first_time: bool = False
) -> InlineKeyboardMarkup:
    label = catalog.text(locale, "button_profile_start" if first_time else "button_profile_again")
    answer = ProfileAnswer("again", "first" if first_time else "all")
    return InlineKeyboardMarkup([[_button(label, answer)]])


def stop_sign_recheck_keyboard(
    catalog: Catalog, locale: str, routine_id: str
) -> InlineKeyboardMarkup:
    t = catalog.text
    return InlineKeyboardMarkup(
        [
            [_button(t(locale, "button_stop_clear"), StopSignCheck(False, routine_id))],
            [_button(t(locale, "button_stop_still"), StopSignCheck(True, routine_id))],
        ]
    )


def delete_keyboard(catalog: Catalog, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(catalog.text(locale, "button_delete_yes"), ConfirmDelete(True))],
            [_button(catalog.text(locale, "button_delete_no"), ConfirmDelete(False))],
        ]
    )


def streak_keyboard(
    catalog: Catalog, locale: str, *, yesterday: date | None
) -> InlineKeyboardMarkup:
    """The buttons under /streak: "I did it yesterday" while yesterday is not counted."""
    rows = [[_button(catalog.text(locale, "button_streak_rules"), ShowStreakRules())]]
    if yesterday is not None:
        rows.insert(0, [_button(catalog.text(locale, "button_log_yesterday"), LogDay(yesterday))])
    return InlineKeyboardMarkup(rows)


SNOOZE_MINUTES = (30, 60)


def reminder_keyboard(
    catalog: Catalog, locale: str, routine: Routine | None
) -> InlineKeyboardMarkup:
    """The reminder asks first about a flight or a late night; "no" leads to the routine."""
    t = catalog.text
    rows = [
        [_button(t(locale, f"button_cause_{cause}"), DepuffCause(cause))] for cause in DEPUFF_CAUSES
    ]
    if routine is not None:
        rows.append([_button(t(locale, "button_checkin_no"), ShowRoutine(routine.id))])
    rows.append(
        [
            _button(t(locale, f"button_snooze_{minutes}"), Snooze(minutes))
            for minutes in SNOOZE_MINUTES
        ]
    )
    rows.append([_button(t(locale, "button_skip_today"), SkipToday())])
    return InlineKeyboardMarkup(rows)


def remind_choice_keyboard(
    catalog: Catalog, locale: str, at: time, *, present: bool, can_add: bool
) -> InlineKeyboardMarkup:
    """/remind HH:MM beside other reminders: replace them all (keep only `at` when it is one
    of them), add `at` when there is room, or keep them as they are."""
    t, label = catalog.text, format_time(at)
    replace = t(locale, "button_remind_only" if present else "button_remind_replace", time=label)
    rows = [[_button(replace, RemindChoice(at, "replace"))]]
    if can_add and not present:
        rows.append([_button(t(locale, "button_remind_add", time=label), RemindChoice(at, "add"))])
    rows.append([_button(t(locale, "button_remind_keep"), RemindChoice(at, "keep"))])
    return InlineKeyboardMarkup(rows)


def nudge_keyboard(catalog: Catalog, locale: str, routine: Routine | None) -> InlineKeyboardMarkup:
    """The evening nudge offers the shortest way to keep the run: the quick routine."""
    rows = []
    if routine is not None:
        rows.append([_button(catalog.text(locale, "button_nudge_start"), ShowRoutine(routine.id))])
    rows.append([_button(catalog.text(locale, "button_skip_today"), SkipToday())])
    return InlineKeyboardMarkup(rows)


def before_rating_keyboard(
    catalog: Catalog, locale: str, routine_id: str, hands_free: bool
) -> InlineKeyboardMarkup:
    """0-10 before a daily routine, or straight on without a rating."""
    ratings = [_button(str(n), RateBeforeRoutine(routine_id, hands_free, n)) for n in RATINGS]
    skip = _button(
        catalog.text(locale, "button_rating_skip"), RateBeforeRoutine(routine_id, hands_free, None)
    )
    return InlineKeyboardMarkup([ratings[:6], ratings[6:], [skip]])


def rating_keyboard(
    cause: str, *, after: bool = False, catalog: Catalog | None = None, locale: str = ""
) -> InlineKeyboardMarkup:
    """0-10; the question after a routine (given `catalog`) also has Skip."""
    ratings = [_button(str(n), RatePuffiness(cause, n, after=after)) for n in RATINGS]
    rows = [ratings[:6], ratings[6:]]
    if after and catalog is not None:
        rows.append([_button(catalog.text(locale, "button_rating_skip"), SkipRatingAfter(cause))])
    return InlineKeyboardMarkup(rows)


def timezone_keyboard(catalog: Catalog, locale: str) -> InlineKeyboardMarkup:
    """The zones offered at onboarding, as the locale's users need them (texts
    `onboarding_zones`), each named by its city in the locale's words; any other zone is one
    /timezone away."""
    zones = [z.strip() for z in catalog.text(locale, "onboarding_zones").split(",") if z.strip()]
    buttons = [_button(zone_label(zone, locale), SetTimezone(zone)) for zone in zones]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def timezone_offer_keyboard(
    catalog: Catalog, locale: str, suggested: str, current: str
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    catalog.text(locale, "button_switch_zone", zone=suggested),
                    SetTimezone(suggested),
                )
            ],
            [_button(catalog.text(locale, "button_keep_zone", zone=current), SetTimezone(current))],
        ]
    )
