"""/remind and /timezone: when the daily reminder comes, in which zone."""

from __future__ import annotations

from datetime import datetime, time

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.flight import checkin_after_landing, landing_instant
from bot.domain.schedule import parse_time
from bot.domain.zones import parse_timezone, zone_at, zone_for
from bot.storage import reminders
from bot.telegram import render
from bot.telegram.accounts import ensure_user, save_settings
from bot.telegram.services import services

# Echoing a user's input back is friendly; echoing a huge one is not.
_MAX_ECHO = 40


def _local_time(now: datetime, zone: str) -> str:
    return now.astimezone(zone_for(zone)).strftime("%H:%M")


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    wanted = " ".join(context.args or []).strip()
    now = svc.clock.now()
    if not wanted:
        async with svc.db.read() as session:
            times = [r.local_time for r in await reminders.of_user(session, user.id)]
        key = "remind_current" if times else "remind_none"
        await message.reply_text(
            catalog.text(locale, key, times=", ".join(times), zone=user.timezone)
        )
        return
    if wanted.lower() in ("off", "stop", "none", "no"):
        async with svc.db.transaction() as session:
            await reminders.replace_all(session, user.id, [], user.timezone, now)
        await message.reply_text(catalog.text(locale, "remind_off"))
        return
    at = parse_time(wanted)
    if at is None:
        await message.reply_text(catalog.text(locale, "remind_invalid", text=wanted[:_MAX_ECHO]))
        return
    async with svc.db.transaction() as session:
        await reminders.replace_all(session, user.id, [at], user.timezone, now)
    await message.reply_text(
        catalog.text(locale, "remind_set", time=at.strftime("%H:%M"), zone=user.timezone)
    )


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    wanted = " ".join(context.args or []).strip()
    now = svc.clock.now()
    if not wanted:
        await message.reply_text(
            catalog.text(
                locale,
                "timezone_current",
                zone=user.timezone,
                local_time=_local_time(now, user.timezone),
            )
        )
        return
    zone = parse_timezone(wanted)
    if zone is None:
        await message.reply_text(catalog.text(locale, "timezone_invalid", text=wanted[:_MAX_ECHO]))
        return
    await save_settings(svc, user.id, timezone=zone)
    await message.reply_text(
        catalog.text(locale, "timezone_set", zone=zone, local_time=_local_time(now, zone))
    )


async def flight_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/flight [now|HH:MM]: a check-in a few hours after landing (or the next morning)."""
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None
    wanted = " ".join(context.args or []).strip()
    now = svc.clock.now()
    zone = zone_for(user.timezone)
    if wanted.lower() in ("", "now", "landed"):
        landing = now
    else:
        at = parse_time(wanted)
        if at is None:
            await message.reply_text(
                catalog.text(locale, "flight_invalid", text=wanted[:_MAX_ECHO])
            )
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
    await message.reply_text(
        catalog.text(
            locale,
            "flight_scheduled",
            time=local.strftime("%H:%M"),
            day=local.date().isoformat(),
            zone=user.timezone,
        )
    )


async def location_shared(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location suggests a zone; switching is one press (travel)."""
    svc = services(context)
    user, _ = await ensure_user(svc, update)
    catalog, locale = svc.catalog, user.language
    message = update.effective_message
    assert message is not None and message.location is not None
    zone = zone_at(message.location.latitude, message.location.longitude)
    now = svc.clock.now()
    if zone is None:
        await message.reply_text(catalog.text(locale, "location_unknown"))
    elif zone == user.timezone:
        await message.reply_text(
            catalog.text(locale, "location_same_zone", zone=zone, local_time=_local_time(now, zone))
        )
    else:
        await message.reply_text(
            catalog.text(
                locale,
                "location_offer",
                zone=zone,
                local_time=_local_time(now, zone),
                current=user.timezone,
            ),
            reply_markup=render.timezone_offer_keyboard(catalog, locale, zone, user.timezone),
        )
