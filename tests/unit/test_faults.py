"""Garbage and 5xx answers (FAKE homeserver): shown as disconnected, never fatal, recovered from."""

import asyncio

from tests.harness.waiting import assert_stays_async
from tests.support.fake_homeserver import FakeHomeserver
from tests.support.sessions import session_for, wait_for
from tray_app.session import SessionTimings
from tray_app.session_state import Connection
from tray_app.states import PresenceState


def run_fault(tmp_path, kind):
    async def main():
        async with FakeHomeserver(api="stable", override="unavailable") as fake:
            fake.faults["/_matrix/client/v1/presence"] = kind
            session = session_for(fake.base_url, tmp_path)
            await session.start()
            try:
                await wait_for(lambda: session.state.connection is Connection.DISCONNECTED)
                broken = session.state
                fake.faults.clear()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                return broken, session.state
            finally:
                await session.close()

    return asyncio.run(main())


def test_garbage_json(tmp_path):
    broken, healed = run_fault(tmp_path, "garbage")
    assert "not a JSON object" in broken.last_error
    assert healed.override.state.value == "unavailable" and healed.last_error is None


def test_http_500(tmp_path):
    broken, healed = run_fault(tmp_path, "500")
    assert "HTTP 500" in broken.last_error
    assert healed.connection is Connection.CONNECTED


def test_html_error_page(tmp_path):
    broken, _ = run_fault(tmp_path, "html")
    assert "HTTP 502" in broken.last_error


def test_unreachable_server_is_disconnected_not_dead(tmp_path):
    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)  # discard port: refused
        await session.start()
        try:
            await wait_for(lambda: session.state.connection is Connection.DISCONNECTED)
            await assert_stays_async(  # several retries happen; the task must still be alive
                lambda: session._runner is not None and not session._runner.done(), 0.3, "the session's task alive"
            )
            return session.state
        finally:
            await session.close()

    state = asyncio.run(main())
    assert "unreachable" in state.last_error


def test_backoff_grows_when_only_sync_fails(tmp_path):
    """Connecting works but /sync always fails: the retries must slow down, not spin."""

    async def main():
        async with FakeHomeserver(api="stable") as fake:
            fake.faults["/_matrix/client/v3/sync"] = "502"
            # The fake has no rc_presence, and a sync answered with an error is spaced like a
            # counted one: without this, each cycle would wait out the spacing, not the backoff.
            session = session_for(fake.base_url, tmp_path, timings=SessionTimings(presence_sync_spacing=0.0))
            delays: list[float] = []

            async def record(delay):
                delays.append(delay)
                await asyncio.sleep(0)

            session._sleep_or_retry = record
            events = []
            session.subscribe_events(lambda e, m: events.append(e))
            await session.start()
            try:
                await wait_for(lambda: len(delays) >= 7)
            finally:
                await session.close()
            return delays, events

    delays, events = asyncio.run(main())
    # FAST_BACKOFF: base 0.05 doubling, capped at 0.5
    assert delays[:7] == [0.05, 0.1, 0.2, 0.4, 0.5, 0.5, 0.5]
    assert events == []  # no "reconnected" notice per cycle


def test_non_matrix_404_means_no_override_api(tmp_path):
    """A reverse proxy answering plain-text 404 for the override paths: emulated, not broken."""

    async def main():
        async with FakeHomeserver(api="stable") as fake:
            fake.faults["/_matrix/client/v1/presence"] = "404"
            fake.faults["/_matrix/client/unstable"] = "404"
            session = session_for(fake.base_url, tmp_path)
            try:
                return await session.refresh()
            finally:
                await session.close()

    assert asyncio.run(main()).api.value == "emulated"


def test_invalid_utf8_is_not_a_crash(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable") as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                await session.refresh()
                fake.faults["/_matrix/client/v1/presence"] = "badutf8"
                return await session.refresh()
            finally:
                await session.close()

    state = asyncio.run(main())
    assert state.override.state is None  # an unknown value, kept verbatim


def test_a_cancelled_set_leaves_no_pending_mark(tmp_path):
    async def main():
        async with FakeHomeserver(api="stable", put_delay=5) as fake:
            session = session_for(fake.base_url, tmp_path)
            try:
                await session.refresh()
                task = asyncio.create_task(session.set_override(PresenceState.OFFLINE))
                await wait_for(lambda: any(m == "PUT" for m, _, _ in fake.log))
                assert session.state.pending is not None
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                return session.state
            finally:
                await session.close()

    assert asyncio.run(main()).pending is None
