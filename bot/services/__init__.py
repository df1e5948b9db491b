"""The application layer: one module per use case, each owning its transactions.

A service function opens the short transaction(s) it needs, calls `bot.domain` for the
decisions and `bot.storage` for the rows, and returns plain results (dataclasses, domain
objects) for the Telegram layer to render. Nothing here talks to Telegram; nothing in
`bot.telegram` opens a session. The dependency rule is in the README ("Layout") and checked by
tests/unit/test_layers.py.
"""
