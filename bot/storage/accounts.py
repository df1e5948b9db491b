"""What handlers need to know about a user, and a small cache of it.

Nearly every update starts by asking "who is this, in which language?". The answer changes
rarely, so recently seen users are kept in memory for a short while (bounded in size and
age) and most updates need no database read at all. The database stays the source of truth:
every write through `bot.services.accounts` refreshes the entry, and an entry older
than the TTL is read again, which bounds how stale another instance's view can be.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as time_of_day

from bot.domain.local_time import DAY_STARTS_AT, ritual_date
from bot.domain.quiet import Window, stored_window
from bot.domain.times_of_day import stored_time
from bot.storage.models import User

DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_TTL_S = 60.0


@dataclass(frozen=True)
class Account:
    """The user as handlers see them: who (ids, name), in which language and zone, and their
    settings. A snapshot of the `users` row; the safety answers are bot.domain.safety's."""

    id: int
    chat_id: int
    first_name: str
    language: str
    timezone: str
    default_routine: str
    blocked: bool
    quiet_hours: Window | None = None
    day_starts_at: time_of_day = DAY_STARTS_AT
    nudges: bool = True
    ratings: bool = True
    animations: bool = True
    # Massage tools the user has (ids from bot.catalog.models.TOOLS).
    tools: tuple[str, ...] = ()
    # When the user first came (the row's creation): days before it were never theirs to miss.
    joined_at: datetime | None = None

    def ritual_day(self, now: datetime) -> date:
        """The user's ritual date at `now` (their zone, their day-start hour)."""
        return ritual_date(now, self.timezone, self.day_starts_at)

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(
            id=user.id,
            chat_id=user.chat_id,
            first_name=user.first_name,
            language=user.language,
            timezone=user.timezone,
            default_routine=user.default_routine,
            blocked=user.blocked_at is not None,
            quiet_hours=stored_window(user.quiet_hours),
            day_starts_at=stored_time(user.day_starts_at),
            nudges=user.nudges,
            ratings=user.ratings,
            animations=user.animations,
            tools=tuple(t for t in (user.tools or "").split(",") if t),
            joined_at=user.created_at,
        )


class AccountCache:
    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[int, tuple[float, Account]] = OrderedDict()
        self._max = max_entries
        self._ttl = ttl_s
        self._clock = clock

    def get(self, user_id: int) -> Account | None:
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        stored_at, profile = entry
        if self._clock() - stored_at > self._ttl:
            del self._entries[user_id]
            return None
        self._entries.move_to_end(user_id)
        return profile

    def put(self, profile: Account) -> None:
        self._entries[profile.id] = (self._clock(), profile)
        self._entries.move_to_end(profile.id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._entries)
