"""The PUT's answer is the confirmation (FAKE homeserver: it answers each way on demand)."""

import asyncio

import pytest

from tests.support.fake_homeserver import FakeHomeserver
from tests.support.sessions import session_for
from tray_app.errors import BadResponse
from tray_app.states import PresenceState


def run_set(tmp_path, put_answer, state, msg=None):
    async def main():
        async with FakeHomeserver(api="unstable", status_msg_flag=True, put_answer=put_answer) as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                await session.refresh()
                fake.log.clear()
                try:
                    result = await session.set_override(state, msg)
                except BadResponse as e:
                    result = e
                return fake.log, result, session.state
            finally:
                await session.close()

    return asyncio.run(main())


@pytest.mark.parametrize("put_answer", ["empty", "stored"])
def test_a_set_is_one_put_whatever_the_server_answers(tmp_path, put_answer):
    log, result, _ = run_set(tmp_path, put_answer, PresenceState.DISABLED, "gone")
    # One PUT confirms the override; a one-shot set (the CLI) then reads what others see.
    assert [(m, p.rsplit("/", 1)[-1], b) for m, p, b in log] == [
        ("PUT", "override", {"presence_override": "support.feline.msc4042.v1.disabled", "status_msg": "gone"}),
        ("GET", "status", None),
    ]
    assert result.override.state is PresenceState.DISABLED and result.status_msg == "gone"
    assert result.presence == "offline" and result.pending is None


def test_a_put_answer_that_differs_is_not_taken_as_confirmation(tmp_path):
    log, result, state = run_set(tmp_path, "other", PresenceState.UNAVAILABLE)
    assert [m for m, p, _ in log if p.endswith("/override")] == ["PUT"]  # no GET of the override
    assert isinstance(result, BadResponse) and "online" in result.message
    assert state.pending is None and state.last_error


def test_a_one_shot_clear_reads_presence_once(tmp_path):
    """The CLI's `clear` has no sync to bring the new presence: it reads it (not the override)."""
    log, result, _ = run_set(tmp_path, "stored", None)
    assert [(m, p.rsplit("/", 1)[-1]) for m, p, _ in log] == [("PUT", "override"), ("GET", "status")]
    assert result.override is None and result.presence == "offline"
