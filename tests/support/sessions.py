"""Building sessions for tests: `session_for` without the keyring or a login round-trip,
`signed_in` through a real login (integration tests)."""

from __future__ import annotations

from pathlib import Path

from tests.support.memory_keyring import MemoryKeyring
from tray_app.accounts import Accounts
from tray_app.backoff import Backoff
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.emulation import FightTracker
from tray_app.session import Session, SessionTimings
from tray_app.settings import Settings

FAST_BACKOFF = Backoff(base=0.05, cap=0.5, jitter=0)


# A short long poll: these tests are not about its length.
SHORT_POLL = SessionTimings(sync_timeout_ms=1000)


def accounts_for(tmp_path, timings: SessionTimings = SessionTimings()) -> Accounts:
    backend = MemoryKeyring()
    backend.items.clear()
    return Accounts(CredentialStore(backend), Settings.load(tmp_path / "settings.json"), timings)


async def signed_in(server, user, tmp_path, *, timings: SessionTimings = SHORT_POLL, **session_kw):
    accounts = accounts_for(tmp_path, timings)
    session = await accounts.login_password(user.user_id, user.password, homeserver=server.base_url)
    session._backoff = FAST_BACKOFF
    for key, value in session_kw.items():
        setattr(session, key, value)
    return accounts, session


def session_for(
    homeserver: str,
    tmp_path: Path,
    *,
    user_id: str = "@alice:localhost",
    device_id: str = "TESTDEVICE",
    token: str = "not-a-real-token",
    fight: FightTracker | None = None,
    timings: SessionTimings = SessionTimings(),
) -> Session:
    store = CredentialStore(MemoryKeyring())
    settings = Settings.load(tmp_path / "settings.json")
    creds = StoredCredentials(homeserver, user_id, device_id, token)
    store.save(creds)
    settings.add_account(user_id)
    return Session(creds, store=store, settings=settings, reconnect_backoff=FAST_BACKOFF, fight=fight, timings=timings)


async def wait_for(predicate, timeout: float = 30.0, interval: float = 0.02) -> None:
    """Wait until predicate() is true; fail with the timeout otherwise (no wall-clock assertion)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not reached within {timeout} s")
        await asyncio.sleep(interval)
