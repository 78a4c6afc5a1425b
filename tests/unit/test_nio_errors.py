"""Errors that come back through nio's own methods (login, sync, logout) map like raw ones."""

import pytest
from nio.responses import ErrorResponse, SyncResponse

from tray_app.errors import BadResponse, RateLimited, ServerRefused, TokenRejected
from tray_app.matrix.http import make_client, raise_for_nio


def err(message, errcode, retry=None, soft=False):
    return ErrorResponse(message, errcode, retry, soft)


def test_success_passes():
    ok = SyncResponse.from_dict({"next_batch": "s1"})
    assert raise_for_nio(make_client("https://x"), ok, "sync") is None


def test_soft_logout_through_nio():
    with pytest.raises(TokenRejected) as e:
        raise_for_nio(make_client("https://x"), err("gone", "M_UNKNOWN_TOKEN", soft=True), "sync")
    assert e.value.soft_logout and "expired" in e.value.message


def test_rate_limit_through_nio():
    with pytest.raises(RateLimited) as e:
        raise_for_nio(make_client("https://x"), err("slow", "M_LIMIT_EXCEEDED", retry=700), "sync")
    assert e.value.retry_after_ms == 700


def test_unparsable_answer_through_nio():
    with pytest.raises(BadResponse):
        raise_for_nio(make_client("https://x"), ErrorResponse("unknown error"), "sync")


def test_refusal_through_nio():
    with pytest.raises(ServerRefused) as e:
        raise_for_nio(make_client("https://x"), err("bad filter", "M_INVALID_PARAM"), "sync")
    assert e.value.errcode == "M_INVALID_PARAM"
