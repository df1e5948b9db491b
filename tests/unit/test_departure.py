"""Whether a failed request may have reached Telegram: an answer or a failure before the request
was written proves it did not (send again); no answer after writing may mean it did."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram.departure import may_have_arrived


def _raised_from(error: Exception, cause: BaseException | None) -> Exception:
    """As PTB raises its errors: `raise error from cause`."""
    try:
        raise error from cause
    except Exception as raised:
        return raised


@pytest.mark.parametrize(
    ("error", "arrived"),
    [
        (_raised_from(TimedOut(), httpx.ReadTimeout("read")), True),
        (_raised_from(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), True),
        (
            _raised_from(NetworkError("gone"), httpx.RemoteProtocolError("no response")),
            True,
        ),
        (_raised_from(TimedOut(), httpx.ConnectTimeout("connect")), False),
        (_raised_from(TimedOut("pool"), httpx.PoolTimeout("pool")), False),
        (_raised_from(NetworkError("refused"), httpx.ConnectError("refused")), False),
        (_raised_from(NetworkError("write"), httpx.WriteError("broken pipe")), False),
        (NetworkError("Bad Gateway"), False),  # a 5xx answer
        (RetryAfter(3), False),  # a 429 answer
        (BadRequest("chat not found"), False),
        (_raised_from(NetworkError("Unknown error in HTTP implementation"), OSError()), True),
    ],
)
def test_what_may_have_arrived(error, arrived):
    assert may_have_arrived(error) is arrived
