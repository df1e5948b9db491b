"""Starting a routine as its Start button does, for tests and benchmarks that walk routines
which people reach through longer paths (a check-in, a tool in /settings) tested elsewhere."""

from __future__ import annotations

from telegram.ext import Application

from bot.services.runs import RunView
from bot.telegram import walkthrough
from bot.telegram.services import BOT_DATA_KEY


async def start_routine(application: Application, user_id: int, routine_id: str) -> RunView:
    """The run started (its first step on its way to the chat), with buttons, not hands-free."""
    view = await walkthrough.start(
        application.bot_data[BOT_DATA_KEY],
        application.bot,
        application.job_queue,
        user_id=user_id,
        routine_id=routine_id,
        hands_free=False,
    )
    assert view is not None, f"{routine_id} was not started for user {user_id}"
    return view
