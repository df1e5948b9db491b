"""Scripted failures: what Telegram and the network in between do on a bad day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = frozenset({"429", "403", "500", "502", "slow", "drop", "lost_response"})

# getUpdates runs in a loop in every polling bot. A "*" rule that it could consume would be
# spent by the poller at a random moment instead of by the call the test is about, so "*"
# leaves it out; name getUpdates explicitly to fault polling.
_WILDCARD_EXCLUDES = frozenset({"getupdates"})


@dataclass
class FaultRule:
    kind: str
    methods: frozenset[str] | None  # lower-case names; None = "*"
    chat_id: int | None
    remaining: int | None  # None = until cleared
    retry_after: int
    delay: float
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.remaining is not None and self.remaining <= 0

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.spent:
            return False
        name = method.lower()
        if self.methods is None:
            if name in _WILDCARD_EXCLUDES:
                return False
        elif name not in self.methods:
            return False
        if self.chat_id is not None:
            try:
                return int(chat_id) == self.chat_id
            except (TypeError, ValueError):
                return False
        return True


@dataclass
class FaultInjector:
    """``emu.faults``: rules are tried in the order added; the first match fires."""

    rules: list[FaultRule] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # (kind, method) as fired

    def add(
        self,
        kind: str,
        method: str | Iterable[str] = "*",
        chat_id: int | None = None,
        count: int | None = 1,
        retry_after: int = 1,
        delay: float = 0.5,
    ) -> FaultRule:
        """Fail the next ``count`` matching calls (``count=None``: until ``clear()``).

        kinds: "429" (with retry_after), "403", "500", "502" (HTML body from a proxy),
        "slow" (wait ``delay`` seconds, then answer normally), "drop" (close the connection
        without doing anything), "lost_response" (do the work, then close without answering).
        """
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if method == "*":
            methods = None
        elif isinstance(method, str):
            methods = frozenset({method.lower()})
        else:
            methods = frozenset(m.lower() for m in method)
        rule = FaultRule(
            kind=kind,
            methods=methods,
            chat_id=chat_id,
            remaining=count,
            retry_after=retry_after,
            delay=delay,
        )
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def take(self, method: str, chat_id: Any) -> FaultRule | None:
        for rule in self.rules:
            if rule.matches(method, chat_id):
                if rule.remaining is not None:
                    rule.remaining -= 1
                rule.fired += 1
                self.history.append((rule.kind, method))
                if rule.spent:
                    self.rules.remove(rule)
                return rule
        return None

    @property
    def active(self) -> list[FaultRule]:
        return [rule for rule in self.rules if not rule.spent]
