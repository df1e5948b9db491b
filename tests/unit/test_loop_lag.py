"""The lag monitor's bookkeeping: the window, the count, the throttled warning, percentiles."""

from __future__ import annotations

import asyncio
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.loop_lag import BUCKETS_MS, WARN_EVERY_S, WINDOW_S, LoopLagMonitor, histogram_percentile


def test_worst_of_the_last_minute_forgets_older_samples():
    monitor = LoopLagMonitor(threshold_ms=50)
    monitor.record(400, at=100.0)
    monitor.record(10, at=100.0 + WINDOW_S / 2)
    assert monitor.worst_recent_ms(now=100.0 + WINDOW_S / 2) == 400
    monitor.record(12, at=100.0 + WINDOW_S + 1)
    assert monitor.worst_recent_ms(now=100.0 + WINDOW_S + 1) == 12


def test_blocks_over_the_threshold_are_counted_and_warned_at_most_every_ten_seconds(caplog):
    monitor = LoopLagMonitor(threshold_ms=50)
    with caplog.at_level(logging.WARNING, logger="bot.loop_lag"):
        monitor.record(49, at=0.0)  # under: neither counted nor warned
        monitor.record(120, at=1.0)  # warned at once
        monitor.record(70, at=2.0)
        monitor.record(300, at=3.0)  # both held for the next line
        monitor.record(5, at=1.0 + WARN_EVERY_S)  # the next line comes with the next sample
    assert monitor.blocked_total == 3
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "1 time(s) over 50 ms" in lines[0] and "worst 120 ms" in lines[0]
    assert "2 time(s) over 50 ms" in lines[1] and "worst 300 ms" in lines[1]


def test_the_histogram_puts_each_sample_in_its_bucket():
    monitor = LoopLagMonitor(threshold_ms=50)
    for lag in (0.0, 1.0, 1.5, 49.0, 2000.0, 2500.0):
        monitor.record(lag, at=0.0)
    histogram = monitor.histogram()
    assert histogram["1"] == 2 and histogram["2"] == 1 and histogram["50"] == 1
    assert histogram["2000"] == 1 and histogram["+Inf"] == 1
    assert sum(histogram.values()) == 6


@given(
    early=st.lists(st.floats(0, 3000), max_size=50),
    run=st.lists(st.floats(0, 3000), min_size=1, max_size=200),
    p=st.sampled_from([50, 95, 99]),
)
def test_percentiles_between_two_readings_count_only_the_samples_in_between(early, run, p):
    monitor = LoopLagMonitor(threshold_ms=50)
    for lag in early:
        monitor.record(lag, at=0.0)
    before = monitor.histogram()
    for lag in run:
        monitor.record(lag, at=0.0)
    got = histogram_percentile(before, monitor.histogram(), p)
    # The exact nearest-rank percentile of the run lies in the bucket whose bound is reported.
    exact = sorted(run)[max(0, -(-len(run) * p // 100) - 1)]
    bounds = [0.0, *BUCKETS_MS, float("inf")]
    index = bounds.index(got)
    assert bounds[index - 1] <= exact <= got


def test_no_samples_in_between_give_zero():
    monitor = LoopLagMonitor(threshold_ms=50)
    monitor.record(10, at=0.0)
    reading = monitor.histogram()
    assert histogram_percentile(reading, reading, 99) == 0.0


@pytest.mark.parametrize("threshold", [0.5, 50.0])
async def test_the_monitor_samples_in_the_running_loop_and_stops(threshold):
    monitor = LoopLagMonitor(threshold_ms=threshold)
    monitor.start()
    for _ in range(100):  # bounded: 5 s at most, whatever the machine's load
        if sum(monitor.histogram().values()) >= 3:
            break
        await asyncio.sleep(0.05)
    await monitor.stop()
    taken = sum(monitor.histogram().values())
    assert taken >= 3
    await asyncio.sleep(0.15)
    assert sum(monitor.histogram().values()) == taken, "no samples after stop()"
