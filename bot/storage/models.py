"""SQLAlchemy 2 tables. The database is the source of truth: nothing that must survive a
restart lives only in memory. Schema changes go through Alembic (storage/migrations)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """Always timezone-aware UTC in Python; SQLite stores it naive, so UTC is re-attached."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    # The daily routine the user does by default (a routine id); the reminder offers it first.
    default_routine: Mapped[str] = mapped_column(String(40), default="classic")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # "Skip today" from a reminder: no more reminders on this local date.
    reminders_skipped_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # "22:00-07:00": nothing is sent of the bot's own accord in this local window.
    quiet_hours: Mapped[str | None] = mapped_column(String(11), nullable=True)
    # "HH:MM": when the user's ritual day starts (a routine before it counts for the day before).
    day_starts_at: Mapped[str] = mapped_column(String(5), default="04:00", server_default="04:00")
    # One gentle evening nudge when the streak would break tonight.
    nudges: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A 0-10 puffiness or tightness rating before and after a daily routine.
    ratings: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The massage tools the user has ("cups,gua_sha"; None: none): tool routines need one.
    tools: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Steps shown as a short animation (True) or as a still diagram.
    animations: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class SafetyProfile(Base):
    """What the user said about their safety (see bot/domain/safety.py); None: not answered."""

    __tablename__ = "safety_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    injectables: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # The first of `injected_areas`, still written for code from before 0011.
    injected_area: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Every injection area treated, comma-separated ids ("forehead,eyes").
    injected_areas: Mapped[str | None] = mapped_column(Text, nullable=True)
    injected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    sensitive_skin: Mapped[str | None] = mapped_column(String(8), nullable=True)
    thyroid: Mapped[str | None] = mapped_column(String(8), nullable=True)
    pregnancy: Mapped[str | None] = mapped_column(String(8), nullable=True)
    stop_sign_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Run(Base):
    """One walkthrough of a routine, in progress or ended; progress is saved on every step."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    routine_id: Mapped[str] = mapped_column(String(40))
    # The routine is rendered in the language it started in, so its steps cannot shift mid-way.
    locale: Mapped[str] = mapped_column(String(16))
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    step_count: Mapped[int] = mapped_column(Integer)
    # The routine's steps this run uses, fitted to the user's safety profile when it started
    # (comma-separated ids; None: all of them), and the note shown on each step.
    step_ids: Mapped[str | None] = mapped_column(Text, nullable=True)
    step_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    # The message showing the current step: its buttons are removed when the next one is sent.
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    step_started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        # At most one open run per user; the database enforces it, not just the handlers.
        Index(
            "uq_runs_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=text("status IN ('active', 'paused')"),
            postgresql_where=text("status IN ('active', 'paused')"),
        ),
        # Hands-free timers are re-armed from here after a restart.
        Index("ix_runs_status_mode", "status", "mode"),
    )


class Completion(Base):
    """A routine finished on a ritual day: the history behind streaks and pictures."""

    __tablename__ = "completions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    routine_id: Mapped[str] = mapped_column(String(40))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), nullable=True
    )
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The user's zone when it was recorded: streaks judge travel by it (None: before 0006).
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (UniqueConstraint("user_id", "local_date", "routine_id"),)


class StreakSummary(Base):
    """The streak kept up to date on each completion, so /streak reads one row; the
    completions stay the source of truth (storage.streaks.check recomputes it from them)."""

    __tablename__ = "streaks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    current: Mapped[int] = mapped_column(Integer)
    best: Mapped[int] = mapped_column(Integer)
    total_days: Mapped[int] = mapped_column(Integer)
    freezes: Mapped[int] = mapped_column(Integer)
    toward_freeze: Mapped[int] = mapped_column(Integer)
    last_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FrozenDay(Base):
    """A missed ritual day a streak freeze covered (shown on the calendar)."""

    __tablename__ = "frozen_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)


class RestDay(Base):
    """A ritual day the user was told not to massage: a red flag in the check-in (`reason`:
    its route, see bot/domain/edema.py) or a stop-sign ("stop_sign"). No routine, reminder or
    nudge that day; for streaks it is neither done nor missed (bot/domain/streaks.py)."""

    __tablename__ = "rest_days"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Reminder(Base):
    """A daily reminder at a local wall-clock time; `next_at` (UTC) is when it next fires."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # "HH:MM" in the user's zone: kept as wall time so it survives DST and travel.
    local_time: Mapped[str] = mapped_column(String(5))
    # The dispatcher's due query reads this index: no scan, whatever the number of users.
    next_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Ticks in a row that failed on this reminder (bad data, a bug): bounded, then it moves on.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (UniqueConstraint("user_id", "local_time"),)


class Delivery(Base):
    """One reminder or prompt for one user on one local date: the key that makes sending
    idempotent across restarts and instances."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    local_date: Mapped[date] = mapped_column(Date)
    # claimed -> sending -> sent | failed | unknown; see storage.deliveries.
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The instance that holds the row and until when (renewed while it is being sent); once
    # the lease has run out, any instance may take a claimed row over.
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Ticks that tried to send it: bounded, then it is given up as failed.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        UniqueConstraint("user_id", "key", "local_date"),
        Index("ix_deliveries_status_lease_until", "status", "lease_until"),
        Index("ix_deliveries_local_date", "local_date"),
    )


class DispatcherLease(Base):
    """Which instance runs the reminder fan-out, and until when (renewed while it does).
    Telegram's flood limit is the bot's, not an instance's: two instances sending at once
    would only provoke 429s, so one leads at a time and another takes over a lapsed lease."""

    __tablename__ = "dispatcher_lease"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Prompt(Base):
    """A one-shot message due at a UTC time (a snoozed reminder, later the post-flight
    check-in); deleted when sent."""

    __tablename__ = "prompts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Ticks in a row that failed on this prompt: bounded, then it is dropped.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Checkin(Base):
    """A puffiness check-in: before de-puffing (cause, rating, red flag) or after (rating)."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cause: Mapped[str] = mapped_column(String(16))
    # "before" a de-puffing sequence (with the red-flag answer) or "after" it.
    phase: Mapped[str] = mapped_column(String(8))
    rating: Mapped[int] = mapped_column(Integer)
    red_flag: Mapped[str | None] = mapped_column(String(1), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SentPicture(Base):
    """A picture Telegram already holds, by what it shows: the same calendar or chart again is
    sent by its file_id instead of being drawn and uploaded again. No user id: the
    fingerprint is a hash of the picture's inputs, and identical pictures are one file."""

    __tablename__ = "sent_pictures"

    # A file_id is valid only for the bot that received it (a second bot, or a new token for
    # another bot, uploads its own).
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class PublishedLanguage(Base):
    """A language the bot's menu and descriptions were published in ("" for the default), per
    bot (bot/telegram/bot_profile.py): one no longer in content/ is taken back at start."""

    __tablename__ = "published_languages"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
