"""The simulated clock the bot children read from a file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.soak.clock_file import FileClock, write_instant

T = datetime(2026, 10, 24, 7, 30, tzinfo=UTC)


def test_a_reader_sees_each_instant_the_writer_sets(tmp_path):
    path = tmp_path / "clock.txt"
    write_instant(path, T)
    clock = FileClock(path)
    assert clock.now() == T
    for minutes in range(1, 50):
        # Many writes within the file system's timestamp resolution: each one is seen.
        write_instant(path, T + timedelta(minutes=minutes))
        assert clock.now() == T + timedelta(minutes=minutes)
    assert clock.now().tzinfo is not None


def test_a_naive_instant_is_refused(tmp_path):
    with pytest.raises(ValueError, match="timezone-aware"):
        write_instant(tmp_path / "clock.txt", datetime(2026, 10, 24))
