"""The signed-in accounts: where sessions come from and go to.

Both the command line and the tray go through this, so signing in, restoring
from the keyring and signing out behave the same everywhere.
"""

from __future__ import annotations

import logging

from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import NotSignedIn, UsageError
from tray_app.matrix.homeserver import check_homeserver_url, discover_homeserver, login_flows
from tray_app.session import Session, SessionTimings, login_password, login_token
from tray_app.settings import Settings

log = logging.getLogger(__name__)


class Accounts:
    def __init__(
        self,
        store: CredentialStore | None = None,
        settings: Settings | None = None,
        timings: SessionTimings = SessionTimings(),
    ) -> None:
        self.settings = settings or Settings.load()
        self.timings = timings  # of every session made here (tests and the soak shorten them)
        self.store = store or CredentialStore(remembered=self.settings.keyring_backend)

    def signed_in(self) -> list[str]:
        """User IDs with a stored session, in the order they were signed in."""
        return list(self.settings.accounts)

    def pick(self, user_id: str | None) -> str:
        """The account a command means: the one named, or the only one."""
        accounts = self.signed_in()
        if user_id:
            if user_id not in accounts:
                raise NotSignedIn(f"{user_id} is not signed in; run: presence-tray login {user_id}")
            return user_id
        if not accounts:
            raise NotSignedIn("not signed in; run: presence-tray login @you:your.server")
        if len(accounts) > 1:
            raise UsageError("several accounts are signed in; choose one with --account: " + ", ".join(accounts))
        return accounts[0]

    def restore(self, user_id: str) -> Session:
        """A session for a stored account (keyring read; no network yet)."""
        session = self._session_for(user_id, self.store.load(user_id))
        self._remember_backend()
        return session

    def _remember_backend(self) -> None:
        """Note which keyring backend holds the logins, so the next start loads just that one."""
        name = self.store.backend_name()
        if self.settings.keyring_backend != name:
            try:
                self.settings.set_keyring_backend(name)
            except Exception as e:  # an unwritable settings file only costs the next start time
                log.info("could not note the keyring backend: %s", e)

    def _session_for(self, user_id: str, creds: StoredCredentials | None) -> Session:
        if creds is None:
            raise NotSignedIn(f"no stored login for {user_id} in the keyring; run: presence-tray login {user_id}")
        return Session(creds, store=self.store, settings=self.settings, timings=self.timings)

    async def arestore(self, user_id: str) -> Session:
        """`restore` without blocking the event loop on the keyring (see CredentialStore.aload)."""
        creds = await self.store.aload(user_id)
        session = self._session_for(user_id, creds)
        self._remember_backend()
        return session

    async def login_password(self, user_id: str, password: str, *, homeserver: str | None = None) -> Session:
        session = await login_password(
            user_id, password, homeserver=homeserver, store=self.store, settings=self.settings, timings=self.timings
        )
        self._remember_backend()
        return session

    async def login_token(self, homeserver: str, token: str) -> Session:
        session = await login_token(homeserver, token, store=self.store, settings=self.settings, timings=self.timings)
        self._remember_backend()
        return session

    async def logout(self, session: Session) -> None:
        """Server-side logout, then the keyring item and the account entry go."""
        await session.logout()

    def forget(self, user_id: str) -> None:
        """Remove an account from this computer only, even one whose login cannot be read."""
        self.settings.remove_account(user_id)
        self.store.delete(user_id)


__all__ = [
    "Accounts",
    "StoredCredentials",
    "check_homeserver_url",
    "discover_homeserver",
    "login_flows",
]
