"""All handlers, registered in one place. Each handler is thin: parse the update, call one use
case (bot/services, which owns the transactions), then render the answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import traffic
from bot.telegram.handlers import (
    admin,
    buttons,
    fallback,
    onboarding,
    privacy,
    progress,
    reminders,
    routines,
    safety_profile,
    settings,
)
from bot.telegram.handlers.command import ADMIN_COMMANDS, USER_COMMANDS
from bot.telegram.traffic import logged

# The update types the handlers below handle: asked of Telegram as allowed_updates, by getUpdates
# (polling) and by setWebhook, so Telegram sends nothing else (no edited messages, no reactions).
# tests/unit/test_allowed_updates.py checks it against what `register` adds.
ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER)


def register(application: Application) -> None:
    # New messages only: editing an old "/routine" does not start another (see ALLOWED_UPDATES).
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Before anything else: a user over their flood limit goes no further.
    application.add_handler(TypeHandler(Update, traffic.flood_guard), group=-1)
    # Groups first: whatever is said there gets the "private chats only" answer.
    application.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND,
            logged("group", fallback.group_chat),
        )
    )
    application.add_handler(
        ChatMemberHandler(
            logged("membership", fallback.membership_changed), ChatMemberHandler.MY_CHAT_MEMBER
        )
    )
    commands = {
        "start": onboarding.start,
        "help": onboarding.help_command,
        "safety": onboarding.safety,
        "routine": routines.routine_command,
        "depuff": routines.depuff_command,
        "settings": settings.settings_command,
        "remind": reminders.remind_command,
        "timezone": reminders.timezone_command,
        "flight": reminders.flight_command,
        "quiet": reminders.quiet_command,
        "streak": progress.streak_command,
        "progress": progress.progress_command,
        "daystart": progress.daystart_command,
        "export": privacy.export_command,
        "delete": privacy.delete_command,
        "stats": admin.stats_command,
        "profile": safety_profile.profile_command,
    }
    # The typo suggestions (fallback.py) offer exactly the commands registered here.
    assert set(commands) == {*USER_COMMANDS, *ADMIN_COMMANDS}, "update command.USER_COMMANDS"
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, logged(name, callback), filters=private))
    application.add_handler(CallbackQueryHandler(logged("button", buttons.on_button)))
    application.add_handler(
        MessageHandler(
            private & filters.LOCATION,
            logged("location", reminders.location_shared),
        )
    )
    application.add_handler(
        MessageHandler(
            private & filters.COMMAND,
            logged("unknown_command", fallback.unknown),
        )
    )
    application.add_handler(MessageHandler(private, logged("text", fallback.unknown)))
