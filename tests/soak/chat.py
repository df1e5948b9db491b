"""Acting as one simulated user: send or press, then wait until the bot has finished with it.

`Mail` records every message the bot sends, with the simulated instant it arrived at (the
clock only moves between steps, so that is the step it was sent in). `Chat.send`/`press` put
one update (or two: a blocked user who writes unblocks first) into the emulator and wait, with
a bound, for the bot to finish them; the `Exchange` says how it went and what came back.
"""

# Every wait here takes its own timeout by design.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from emulator import BotApiEmulator, CallbackAnswer, ChatEvent, ChatMessage, EmulatedUser
from tests.soak.tracker import LOST, TIMEOUT, UpdateTracker

ANSWER_WITHIN_S = 20.0


@dataclass(frozen=True)
class Arrival:
    chat_id: int
    message_id: int
    at: datetime  # simulated
    html: str


class Mail:
    """Every bot message as it arrives, per chat, stamped with the simulated instant."""

    def __init__(self, emulator: BotApiEmulator, now: Callable[[], datetime]) -> None:
        self._emulator = emulator
        self._now = now
        self.by_chat: dict[int, list[Arrival]] = {}
        self.total = 0
        # Arrivals not yet taken by the soak's step loop (see `take_fresh`).
        self._fresh: list[Arrival] = []
        self.on_arrival: Callable[[Arrival], None] = lambda arrival: None
        emulator.on_change(self._on_event)

    def take_fresh(self) -> list[Arrival]:
        fresh, self._fresh = self._fresh, []
        return fresh

    def _on_event(self, event: ChatEvent) -> None:
        if event.kind != "message" or not event.from_bot or event.message is None:
            return
        message = event.message
        arrival = Arrival(event.chat_id, message.message_id, self._now(), message.html or "")
        self.by_chat.setdefault(event.chat_id, []).append(arrival)
        self.total += 1
        self._fresh.append(arrival)
        self.on_arrival(arrival)

    def since(self, chat_id: int, message_id: int) -> list[Arrival]:
        arrivals = self.by_chat.get(chat_id, [])
        fresh = []
        for arrival in reversed(arrivals):
            if arrival.message_id <= message_id:
                break
            fresh.append(arrival)
        return fresh[::-1]

    def last_id(self, chat_id: int) -> int:
        arrivals = self.by_chat.get(chat_id)
        return arrivals[-1].message_id if arrivals else 0


@dataclass
class Exchange:
    """One action and what came of it."""

    what: str
    update_ids: list[int]
    outcomes: dict[int, str]
    arrivals: list[Arrival]
    query_id: str | None = None
    answer: CallbackAnswer | None = None
    # The bot's messages as they are now (edits applied), by id.
    current: dict[int, ChatMessage] = field(default_factory=dict)

    @property
    def lost(self) -> bool:
        return LOST in self.outcomes.values()

    @property
    def timed_out(self) -> bool:
        return TIMEOUT in self.outcomes.values()

    @property
    def handled(self) -> bool:
        """Every update finished (whatever the handler's outcome)."""
        return not self.lost and not self.timed_out

    @property
    def htmls(self) -> list[str]:
        return [arrival.html for arrival in self.arrivals]


class Chat:
    def __init__(
        self,
        emulator: BotApiEmulator,
        user: EmulatedUser,
        tracker: UpdateTracker,
        mail: Mail,
        on_exchange: Callable[[Chat, Exchange], None],
    ) -> None:
        self.emulator = emulator
        self.user = user
        self.tracker = tracker
        self.mail = mail
        self._on_exchange = on_exchange

    @property
    def id(self) -> int:
        return self.user.id

    def message(self, message_id: int) -> ChatMessage | None:
        return self.user.message(message_id)

    async def send(self, text: str) -> Exchange:
        return await self._act(f"send {text!r}", lambda: self.user.send(text))

    async def send_sticker(self) -> Exchange:
        return await self._act("send a sticker", lambda: self.user.send_sticker())

    async def press(self, message_id: int, data: str) -> Exchange:
        return await self._act(
            f"press {data!r} on #{message_id}", lambda: self.user.press_data(message_id, data)
        )

    async def block(self) -> Exchange:
        return await self._act("block the bot", self._block)

    async def _block(self) -> None:
        self.user.block_bot()

    async def unblock(self) -> Exchange:
        return await self._act("unblock the bot", self._unblock)

    async def _unblock(self) -> None:
        self.user.unblock_bot()

    async def _act(self, what: str, act: Callable[[], object]) -> Exchange:
        state = self.emulator.state
        last_seen = self.mail.last_id(self.id)
        queued = len(state.updates)
        # The emulator's user actions run to the end without awaiting anything, so the updates
        # they queue are exactly the ones appended here.
        result = await act()  # type: ignore[misc]
        update_ids = [update.update_id for update in state.updates[queued:]]
        query_id = result if isinstance(result, str) else None
        outcomes = await self.tracker.wait(update_ids, ANSWER_WITHIN_S)
        arrivals = self.mail.since(self.id, last_seen)
        answer = None
        if query_id is not None:
            record = state.callback_queries.get(query_id)
            answer = record.answer if record is not None else None
        current = {}
        for arrival in arrivals:
            message = self.message(arrival.message_id)
            if message is not None:
                current[arrival.message_id] = message
        exchange = Exchange(what, update_ids, outcomes, arrivals, query_id, answer, current)
        self._on_exchange(self, exchange)
        return exchange
