"""The soak's summary in the terminal report, pass or fail, even without `-s`."""

from __future__ import annotations

import pytest

SUMMARY = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config):
    summary = config.stash.get(SUMMARY, None)
    if summary is not None:
        terminalreporter.write_sep("=", "soak summary")
        terminalreporter.write_line(summary)
