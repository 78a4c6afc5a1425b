"""Logins in the OS keyring: one item per account, never the password.

Every keyring failure becomes a `CredentialStoreError` whose message says what
to do. There is no plain-text fallback: a login we cannot store safely is not
stored at all.
"""

from __future__ import annotations

import concurrent.futures
import gc
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tray_app import APP_ID
from tray_app.errors import CredentialStoreError

if TYPE_CHECKING:
    import keyring.backend

# keyring is imported where it is used, not here: its import alone costs ~55 ms of CPU (jaraco's
# urllib.request and tarfile, importlib_metadata), which the applet's start leaves to a child
# process (`CredentialStore.prefetch`).

log = logging.getLogger(__name__)

SERVICE = APP_ID


@dataclass(frozen=True)
class StoredCredentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str = field(repr=False)

    def to_secret(self) -> str:
        return json.dumps(
            {
                "homeserver": self.homeserver,
                "user_id": self.user_id,
                "device_id": self.device_id,
                "access_token": self.access_token,
            }
        )

    @classmethod
    def from_secret(cls, secret: str) -> StoredCredentials:
        data = json.loads(secret)
        return cls(
            homeserver=str(data["homeserver"]),
            user_id=str(data["user_id"]),
            device_id=str(data["device_id"]),
            access_token=str(data["access_token"]),
        )


_LOCKED = (
    "The system keyring is locked. Unlock it (log in to your desktop session, or open "
    "your keyring manager such as Seahorse or KWallet) and try again."
)
_MISSING = (
    "No system keyring is available to store your login safely. Install and start a "
    "Secret Service provider (gnome-keyring or KWallet) and try again; Presence Tray "
    "never stores a login in plain text."
)


async def _in_thread(fn, *args):
    # asyncio is imported here, not at the top: the applet's start imports this module and
    # starts reading the keyring (`prefetch`) before asyncio (~30 ms) is imported.
    import asyncio  # noqa: PLC0415

    return await asyncio.to_thread(fn, *args)


def _remembered_backend(name: str) -> keyring.backend.KeyringBackend | None:
    """The backend that holds our logins, loaded by name: keyring's own search imports and
    probes every installed backend (~0.1-0.4 s), on each start and each `status`. The user's
    own choice (PYTHON_KEYRING_BACKEND, keyringrc.cfg) still wins."""
    import keyring.core  # noqa: PLC0415

    if os.environ.get("PYTHON_KEYRING_BACKEND") or keyring.core.load_config() is not None:
        return None
    try:
        return keyring.core.load_keyring(name)
    except Exception as e:  # gone or unusable now: let keyring choose, as before
        log.info("the keyring backend %s that held the logins is not usable (%s)", name, type(e).__name__)
        return None


