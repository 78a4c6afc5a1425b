"""Synapse keeps a user's BUSY against every sync's set_presence (only PUT status leaves it):
after an automatic busy of this device, a sync carrying the next state does not count as having
told it, so the announce loop still PUTs it (seen on a real Synapse in
tests/desktop/test_do_not_disturb_presence.py: a rate-limited PUT of online was dropped once a
sync carried it, and the observer stayed busy)."""

from __future__ import annotations

import asyncio

from tests.support.sessions import session_for


def test_a_sync_does_not_count_as_leaving_busy(tmp_path) -> None:
    async def main() -> list[str | None]:
        session = session_for("http://127.0.0.1:9", tmp_path)
        told = []
        try:
            session._announced = "busy"
            session._sync_carries("online")
            told.append(session._announced)  # still busy: the PUT of online goes out
            session._sync_carries("busy")
            told.append(session._announced)
            session._announced = "online"
            session._sync_carries("unavailable")  # any other change: the sync tells it, as before
            told.append(session._announced)
            session._sync_carries("offline")
            told.append(session._announced)
        finally:
            await session.close()
        return told

    assert asyncio.run(main()) == ["busy", "busy", "unavailable", None]
