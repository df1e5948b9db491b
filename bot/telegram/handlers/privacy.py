"""/export and /delete: a user's own data, handed over or erased."""

from __future__ import annotations

import json

from telegram import CallbackQuery, InputFile, Update
from telegram.ext import ContextTypes, JobQueue

from bot.storage import checkins, privacy, runs
from bot.storage.profiles import Profile
from bot.telegram import pressed, render, walkthrough
from bot.telegram.handlers.command import command
from bot.telegram.services import Services

EXPORT_FILENAME = "face-ritual-data.json"


async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    async with cmd.svc.db.read() as session:
        document = await privacy.export(session, cmd.user.id, cmd.svc.clock.now())
    assert document is not None  # command() has just made sure the user exists
    tables = document["tables"]
    # Years of history make a big document: encoded off the event loop.
    payload = await cmd.svc.offload.run(_encode, document)
    await cmd.message.reply_document(
        InputFile(payload, filename=EXPORT_FILENAME),
        caption=cmd.catalog.text(
            cmd.locale,
            "export_caption",
            completions=len(tables["completions"]),
            # Counted as /progress counts them: one check-in per rating before (the rating after
            # a routine belongs to the same check-in).
            checkins=sum(1 for row in tables["checkins"] if row["phase"] == checkins.BEFORE),
            reminders=len(tables["reminders"]),
        ),
    )


def _encode(document: dict[str, object]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    cmd = await command(update, context)
    await cmd.reply("delete_confirm", reply_markup=render.delete_keyboard(cmd.catalog, cmd.locale))


async def on_confirm_delete(
    svc: Services,
    job_queue: JobQueue | None,
    query: CallbackQuery,
    user: Profile,
    confirmed: bool,
) -> None:
    """Erase everything about the user (and stop what was scheduled for them), or nothing."""
    text = svc.catalog.text(user.language, "delete_done" if confirmed else "delete_kept")
    if confirmed:
        async with svc.db.transaction() as session:
            run = await runs.open_run_of(session, user.id)
            if run is not None:
                walkthrough.cancel_timer(job_queue, run.id)
            await privacy.erase(session, user.id)
        svc.profiles.forget(user.id)
    await pressed.replace(query, text)
