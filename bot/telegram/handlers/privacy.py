"""/export and /delete: a user's own data, handed over or erased."""

from __future__ import annotations

from telegram import CallbackQuery, InputFile, Update
from telegram.ext import ContextTypes, JobQueue

from bot.services import privacy
from bot.services.accounts import Account
from bot.telegram import pressed, render, walkthrough
from bot.telegram.bot_profile import delete_chat_menu
from bot.telegram.handlers.command import command
from bot.telegram.services import Services

EXPORT_FILENAME = "face-ritual-data.json"


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    document = await privacy.export(cmd.svc, cmd.user.id)
    await cmd.message.reply_document(
        InputFile(document.payload, filename=EXPORT_FILENAME),
        caption=cmd.catalog.text(
            cmd.locale,
            "export_caption",
            completions=document.completions,
            checkins=document.checkins,
            reminders=document.reminders,
        ),
    )


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    await cmd.reply("delete_confirm", reply_markup=render.delete_keyboard(cmd.catalog, cmd.locale))


async def on_confirm_delete(
    svc: Services,
    job_queue: JobQueue | None,
    query: CallbackQuery,
    user: Account,
    confirmed: bool,
) -> None:
    """Erase everything about the user (and stop what was scheduled for them), or nothing."""
    text = svc.catalog.text(user.language, "delete_done" if confirmed else "delete_kept")
    if confirmed:
        open_run = await privacy.erase(svc, user.id)
        if open_run is not None:
            walkthrough.cancel_timer(job_queue, open_run)
        await delete_chat_menu(query.get_bot(), user.chat_id)
    await pressed.replace(query, text)
