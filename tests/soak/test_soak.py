"""The soak test (issue 10, point 9): see tests/soak/run.py for what it does and README.md
("The soak test") for how to run a longer one. On PostgreSQL only, with two instances: skipped,
and said so, without TEST_DATABASE_URL."""

from __future__ import annotations

import os

import pytest

from tests.soak.conftest import SUMMARY
from tests.soak.run import Soak, SoakConfig
from tests.soak.summary import table
from tests.support.databases import postgres_url

# The CI bound, about 8 minutes: SOAK_WALL_S (420 s) for the steps, the rest for starting and
# judging.
TIMEOUT_S = float(os.environ.get("SOAK_WALL_S", SoakConfig.wall_s)) + 55


@pytest.mark.soak
@pytest.mark.timeout(TIMEOUT_S)
async def test_soak(tmp_path, record_property, pytestconfig):
    url = postgres_url()
    config = SoakConfig.from_env()
    # First, so that a run cut short still says how to replay it.
    print(f"\nsoak seed {config.seed} (SOAK_SEED={config.seed} to replay)")
    report = await Soak(config, url, tmp_path).run()
    summary = table(report)
    (tmp_path / "summary.txt").write_text(summary)
    # In the JUnit report, and in the terminal report (tests/soak/conftest.py), pass or fail.
    record_property("soak_summary", summary)
    pytestconfig.stash[SUMMARY] = summary
    failed = [verdict.name for verdict in report.verdicts if not verdict.ok]
    if report.steps_done < config.steps:
        failed.append(f"stopped after {report.steps_done} of {config.steps} steps")
    if failed:
        pytest.fail(f"soak invariants failed: {failed}; see the soak summary", pytrace=False)
