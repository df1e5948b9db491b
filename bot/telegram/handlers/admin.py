"""/stats for the people who run the bot (ADMIN_IDS); to anyone else it does not exist."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.localised import day_label
from bot.services import stats
from bot.telegram.handlers import fallback
from bot.telegram.handlers.command import command


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    if cmd.user.id not in cmd.svc.settings.admin_ids:
        # The ordinary unknown-command answer: nothing hints that the command exists.
        await fallback.unknown(update, context)
        return
    now = cmd.svc.clock.now()
    counts = await stats.gather(cmd.svc, now)
    await cmd.reply(
        "stats",
        day=day_label(now.date(), cmd.locale),
        users=counts.users,
        blocked=counts.blocked,
        active=counts.active_7_days,
        with_reminders=counts.with_reminders,
        reminders_today=counts.reminders_sent_today,
        completions_today=counts.completions_today,
    )
