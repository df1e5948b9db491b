"""`python -m bot` with the transaction guard installed (tests/support/txn_guard.py): what the
e2e tests run as a child process, so the bot's requests carry the guard's notes there too.

With PROBE_ENV set, the child also commits one violation on purpose (it publishes its commands
inside a write transaction), so a test can see that a child's violations are caught."""

from __future__ import annotations

import os
import sys
from typing import Any

from tests.support import txn_guard

PROBE_ENV = "TXN_GUARD_PROBE"


def _violate_on_purpose() -> None:
    from telegram import BotCommand

    import bot.app
    from bot.telegram.services import BOT_DATA_KEY

    publish = bot.app.publish_profile

    async def publish_inside_a_transaction(application: Any) -> None:
        # One Bot API call inside a write transaction (the menu, published again just after).
        async with application.bot_data[BOT_DATA_KEY].db.transaction():
            await application.bot.set_my_commands([BotCommand("help", "Help")])
        await publish(application)

    bot.app.publish_profile = publish_inside_a_transaction


def main() -> int:
    txn_guard.install()
    if os.environ.get(PROBE_ENV):
        _violate_on_purpose()
    from bot.__main__ import main as bot_main

    return bot_main()


if __name__ == "__main__":
    sys.exit(main())
