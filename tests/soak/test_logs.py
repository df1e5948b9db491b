"""Reading the bot's logs: finished updates, and every traceback tied to what caused it."""

from __future__ import annotations

from tests.soak.logs import LogFile

OK = (
    "2026-12-01 10:00:00,001 INFO bot.updates: update id=11 user=5 handler=remind outcome=ok ms=3.0"
)
FAILED = (
    "2026-12-01 10:00:00,002 INFO bot.updates: update id=12 user=5 handler=routine "
    "outcome=error ms=9.0"
)
ERROR = "2026-12-01 10:00:00,003 ERROR bot.telegram.errors: update failed: 'No zone UTC+03:00'"
TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/x/bot/telegram/handlers/routines.py", line 20, in routine_command',
    "    await show_intro(svc, context.bot, user, routine)",
    '  File "/x/bot/domain/local_time.py", line 21, in ritual_date',
    "    local = require_aware(now).astimezone(ZoneInfo(timezone))",
    "zoneinfo._common.ZoneInfoNotFoundError: 'No time zone found with key UTC+03:00'",
]
TICK = "2026-12-01 10:00:01,000 INFO tests.soak: soak: tick at 2026-10-24T07:30:00+00:00"


def log_of(tmp_path, *lines: str) -> LogFile:
    path = tmp_path / "bot.log"
    path.write_text("\n".join(lines) + "\n")
    return LogFile(path, "A#1")


def test_finished_updates_are_read_as_the_log_grows(tmp_path):
    log = log_of(tmp_path, OK)
    assert log.read_new() == [11]
    with (tmp_path / "bot.log").open("a") as handle:
        handle.write(FAILED[:40])  # a line being written: not read yet
    assert log.read_new() == []
    with (tmp_path / "bot.log").open("a") as handle:
        handle.write(FAILED[40:] + "\n")
    assert log.read_new() == [12]
    assert log.finished == {11: "ok", 12: "error"}
    assert log.problems == []


def test_a_traceback_is_tied_to_the_failed_update_and_to_the_code_that_failed(tmp_path):
    log = log_of(tmp_path, OK, FAILED, ERROR, *TRACEBACK, OK)
    log.read_new()
    [problem] = log.problems
    assert problem.update_id == 12
    assert problem.where == "bot/domain/local_time.py:21 in ritual_date"
    # Numbers blurred: the same failure for another offset counts as the same.
    assert problem.signature == (
        "zoneinfo._common.ZoneInfoNotFoundError: 'No time zone found with key UTC#:#' "
        "(in a handler bot/domain/local_time.py ritual_date)"
    )
    assert "ZoneInfoNotFoundError" in problem.describe()
    assert (
        "the project's frames: bot/telegram/handlers/routines.py:20 in routine_command > "
        "bot/domain/local_time.py:21 in ritual_date"
    ) in problem.describe()


def test_a_failure_outside_any_update_is_tied_to_the_dispatcher_tick(tmp_path):
    log = log_of(tmp_path, TICK, ERROR, *TRACEBACK)
    log.read_new()
    [problem] = log.problems
    assert problem.update_id is None
    assert problem.tick == "2026-10-24T07:30:00+00:00"
    assert "(in a dispatcher tick bot/domain/local_time.py ritual_date)" in problem.signature


def test_an_error_line_without_a_traceback_is_a_problem_and_a_warning_is_not(tmp_path):
    warning = "2026-12-01 10:00:00,004 WARNING bot.telegram.dispatcher: 3 reminders in flight"
    log = log_of(tmp_path, warning, ERROR)
    log.read_new()
    assert log.warnings == 1
    assert [p.signature for p in log.problems] == [
        "bot.telegram.errors: update failed: 'No zone UTC#:#'"
    ]