class CredentialStore:
    def __init__(self, backend: keyring.backend.KeyringBackend | None = None, *, remembered: str | None = None) -> None:
        """`remembered`: the name (`module.Class`) of the backend that held the logins last time."""
        self._backend = backend
        self._remembered = remembered
        self._prefetched: dict[str, concurrent.futures.Future] = {}
        self._child_backend_name: str | None = None  # what the prefetch's child process used

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        if self._backend is None and self._remembered:
            self._backend = _remembered_backend(self._remembered)
            self._remembered = None
        if self._backend is not None:
            return self._backend
        import keyring  # noqa: PLC0415

        return keyring.get_keyring()

    def backend_name(self) -> str:
        if self._backend is None and self._child_backend_name:
            return self._child_backend_name  # the same choice, made in the prefetch's child
        b = self.backend
        return f"{type(b).__module__}.{type(b).__name__}"

    def check(self) -> None:
        """Fail early (before asking for a password) when the keyring cannot be used."""
        self._require_safe()
        self._call(self.backend.get_password, SERVICE, "__presence-tray-probe__")

    def save(self, creds: StoredCredentials) -> None:
        self._require_safe()
        self._call(self.backend.set_password, SERVICE, creds.user_id, creds.to_secret())

    # The keyring blocks: D-Bus round trips, and a locked keyring may put up an unlock prompt
    # and wait for the user. On the event loop that would freeze the tray, so the session and
    # the applet use these; a worker thread is the one thing keyring leaves us.

    async def acheck(self) -> None:
        await _in_thread(self.check)

    async def asave(self, creds: StoredCredentials) -> None:
        await _in_thread(self.save, creds)

    async def aload(self, user_id: str) -> StoredCredentials | None:
        prefetched = self._prefetched.pop(user_id, None)
        if prefetched is not None:
            import asyncio  # noqa: PLC0415 (see _in_thread)

            return await asyncio.wrap_future(prefetched)
        return await _in_thread(self.load, user_id)

    def prefetch(self, user_ids: list[str]) -> None:
        """Start reading these logins now; the next `aload` of each takes the result. The
        applet's start calls this before importing asyncio and Qt, so the keyring's work
        overlaps with those imports instead of following them.

        On Linux, with no other thread yet and no backend object given, the reads run in a
        forked child process that sends the logins back through a pipe: importing keyring,
        secretstorage and cryptography, and the reads, are ~50-80 ms of CPU, which a thread of
        this process would take from Qt's start under the GIL. Elsewhere, and whenever the child
        gives no answer, a worker thread of this process reads them, as `aload` would."""
        if not user_ids:
            return
        answer = self._fork_reader(user_ids)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyring-prefetch")
        for user_id in user_ids:
            if answer is None:
                self._prefetched[user_id] = pool.submit(self.load, user_id)
            else:
                self._prefetched[user_id] = pool.submit(self._from_child, answer, user_id)
        pool.shutdown(wait=False)

    def _fork_reader(self, user_ids: list[str]) -> Callable[[], dict[str, Any] | None] | None:
        """Fork a child that reads `user_ids` with this store; returns the parent's (blocking,
        once-only) reader of its answer, or None where forking is not safe here."""
        if self._backend is not None or sys.platform != "linux" or threading.active_count() != 1:
            return None
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError as e:
            log.info("cannot fork to read the keyring (%s); reading it in a thread", e)
            os.close(r)
            os.close(w)
            return None
        if pid == 0:
            _child_reads(self, user_ids, r, w)  # never returns
        os.close(w)
        answer: list[dict[str, Any] | None] = []

        def read() -> dict[str, Any] | None:
            if not answer:
                try:
                    with os.fdopen(r, "rb") as pipe:
                        data = pipe.read()
                finally:
                    try:
                        os.waitpid(pid, 0)
                    except ChildProcessError:  # already reaped (SIGCHLD ignored)
                        pass
                try:
                    answer.append(json.loads(data) if data else None)
                except ValueError:
                    answer.append(None)
                if answer[0] is None:
                    log.info("the keyring reader process gave no answer; reading in this process")
            return answer[0]

        return read

    def _from_child(self, read: Callable[[], dict[str, Any] | None], user_id: str) -> StoredCredentials | None:
        answer = read()
        item = answer.get("logins", {}).get(user_id) if answer else None
        if not isinstance(item, dict) or answer is None:
            return self.load(user_id)  # no answer: as if nothing had been prefetched
        if self._child_backend_name is None and isinstance(answer.get("backend"), str):
            self._child_backend_name = answer["backend"]
        if "error" in item:
            raise CredentialStoreError(str(item["error"]))
        if item.get("secret") is None:
            return None
        return StoredCredentials.from_secret(item["secret"])

    async def adelete(self, user_id: str) -> None:
        await _in_thread(self.delete, user_id)

    def _require_safe(self) -> None:
        """keyring falls back to plain-text or weak backends (keyrings.alt) without a word;
        those rank below 1, which keyring itself calls "not recommended"."""
        import keyring.backends.fail  # noqa: PLC0415
        import keyring.core  # noqa: PLC0415

        backend = self.backend
        if isinstance(backend, keyring.backends.fail.Keyring):
            raise CredentialStoreError(_MISSING)
        try:
            safe = keyring.core.recommended(backend)
        except Exception as e:  # SecretService checks the daemon here and raises if it is absent
            raise CredentialStoreError(f"The system keyring is not usable ({e}). {_MISSING}") from e
        if not safe:
            raise CredentialStoreError(
                f"The keyring backend {type(backend).__name__} does not store secrets safely. " + _MISSING
            )

    def load(self, user_id: str) -> StoredCredentials | None:
        secret = self._call(self.backend.get_password, SERVICE, user_id)
        if secret is None:
            return None
        try:
            return StoredCredentials.from_secret(secret)
        except (ValueError, KeyError, TypeError):
            log.warning("the keyring item for %s is not in a form we know; ignoring it", user_id)
            return None

    def save_secret(self, name: str, secret: str) -> None:
        """A secret that is no login (the calendar's private address) under `name`, which
        never starts with "@" and so never meets a login's item (`delete(name)` removes it)."""
        self._require_safe()
        self._call(self.backend.set_password, SERVICE, name, secret)

    def load_secret(self, name: str) -> str | None:
        secret = self._call(self.backend.get_password, SERVICE, name)
        return secret if isinstance(secret, str) else None

    def delete(self, user_id: str) -> None:
        import keyring.errors  # noqa: PLC0415

        try:
            self._call(self.backend.delete_password, SERVICE, user_id)
        except CredentialStoreError as e:
            if isinstance(e.__cause__, keyring.errors.PasswordDeleteError):
                return  # already gone
            raise

    def _call(self, fn, *args):
        import keyring.errors  # noqa: PLC0415

        try:
            return fn(*args)
        except keyring.errors.KeyringLocked as e:
            raise CredentialStoreError(_LOCKED) from e
        except keyring.errors.NoKeyringError as e:
            raise CredentialStoreError(_MISSING) from e
        except keyring.errors.PasswordDeleteError as e:
            raise CredentialStoreError("the keyring item was not there") from e
        except keyring.errors.InitError as e:
            raise CredentialStoreError(f"The system keyring could not be opened: {e}. {_MISSING}") from e
        except Exception as e:  # D-Bus and backend faults come in many types
            log.warning("keyring backend %s failed: %s", type(self.backend).__name__, type(e).__name__)
            raise CredentialStoreError(
                f"The system keyring failed ({type(e).__name__}: {e}). Check that it is running "
                "and unlocked, then try again."
            ) from e


def _child_reads(store: CredentialStore, user_ids: list[str], r: int, w: int) -> None:
    """The forked child of `CredentialStore.prefetch`: read each login, write one JSON answer
    (the secrets, or each failure's message, and the backend's name) to the pipe, and exit
    without running anything of the parent's (no atexit, no buffered output flushed twice)."""
    code = 1
    try:
        gc.disable()  # short-lived: no collection walking (and so copying) the parent's pages
        os.close(r)
        logins: dict[str, dict[str, str | None]] = {}
        for user_id in user_ids:
            try:
                creds = store.load(user_id)
                logins[user_id] = {"secret": creds.to_secret() if creds is not None else None}
            except CredentialStoreError as e:
                logins[user_id] = {"error": e.message}
        answer = {"backend": store.backend_name(), "logins": logins}
        with os.fdopen(w, "wb") as pipe:
            pipe.write(json.dumps(answer).encode())
        code = 0
    finally:
        os._exit(code)
