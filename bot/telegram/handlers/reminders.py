"""/remind, /timezone, /flight and shared locations: when reminders come, in which zone."""

from __future__ import annotations

from datetime import time

from telegram import CallbackQuery, Update
from telegram.ext import ContextTypes

from bot.domain.flight import landing_instant
from bot.domain.free_text import is_one_of, parse_list
from bot.domain.localised import day_label
from bot.domain.quiet import format_window, parse_quiet_hours
from bot.domain.times_of_day import format_time, parse_time
from bot.domain.zones import lacks_sign, local_datetime, parse_timezone, wall_clock, zone_at
from bot.services import reminders
from bot.services.accounts import Account, save_settings
from bot.services.checkins import rest_reasons
from bot.telegram import pressed, render
from bot.telegram.handlers.checkin import start_checkin
from bot.telegram.handlers.command import command
from bot.telegram.services import Services


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    svc, user = cmd.svc, cmd.user
    if not cmd.args:
        times = await reminders.times_of(svc, user.id)
        key = "remind_current" if times else "remind_none"
        await cmd.reply(key, times=render.times_label(times), zone=user.timezone)
        return
    if cmd.says_off:
        await reminders.switch_off(svc, user)
        await cmd.reply("remind_off")
        return
    words = cmd.args.split()
    adding = len(words) == 2 and words[0].lower() == "add"
    at = parse_time(words[-1] if adding else cmd.args)
    if at is None:
        await cmd.reply("remind_invalid", text=cmd.echo)
        return
    label = format_time(at)
    if reminders.inside_quiet_hours(user, at):
        window = render.window_label(user.quiet_hours)
        await cmd.reply("remind_in_quiet_hours", time=label, window=window)
        return
    if adding:
        try:
            times = await reminders.add(svc, user, at)
        except reminders.TooManyReminders:
            await cmd.reply("reminders_limit")
            return
        await cmd.reply(
            "remind_added", time=label, times=render.times_label(times), zone=user.timezone
        )
        return
    found = await reminders.set_if_alone(svc, user, at)
    if found.done:
        await cmd.reply("remind_set", time=label, zone=user.timezone)
        return
    current = found.current
    present = at in current
    key = "remind_ask_only" if present else "remind_ask_full" if found.full else "remind_ask"
    await cmd.reply(
        key,
        render.remind_choice_keyboard(
            cmd.catalog, cmd.locale, at, present=present, can_add=not found.full
        ),
        times=render.times_label(current),
        time=label,
        zone=user.timezone,
    )


async def on_remind_choice(
    svc: Services, query: CallbackQuery, user: Account, at: time, choice: str
) -> None:
    """The answer to /remind's question: replace every reminder with `at`, add it, or keep
    them; said in place of the question, with what was there before."""
    catalog, locale, label = svc.catalog, user.language, format_time(at)
    if not pressed.still_offered(query):
        await pressed.answer(query, catalog.text(locale, "remind_choice_done"))
        return
    if choice != "keep" and reminders.inside_quiet_hours(user, at):
        window = render.window_label(user.quiet_hours)
        text = catalog.text(locale, "remind_in_quiet_hours", time=label, window=window)
        await pressed.answer(query, text)
        return
    try:
        chosen = await reminders.choose(svc, user, at, choice)
    except reminders.TooManyReminders:  # others were added since the question
        await pressed.answer(query, catalog.text(locale, "reminders_limit"))
        return
    await pressed.answer(query)
    before, after = chosen.before, chosen.after
    removed = [t for t in before if t != at]
    zone = user.timezone
    if choice == "replace" and removed:
        old = render.times_label(before)
        text = catalog.text(
            locale,
            "remind_replaced",
            old=old,
            time=label,
            zone=zone,
            removed=format_time(removed[-1]),
        )
    elif choice == "replace":
        text = catalog.text(locale, "remind_set", time=label, zone=zone)
    elif choice == "add":
        after_label = render.times_label(after)
        text = catalog.text(locale, "remind_added", time=label, times=after_label, zone=zone)
    elif before:
        text = catalog.text(locale, "remind_kept", times=render.times_label(before), zone=zone)
    else:
        text = catalog.text(locale, "remind_none", zone=zone)
    await pressed.replace(query, text)


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    now = cmd.svc.clock.now()
    if not cmd.args:
        current = cmd.user.timezone
        await cmd.reply("timezone_current", zone=current, local_time=wall_clock(now, current))
        return
    zone = parse_timezone(cmd.args)
    if zone is None:
        await cmd.reply(
            "timezone_no_sign" if lacks_sign(cmd.args) else "timezone_invalid", text=cmd.echo
        )
        return
    await save_settings(cmd.svc, cmd.user.id, timezone=zone)
    await cmd.reply("timezone_set", zone=zone, local_time=wall_clock(now, zone))


