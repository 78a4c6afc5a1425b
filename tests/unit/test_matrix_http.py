import pytest

from tray_app.errors import BadResponse, RateLimited, ServerRefused, TokenRejected
from tray_app.matrix.http import parse_matrix_answer


def test_success_returns_the_object():
    assert parse_matrix_answer(200, '{"presence_override": "online"}', "x") == {"presence_override": "online"}


def test_garbage_is_a_bad_response():
    with pytest.raises(BadResponse, match="not a JSON object"):
        parse_matrix_answer(200, "{not json", "the override request")
    with pytest.raises(BadResponse, match="not a JSON object"):
        parse_matrix_answer(200, "[1, 2]", "x")


def test_500_without_matrix_error():
    with pytest.raises(BadResponse, match="HTTP 500"):
        parse_matrix_answer(500, "Internal Server Error", "x")


def test_429_carries_retry_after():
    with pytest.raises(RateLimited) as e:
        parse_matrix_answer(429, '{"errcode": "M_LIMIT_EXCEEDED", "error": "slow", "retry_after_ms": 1234}', "x")
    assert e.value.retry_after_ms == 1234 and e.value.exit_code == 5
    with pytest.raises(RateLimited) as e:
        parse_matrix_answer(429, "", "x", retry_after_header="2")
    assert e.value.retry_after_ms == 2000


@pytest.mark.parametrize("soft", [True, False])
def test_unknown_token(soft):
    body = '{"errcode": "M_UNKNOWN_TOKEN", "error": "gone", "soft_logout": %s}' % str(soft).lower()
    with pytest.raises(TokenRejected) as e:
        parse_matrix_answer(401, body, "x")
    assert e.value.soft_logout is soft
    assert "sign in again" in e.value.message
    assert e.value.exit_code == 3


def test_refusal_keeps_errcode_and_error():
    with pytest.raises(ServerRefused) as e:
        parse_matrix_answer(403, '{"errcode": "M_FORBIDDEN", "error": "nope"}', "x")
    assert (e.value.errcode, e.value.error, e.value.status) == ("M_FORBIDDEN", "nope", 403)
    assert "M_FORBIDDEN" in e.value.message and e.value.exit_code == 5
