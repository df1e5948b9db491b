"""/remind, /timezone, /flight and shared locations: when reminders come, in which zone."""

from __future__ import annotations

from datetime import datetime, time

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.flight import checkin_after_landing, landing_instant
from bot.domain.schedule import parse_time
from bot.domain.zones import parse_timezone, zone_at, zone_for
from bot.storage import reminders
from bot.telegram import render
from bot.telegram.accounts import save_settings
from bot.telegram.handlers.command import command

# Echoing a user's input back is friendly; echoing a huge one is not.
_MAX_ECHO = 40


def _local_time(now: datetime, zone: str) -> str:
    return now.astimezone(zone_for(zone)).strftime("%H:%M")


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    svc, user = cmd.svc, cmd.user
    now = svc.clock.now()
    if not cmd.args:
        async with svc.db.read() as session:
            times = [r.local_time for r in await reminders.of_user(session, user.id)]
        key = "remind_current" if times else "remind_none"
        await cmd.reply(key, times=", ".join(times), zone=user.timezone)
        return
    if cmd.args.lower() in ("off", "stop", "none", "no"):
        async with svc.db.transaction() as session:
            await reminders.replace_all(session, user.id, [], user.timezone, now)
        await cmd.reply("remind_off")
        return
    words = cmd.args.split()
    adding = len(words) == 2 and words[0].lower() == "add"
    at = parse_time(words[-1] if adding else cmd.args)
    if at is None:
        await cmd.reply("remind_invalid", text=cmd.args[:_MAX_ECHO])
        return
    if adding:
        try:
            async with svc.db.transaction() as session:
                times = await reminders.toggle(session, user.id, at, user.timezone, now, on=True)
        except reminders.TooManyReminders:
            await cmd.reply("reminders_limit")
            return
        await cmd.reply(
            "remind_added", time=at.strftime("%H:%M"), times=", ".join(times), zone=user.timezone
        )
        return
    async with svc.db.transaction() as session:
        await reminders.replace_all(session, user.id, [at], user.timezone, now)
    await cmd.reply("remind_set", time=at.strftime("%H:%M"), zone=user.timezone)


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    now = cmd.svc.clock.now()
    if not cmd.args:
        zone = cmd.user.timezone
        await cmd.reply("timezone_current", zone=zone, local_time=_local_time(now, zone))
        return
    zone = parse_timezone(cmd.args)
    if zone is None:
        await cmd.reply("timezone_invalid", text=cmd.args[:_MAX_ECHO])
        return
    await save_settings(cmd.svc, cmd.user.id, timezone=zone)
    await cmd.reply("timezone_set", zone=zone, local_time=_local_time(now, zone))


async def flight_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/flight [now|HH:MM]: a check-in a few hours after landing (or the next morning)."""
    cmd = await command(update, context)
    svc, user = cmd.svc, cmd.user
    now = svc.clock.now()
    zone = zone_for(user.timezone)
    if cmd.args.lower() in ("", "now", "landed"):
        landing = now
    else:
        at = parse_time(cmd.args)
        if at is None:
            await cmd.reply("flight_invalid", text=cmd.args[:_MAX_ECHO])
            return
        landing = landing_instant(now, at, zone)
    async with svc.db.transaction() as session:
        times = [
            time.fromisoformat(r.local_time) for r in await reminders.of_user(session, user.id)
        ]
        due_at = checkin_after_landing(landing, zone, times)
        await reminders.add_prompt(
            session, user_id=user.id, kind=reminders.FLIGHT, due_at=due_at, now=now, replace=True
        )
    local = due_at.astimezone(zone)
    await cmd.reply(
        "flight_scheduled",
        time=local.strftime("%H:%M"),
        day=local.date().isoformat(),
        zone=user.timezone,
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
        await cmd.reply("location_same_zone", zone=zone, local_time=_local_time(now, zone))
    else:
        await cmd.reply(
            "location_offer",
            render.timezone_offer_keyboard(cmd.catalog, cmd.locale, zone, current),
            zone=zone,
            local_time=_local_time(now, zone),
            current=current,
        )