async def flight_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/flight [now|HH:MM] [ZONE]: a check-in a few hours after landing (or the next morning);
    with the destination's zone, the landing time is read there and switching is offered.
    "now" (just landed, or its variants in texts `words_landed`) welcomes the user back and
    starts the check-in at once; a bare /flight asks which."""
    cmd = await command(update, context)
    svc, user = cmd.svc, cmd.user
    now = svc.clock.now()
    words = cmd.args.split()
    destination = parse_timezone(words[-1]) if words else None
    if destination is not None and not parse_time(words[-1]):
        words = words[:-1]
    else:
        destination = None
    zone = destination or user.timezone
    when = " ".join(words)
    offer = None
    if destination is not None and destination != user.timezone:
        offer = render.timezone_offer_keyboard(cmd.catalog, cmd.locale, destination, user.timezone)
    if not words and destination is None:
        # The menu's bare /flight comes before boarding as often as after landing: ask.
        await cmd.reply(
            "flight_ask", render.checkin_start_keyboard(cmd.catalog, cmd.locale, "flight")
        )
        return
    if not words or is_one_of(when, parse_list(cmd.catalog.text(cmd.locale, "words_landed"))):
        # Just landed: welcome back, and the check-in now rather than in a few hours.
        await reminders.landed(svc, user.id)
        reasons = await rest_reasons(svc, user)
        if reasons:  # the advice again at once, not "let's check in" and then a refusal
            text = render.rest_day_message(cmd.catalog, cmd.locale, reasons, user.timezone)
            await context.bot.send_message(user.chat_id, text, reply_markup=offer)
            return
        await cmd.reply("flight_landed", offer)
        await start_checkin(svc, context.bot, user, "flight")
        return
    at = parse_time(when)
    if at is None:
        await cmd.reply("flight_invalid", text=cmd.echo)
        return
    landing = landing_instant(now, at, zone)
    due_at = await reminders.check_in_after_flight(svc, user.id, landing, zone)
    local, landing_local = local_datetime(due_at, zone), local_datetime(landing, zone)
    await cmd.reply(
        "flight_scheduled",
        offer,
        # The landing as read, so "/flight 3" shows it was taken as 03:00.
        landing=format_time(landing_local.time()),
        landing_day=day_label(landing_local.date(), cmd.locale),
        time=format_time(local.time()),
        day=day_label(local.date(), cmd.locale),
        zone=zone,
    )


async def location_shared(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location suggests a zone; switching is one press (travel)."""
    cmd = await command(update, context)
    location = cmd.message.location
    assert location is not None
    zone = zone_at(location.latitude, location.longitude)
    now, current = cmd.svc.clock.now(), cmd.user.timezone
    if zone is None:
        await cmd.reply("location_unknown")
    elif zone == current:
        await cmd.reply("location_same_zone", zone=zone, local_time=wall_clock(now, zone))
    else:
        await cmd.reply(
            "location_offer",
            render.timezone_offer_keyboard(cmd.catalog, cmd.locale, zone, current),
            zone=zone,
            local_time=wall_clock(now, zone),
            current=current,
        )


async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiet 22:00-07:00 | off: no snoozes or check-ins in that window."""
    cmd = await command(update, context)
    svc, user = cmd.svc, cmd.user
    if not cmd.args:
        if user.quiet_hours:
            shown = render.window_label(user.quiet_hours)
            await cmd.reply("quiet_current", window=shown, zone=user.timezone)
        else:
            await cmd.reply("quiet_none")
        return
    if cmd.says_off:
        await save_settings(svc, user.id, quiet_hours=None)
        await cmd.reply("quiet_off")
        return
    window = parse_quiet_hours(cmd.args)
    if window is None:
        await cmd.reply("quiet_invalid", text=cmd.echo)
        return
    inside = await reminders.times_in_window(svc, user.id, window)
    if inside:
        label = render.times_label(inside)
        await cmd.reply("quiet_conflict", times=label, window=format_window(*window))
        return
    await save_settings(svc, user.id, quiet_hours=window)
    await cmd.reply("quiet_set", window=format_window(*window), zone=user.timezone)
