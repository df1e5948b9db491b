"""The soak test (issue 10, point 9): see tests/soak/run.py for what it does and README.md
("The soak test") for how to run a longer one. On PostgreSQL only, with two instances: skipped,
and said so, without TEST_DATABASE_URL."""

from __future__ import annotations

import os

import pytest

from tests.soak.run import Soak, SoakConfig
from tests.soak.summary import table
from tests.support.databases import postgres_url

# CI bound: SOAK_WALL_S (270 s) for the run itself, plus start-up and judging.
TIMEOUT_S = float(os.environ.get("SOAK_WALL_S", SoakConfig.wall_s)) + 90


@pytest.mark.soak
@pytest.mark.timeout(TIMEOUT_S)
async def test_soak(tmp_path, record_property):
    url = postgres_url()
    config = SoakConfig.from_env()
    print(f"\nsoak seed {config.seed}")
    report = await Soak(config, url, tmp_path).run()
    summary = table(report)
    print(summary)
    (tmp_path / "summary.txt").write_text(summary)
    record_property("soak_summary", summary)
    assert report.ok, summary
