"""ALLOWED_UPDATES (what the bot asks Telegram for) is exactly what its handlers handle.

Every update type PTB knows is offered to the registered handlers as a realistic sample; the
types some handler accepts must be ALLOWED_UPDATES, no more (Telegram would send updates nobody
handles) and no fewer (a new handler would never be called). A PTB upgrade that adds an update
type fails here until it has a sample.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ApplicationBuilder, BaseHandler

from bot.telegram.handlers import ALLOWED_UPDATES, register
from emulator import BotApiEmulator
from tests.support.bot import TOKEN

DATE = 1_790_000_000
USER = {"id": 1001, "is_bot": False, "first_name": "Alice"}
OTHER = {"id": 2002, "is_bot": False, "first_name": "Bob"}
PRIVATE = {"id": 1001, "type": "private", "first_name": "Alice"}
GROUP = {"id": -100_200, "type": "supergroup", "title": "Face club"}
CHANNEL = {"id": -100_300, "type": "channel", "title": "News"}
MEMBER = {"status": "member", "user": USER}
PREMIUM = {"source": "premium", "user": USER}


def message(chat: dict[str, Any], **content: Any) -> dict[str, Any]:
    sender = {} if chat["type"] == "channel" else {"from": USER}
    return {"message_id": 7, "date": DATE, "chat": chat, **sender, **content}


def command(text: str) -> dict[str, Any]:
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}


# Whatever a handler might look at in a message: chat type, command, text, location.
CONTENTS = (
    command("/help"),
    command("/nosuchcommand"),
    {"text": "hello"},
    {"location": {"latitude": 52.52, "longitude": 13.4}},
)
# The message-like update types, each with the chats it comes from.
MESSAGE_KINDS: dict[str, tuple[dict[str, Any], ...]] = {
    "message": (PRIVATE, GROUP),
    "edited_message": (PRIVATE, GROUP),
    "channel_post": (CHANNEL,),
    "edited_channel_post": (CHANNEL,),
    "business_message": (PRIVATE,),
    "edited_business_message": (PRIVATE,),
    "guest_message": (PRIVATE, GROUP),
}
OTHER_KINDS: dict[str, dict[str, Any]] = {
    "inline_query": {"id": "1", "from": USER, "query": "routine", "offset": ""},
    "chosen_inline_result": {"result_id": "1", "from": USER, "query": "routine"},
    "callback_query": {
        "id": "1",
        "from": USER,
        "chat_instance": "1",
        "data": "x",
        "message": message(PRIVATE, text="Step 1"),
    },
    "shipping_query": {
        "id": "1",
        "from": USER,
        "invoice_payload": "p",
        "shipping_address": {
            "country_code": "DE",
            "state": "",
            "city": "Berlin",
            "street_line1": "Street 1",
            "street_line2": "",
            "post_code": "10115",
        },
    },
    "pre_checkout_query": {
        "id": "1",
        "from": USER,
        "currency": "EUR",
        "total_amount": 100,
        "invoice_payload": "p",
    },
    "poll": {
        "id": "1",
        "question": "?",
        "options": [
            {"text": "a", "voter_count": 0, "persistent_id": "a"},
            {"text": "b", "voter_count": 0, "persistent_id": "b"},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    },
    "poll_answer": {
        "poll_id": "1",
        "option_ids": [0],
        "option_persistent_ids": ["a"],
        "user": USER,
    },
    "my_chat_member": {
        "chat": PRIVATE,
        "from": USER,
        "date": DATE,
        "old_chat_member": MEMBER,
        "new_chat_member": {"status": "kicked", "user": USER, "until_date": 0},
    },
    "chat_member": {
        "chat": GROUP,
        "from": USER,
        "date": DATE,
        "old_chat_member": {"status": "left", "user": OTHER},
        "new_chat_member": {"status": "member", "user": OTHER},
    },
    "chat_join_request": {"chat": GROUP, "from": USER, "user_chat_id": 1001, "date": DATE},
    "chat_boost": {
        "chat": CHANNEL,
        "boost": {
            "boost_id": "1",
            "add_date": DATE,
            "expiration_date": DATE + 86_400,
            "source": PREMIUM,
        },
    },
    "removed_chat_boost": {
        "chat": CHANNEL,
        "boost_id": "1",
        "remove_date": DATE,
        "source": PREMIUM,
    },
    "message_reaction": {
        "chat": PRIVATE,
        "message_id": 7,
        "user": USER,
        "date": DATE,
        "old_reaction": [],
        "new_reaction": [{"type": "emoji", "emoji": "👍"}],
    },
    "message_reaction_count": {
        "chat": CHANNEL,
        "message_id": 7,
        "date": DATE,
        "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 1}],
    },
    "business_connection": {
        "id": "1",
        "user": USER,
        "user_chat_id": 1001,
        "date": DATE,
        "is_enabled": True,
    },
    "deleted_business_messages": {
        "business_connection_id": "1",
        "chat": PRIVATE,
        "message_ids": [7],
    },
    "purchased_paid_media": {"from": USER, "paid_media_payload": "p"},
    "managed_bot": {"user": USER, "bot": {"id": 3003, "is_bot": True, "first_name": "Mini"}},
}


def samples(bot: Any) -> dict[str, list[Update]]:
    """Realistic updates of every type PTB knows, several for the message-like ones."""
    payloads = {
        kind: [message(chat, **content) for chat in chats for content in CONTENTS]
        for kind, chats in MESSAGE_KINDS.items()
    }
    payloads |= {kind: [payload] for kind, payload in OTHER_KINDS.items()}
    return {
        kind: [Update.de_json({"update_id": 1, kind: payload}, bot) for payload in variants]
        for kind, variants in payloads.items()
    }


async def handled_kinds() -> set[str]:
    # The emulator answers getMe: command handlers compare /cmd@name with the bot's username.
    async with BotApiEmulator(token=TOKEN) as emulator:
        application = (
            ApplicationBuilder().token(TOKEN).base_url(emulator.base_url).updater(None).build()
        )
        register(application)
        await application.bot.initialize()
        try:
            # Groups below 0 are gates every update passes (the flood guard is a
            # TypeHandler(Update)): they let an update through to the handlers, not handle it.
            handlers: list[BaseHandler[Any, Any, Any]] = [
                handler
                for group, in_group in application.handlers.items()
                if group >= 0
                for handler in in_group
            ]
            assert handlers, "register() added no handlers"
            return {
                kind
                for kind, updates in samples(application.bot).items()
                if any(handler.check_update(update) for update in updates for handler in handlers)
            }
        finally:
            await application.bot.shutdown()


def test_every_update_type_has_a_sample():
    assert set(MESSAGE_KINDS) | set(OTHER_KINDS) == set(Update.ALL_TYPES)


def test_each_sample_is_of_its_type():
    for kind, updates in samples(None).items():
        for update in updates:
            assert getattr(update, kind) is not None, kind


async def test_allowed_updates_are_exactly_what_the_registered_handlers_handle():
    assert len(set(ALLOWED_UPDATES)) == len(ALLOWED_UPDATES)
    assert set(ALLOWED_UPDATES) <= set(Update.ALL_TYPES)
    assert await handled_kinds() == set(ALLOWED_UPDATES)
