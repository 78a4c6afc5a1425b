"""Garbage and 5xx answers (FAKE homeserver): shown as disconnected, never fatal, recovered from."""

import asyncio

from tests.support.fake_homeserver import FakeHomeserver
from tests.support.sessions import session_for, wait_for
from tray_app.session_state import Connection


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
            await asyncio.sleep(0.3)  # several retries happen; the task must still be alive
            assert session._runner is not None and not session._runner.done()
            return session.state
        finally:
            await session.close()

    state = asyncio.run(main())
    assert "unreachable" in state.last_error
