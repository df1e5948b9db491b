"""Step pictures: the render time of the whole catalogue, and a step press with a first upload
against one that reuses the stored file_id, beside a text-only step as the baseline, in the
same run, printed as tables.

Render: every step's diagram (PNG) and animation (GIF) drawn into an empty folder, as a first
start-up does (`render_all`), timed per kind; the sizes of what was drawn.

Press latency: the real bot and the emulator in this process, over real HTTP. A user walks the
classic routine pressing Next; each press is timed from the callback query being handed to the
emulator to the next step's message arriving there. Three rows:
- text: PICTURES_DIR empty, every step as text (what a step cost before pictures);
- upload: a fresh database, so each step's picture is read from the cache folder and uploaded;
- reuse: a second user on the same database, every picture sent by its file_id.
`--rounds` rounds, each with a fresh database, are pooled. The emulator stores an upload in
memory, where Telegram takes it over the network and converts a GIF to MP4: against Telegram
the upload row is slower still, and the reuse row is what every user after the first sees.

    python bench/step_pictures.py [--rounds 5] [--routine classic]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application, load_content, running  # noqa: E402
from bot.catalog import Catalog  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.pictures.animation import step_animation  # noqa: E402
from bot.pictures.strokes import step_diagram  # noqa: E402
from bot.services.step_pictures import render_all, step_pictures  # noqa: E402
from bot.telegram.services import BOT_DATA_KEY  # noqa: E402
from emulator import BotApiEmulator, EmulatedUser  # noqa: E402
from tests.support.bot import settings_for  # noqa: E402
from tests.support.walks import start_routine  # noqa: E402


def _render_times(catalog: Catalog) -> list[tuple[str, int, float, list[int]]]:
    """(kind, how many distinct, seconds, sizes in bytes) for diagrams and animations."""
    distinct = {p.key: p for p in step_pictures(catalog)}.values()
    rows = []
    for kind, draw in (("diagram (PNG)", step_diagram), ("animation (GIF)", step_animation)):
        started = time.perf_counter()
        sizes = [len(draw(p.strokes, p.areas)) for p in distinct]
        rows.append((kind, len(sizes), time.perf_counter() - started, sizes))
    return rows


async def _walk(user: EmulatedUser, application, routine_id: str) -> list[float]:
    """Seconds from each Next press to the next step's arrival."""
    await user.send("/help")
    await user.wait_for_bot_message()
    view = await start_routine(application, user.id, routine_id)
    total = len(view.routine.steps)
    step = await user.wait_for_bot_message(lambda m: m.content.startswith(f"Step 1 of {total}"))
    timings = []
    for number in range(2, total + 1):
        started = time.perf_counter()
        await user.press(step, "Next")
        step = await user.wait_for_bot_message(
            lambda m, n=number: m.content.startswith(f"Step {n} of {total}")
        )
        timings.append(time.perf_counter() - started)
    await user.press(step, "Done")
    await user.wait_for_bot_message(lambda m: "Well done" in m.content)
    return timings


async def _round(
    folder: Path | None, routine_id: str, users: int, work: Path, round_no: int
) -> list[list[float]]:
    """One fresh database; each user's walk timings, in order."""
    database = work / f"round-{round_no}-{'pictures' if folder else 'text'}.db"
    async with BotApiEmulator() as emulator:
        # The tests' settings (the emulator's addresses, no flood limit), quiet and unpaced.
        settings = settings_for(
            emulator,
            f"sqlite+aiosqlite:///{database}",
            log_level="WARNING",
            rate_limit=False,
            pictures_dir=folder,
        )
        application = build_application(settings)
        async with running(application):
            await application.bot_data[BOT_DATA_KEY].step_pictures.wait_warm()
            return [
                await _walk(emulator.user(9000 + n), application, routine_id) for n in range(users)
            ]


def _row(name: str, samples: list[float], baseline: float | None) -> str:
    ms = sorted(s * 1000 for s in samples)
    p50, p95 = statistics.median(ms), ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    ratio = f"{p50 / baseline:.2f}x" if baseline else "1.00x"
    return f"{name:<34}{len(ms):>6}{p50:>10.1f}{p95:>10.1f}{ms[-1]:>10.1f}{ratio:>10}"


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--routine", default="classic")
    args = parser.parse_args()
    catalog = load_content(load_settings(_env_file=None))

    print("Rendering every distinct step picture (a first start-up):")
    print(f"{'kind':<20}{'pictures':>9}{'seconds':>9}{'KB min':>9}{'KB med':>9}{'KB max':>9}")
    for kind, count, seconds, sizes in _render_times(catalog):
        kb = sorted(s / 1024 for s in sizes)
        print(
            f"{kind:<20}{count:>9}{seconds:>9.1f}{kb[0]:>9.0f}"
            f"{statistics.median(kb):>9.0f}{kb[-1]:>9.0f}"
        )

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folder = work / "pictures"
        started = time.perf_counter()
        render_all(catalog, folder, lambda *_: None, readable=False)
        print(f"render_all into an empty folder: {time.perf_counter() - started:.1f} s")
        text, upload, reuse = [], [], []
        for round_no in range(args.rounds):
            (alone,) = await _round(None, args.routine, 1, work, round_no)
            text += alone
            first, second = await _round(folder, args.routine, 2, work, round_no)
            upload += first
            reuse += second
    print()
    print(f"A step press on {args.routine!r}, until the next step arrives ({args.rounds} rounds):")
    print(f"{'row':<34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'vs text':>10}")
    baseline = statistics.median(text) * 1000
    print(_row("text only (baseline)", text, None))
    print(_row("picture, first upload", upload, baseline))
    print(_row("picture, file_id reused", reuse, baseline))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
