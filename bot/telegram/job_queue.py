"""The JobQueue, stopped without cancelling a job that came due while it was stopping."""

from __future__ import annotations

from telegram.ext import JobQueue


class DrainingJobQueue(JobQueue):
    """PTB's stop waits for the jobs running when it is called, then shuts APScheduler down,
    and APScheduler cancels whatever it submitted in between: a reminder tick or a hands-free
    step due during a slow stop was cancelled before its first line ran, and logged as an
    ERROR ("Error running job ... CancelledError"; found by the soak test). Paused first,
    the scheduler submits nothing new while the running jobs finish; what did not run is
    taken up at the next start (ticks by the dispatcher, hands-free steps by their re-arming).
    """

    async def stop(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.pause()
        await super().stop(wait=wait)
