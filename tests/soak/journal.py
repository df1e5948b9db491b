"""What happened during the soak: counts for the summary, and the problems seen on the way
(each with its counterexample), kept until the invariants are judged at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

# How many counterexamples of one kind are kept (the count is always exact).
KEEP = 40


@dataclass
class Finding:
    kind: str
    user_id: int | None
    at: datetime | None  # simulated
    text: str

    def describe(self) -> str:
        who = f"user {self.user_id}" if self.user_id is not None else "-"
        when = f"{self.at:%Y-%m-%d %H:%M}Z" if self.at is not None else "-"
        return f"[{when} {who}] {self.text}"


@dataclass
class Journal:
    counts: Counter[str] = field(default_factory=Counter)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    found: Counter[str] = field(default_factory=Counter)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def find(self, kind: str, user_id: int | None, at: datetime | None, text: str) -> None:
        self.found[kind] += 1
        kept = self.findings.setdefault(kind, [])
        if len(kept) < KEEP:
            kept.append(Finding(kind, user_id, at, text))

    def of(self, kind: str) -> list[Finding]:
        return self.findings.get(kind, [])
