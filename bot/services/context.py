"""What every use case needs, built once by the composition root (bot/app.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from bot.catalog import Catalog
from bot.clock import Clock
from bot.config import Settings
from bot.domain.flood import FloodGuard
from bot.loop_lag import LoopLagMonitor
from bot.offload import Offloader
from bot.services.step_picture_cache import StepPictureCache
from bot.storage.accounts import AccountCache
from bot.storage.database import Database


@dataclass
class Heartbeat:
    """When the reminder dispatcher last finished a tick (UTC), for the health endpoint."""

    last_tick_at: datetime | None = None


@dataclass
class DispatcherState:
    """What the reminder dispatcher of this process remembers between ticks."""

    # Whether it has taken back what this instance left when it last stopped.
    took_back: bool = False
    pruned_at: datetime | None = None
    # One tick at a time in this process (the start-up tick and the minute's may meet).
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    catalog: Catalog
    clock: Clock
    account_cache: AccountCache
    flood: FloodGuard
    offload: Offloader
    loop_lag: LoopLagMonitor
    step_pictures: StepPictureCache
    heartbeat: Heartbeat = field(default_factory=Heartbeat)
    dispatch: DispatcherState = field(default_factory=DispatcherState)
