"""`python -m tests.soak.clocked_bot`: exactly `python -m bot run`, with a controlled clock.

The soak test runs the real bot as child processes (so that SIGKILL is real) while it moves
simulated time in steps. This runner changes two things and nothing else:

- the Application is built with a `FileClock` reading SOAK_CLOCK_FILE (the simulated instant
  the test writes), instead of the system clock;
- the reminder dispatcher ticks once each time that instant changes, instead of at real minute
  boundaries, and records each finished tick in SOAK_TICK_FILE. The test moves time only when
  every live instance has finished its tick at the current instant: a lease measured in
  simulated minutes must never expire under a send that is still in flight in real time.

Everything else (settings, logging, migrations, webhook serving, signals) is `bot.__main__`'s
own code. `bot.__main__._run` builds the Application itself with no way to pass a clock, so the
runner swaps `bot.app.build_application` for a version that adds one; a `clock` argument on
`_run` (or a `build` callable) would make that swap unnecessary.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import bot.app
from bot import __main__ as cli
from bot.telegram import dispatcher
from tests.soak.clock_file import FileClock

# How often the stepper looks at the clock (real seconds); a tick follows each change.
POLL_S = 0.005
STEPPER = "soak-stepper"
# APScheduler drops a run that starts over 1 s late (a busy loop) by default, which would end
# the chain of runs for good.
_ANY_DELAY = {"misfire_grace_time": None}

log = logging.getLogger("tests.soak")


class TickRecord:
    """The last dispatcher tick of this process: `start <instant>` or `done <instant>`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, state: str, instant: datetime) -> None:
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(f"{state} {instant.isoformat()}\n")
        os.replace(partial, self.path)


class Stepper:
    """The dispatcher's production callback, run once per simulated instant."""

    def __init__(self, clock: FileClock, record: TickRecord) -> None:
        self.clock = clock
        self.record = record
        self.last: datetime | None = None

    def start(self, job_queue: Any) -> None:
        # One job at a time, each scheduling the next when it ends: a repeating job would
        # overlap a long tick and APScheduler would log a warning every POLL_S meanwhile.
        job_queue.run_once(self, when=0, name=STEPPER, job_kwargs=_ANY_DELAY)

    async def __call__(self, context: Any) -> None:
        try:
            now = self.clock.now()
            if now != self.last:
                self.record.write("start", now)
                # Names the tick in the log, so that a failure inside it can be traced to it.
                log.info("soak: tick at %s", now.isoformat())
                try:
                    await dispatcher.on_tick(context)
                finally:
                    # Also after an error (its traceback is in the log, which fails the soak):
                    # retrying every POLL_S would bury the log in copies of it.
                    self.last = now
                    self.record.write("done", now)
        finally:
            context.job_queue.run_once(self, when=POLL_S, name=STEPPER, job_kwargs=_ANY_DELAY)


def install(clock: FileClock, record: TickRecord) -> None:
    real_build = bot.app.build_application
    real_schedule = dispatcher.schedule
    stepper = Stepper(clock, record)

    def build_application(settings: Any, **kwargs: Any) -> Any:
        return real_build(settings, **{**kwargs, "clock": clock})

    def schedule(job_queue: Any, now: datetime) -> None:
        real_schedule(job_queue, now)
        # The production schedule stays (any other job it adds keeps running); only its ticks
        # at real minute boundaries give way to the stepper.
        ticks = [job for job in job_queue.jobs() if job.callback is dispatcher.on_tick]
        if not ticks:
            raise RuntimeError(
                "the soak runner expects dispatcher.schedule to run dispatcher.on_tick"
            )
        for job in ticks:
            job.schedule_removal()
        stepper.start(job_queue)

    bot.app.build_application = build_application
    dispatcher.schedule = schedule


def main() -> int:
    clock = FileClock(Path(os.environ["SOAK_CLOCK_FILE"]))
    install(clock, TickRecord(Path(os.environ["SOAK_TICK_FILE"])))
    return cli.main(["run"])


if __name__ == "__main__":
    sys.exit(main())
