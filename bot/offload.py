"""Work that would hold the event loop, run in a bounded pool of threads instead.

Drawing a picture takes tens of milliseconds, most of it in Pillow's C code (drawing, scaling,
PNG encoding), which releases the GIL; in a coroutine it would hold every other user's update
for that long. Threads, not processes: the inputs and the PNG bytes pass without pickling, a
worker starts instantly, and the few Python-level steps between Pillow's calls give the loop
the GIL back every switch interval (5 ms). WORKER_THREADS bounds how many run at once; the
rest wait their turn in the pool's queue, and the coroutine that asked just awaits.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Offloader:
    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="offload")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """fn(*args, **kwargs) in a worker thread; the caller's context variables go along."""
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        """Finish what is running and refuse new work (at shutdown)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
