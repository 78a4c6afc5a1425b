"""One tray per user and settings profile: a second launch hands over to the running one and exits.

A ``QLockFile`` decides who owns the applet. Its staleness check (the PID in the file no longer
runs that program) lets the next launch take over after the owner was killed with ``kill -9``.
The owner listens on a ``QLocalServer`` (only this user may connect); a second launch connects,
sends ``activate`` and waits for ``ok``, and the owner emits ``activated``.

The key is the user's and the settings profile's: lock and socket names carry a short hash of the
settings folder (``tray_app.settings.config_dir()``, which follows ``XDG_CONFIG_HOME``), so an
applet with other settings (``make demo``, a test) runs beside the user's own, and two launches
with the same settings still hand over.

Where the lock and the socket live (``ipc_paths``, pure so every system's choice can be tested):

- Linux and other Unix: Qt's runtime dir, ``$XDG_RUNTIME_DIR`` (else a private 0700 one Qt makes).
- Windows: ``%LOCALAPPDATA%\\presence-tray`` for the lock (Qt's runtime dir there is the home
  folder, where a lock file would sit in plain sight); the server is a named pipe, a plain name.
- macOS: the per-user temporary folder (``QDir.tempPath()``: ``$TMPDIR``, else Cocoa's
  ``NSTemporaryDirectory()``, ``/private/var/folders/…/T``), and a tag of the uid only: a Unix
  socket's path must fit in 104 bytes, which a long user name in it could exceed.

Only the tray goes through this; command-line subcommands (``status``, ``set``, ...) never do.
"""

from __future__ import annotations

import getpass
import hashlib
import ntpath
import os
import posixpath
import re
import sys
import time

from PySide6.QtCore import QDir, QLockFile, QObject, QStandardPaths, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from tray_app import APP_ID

_REQUEST = b"activate\n"
_REPLY = b"ok\n"
# A second launch waits this long for the owner's answer. At login the owner may be busy for
# seconds (its keyring being unlocked, the session still starting), so this is generous.
NOTIFY_TIMEOUT_MS = 10_000
# sun_path of a Unix socket: 104 bytes on macOS and the BSDs, 108 on Linux, the NUL included.
MAX_SOCKET_PATH = 103


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (containers); the uid still tells users apart
        return "user"


def _safe(tag: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", tag)


def profile_tag(profile: str, platform: str) -> str:
    """8 hex digits naming a settings folder (an absolute path; symlinks already resolved).

    Windows and macOS (by default) do not tell a path's case apart, so neither does the tag there.
    """
    if platform == "win32":
        profile = ntpath.normcase(ntpath.normpath(profile))
    else:
        profile = posixpath.normpath(profile)
        if platform == "darwin":
            profile = profile.lower()
    return hashlib.sha256(profile.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def ipc_paths(
    name: str,
    platform: str,
    *,
    user: str,
    uid: int | None,
    profile: str = "",
    runtime_dir: str = "",
    temp_dir: str = "",
    local_appdata: str = "",
) -> tuple[str, str]:
    """(lock file path, local server name) for ``name`` on ``platform`` (a ``sys.platform``).

    ``profile``: the settings folder (its tag ends the name); ``runtime_dir``: Qt's
    RuntimeLocation (used on Linux and other Unix); ``temp_dir``: ``QDir.tempPath()`` (macOS, and
    the fallback elsewhere); ``local_appdata``: ``%LOCALAPPDATA%``.
    """
    if profile:
        name = f"{name}-{profile_tag(profile, platform)}"
    if platform == "win32":
        # No uid; named pipes are global to the machine, so the user's name tells users apart.
        key = f"{name}-{_safe(user)}"
        folder = ntpath.join(local_appdata, APP_ID) if local_appdata else temp_dir
        return ntpath.join(folder, f"{key}.lock"), key
    if platform == "darwin":
        key = f"{name}-{uid}" if uid is not None else f"{name}-{_safe(user)}"
        folder = temp_dir or "/tmp"
        if len(posixpath.join(folder, f"{key}.sock").encode()) > MAX_SOCKET_PATH:
            folder = "/tmp"  # a $TMPDIR too long for a socket: the shared one, still per uid
    else:
        key = f"{name}-{_safe(user)}-{uid}" if uid is not None else f"{name}-{_safe(user)}"
        folder = runtime_dir or temp_dir or "/tmp"
    return posixpath.join(folder, f"{key}.lock"), posixpath.join(folder, f"{key}.sock")


def _ipc_paths_here(name: str, profile: str | os.PathLike[str] | None) -> tuple[str, str]:
    getuid = getattr(os, "getuid", None)
    platform = sys.platform
    if profile is None:
        from tray_app.settings import config_dir  # noqa: PLC0415

        profile = config_dir()
    return ipc_paths(
        name,
        platform,
        user=_user_name(),
        uid=getuid() if getuid else None,
        # The same folder however it was named (relative, through a symlink).
        profile=os.path.realpath(os.path.abspath(profile)),
        # Linux: XDG_RUNTIME_DIR, else a 0700 folder Qt makes (only asked where it is used).
        runtime_dir=(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
            if platform not in ("win32", "darwin")
            else ""
        ),
        temp_dir=QDir.tempPath(),
        local_appdata=os.environ.get("LOCALAPPDATA", "") if platform == "win32" else "",
    )


class SingleInstance(QObject):
    """Owner election and hand-over for the tray.

    ``try_acquire()`` → True: this process owns the tray and listens; connect ``activated``.
    False: another one runs; call ``notify_running()`` and exit 0 if it answered.
    """

    activated = Signal()

    def __init__(
        self,
        name: str = APP_ID,
        parent: QObject | None = None,
        *,
        profile: str | os.PathLike[str] | None = None,
    ) -> None:
        """``profile``: the settings folder the applet uses (default: ``settings.config_dir()``)."""
        super().__init__(parent)
        # Unix: a socket file next to the lock; Windows: a named pipe (a plain name, not a path).
        self.lock_path, self.server_name = _ipc_paths_here(name, profile)
        self._lock = QLockFile(self.lock_path)
        # 0: a lock is stale only when its process is gone, never by its age alone (Qt's default
        # of 30 s applies when it cannot check the PID).
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def try_acquire(self) -> bool:
        """Take the lock (a dead owner's stale lock included) and start listening."""
        if self._server is not None:
            return True
        try:  # %LOCALAPPDATA%\\presence-tray may not exist yet; the others always do
            os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        except OSError as e:
            raise OSError(f"single instance: cannot create {os.path.dirname(self.lock_path)}: {e}") from e
        if not self._lock.tryLock(0):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False  # held by a live process
            error = self._lock.error().name
            raise OSError(f"single instance: cannot create {self.lock_path} ({error})")
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket left here belongs to a dead owner.
        QLocalServer.removeServer(self.server_name)
        if not server.listen(self.server_name):
            error = server.errorString()
            self._lock.unlock()
            raise OSError(f"single instance: cannot listen on {self.server_name}: {error}")
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def notify_running(self, timeout_ms: int = NOTIFY_TIMEOUT_MS) -> bool:
        """Ask the running owner to activate; True once it acknowledged.

        Retries for a moment: the owner may hold the lock but not listen yet, or be busy (at
        login, e.g. while the keyring asks to be unlocked).
        """
        deadline = _Deadline(timeout_ms)
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.server_name)
            if socket.waitForConnected(deadline.left(cap=500)):
                socket.write(_REQUEST)
                ok = socket.waitForBytesWritten(deadline.left()) and _read_reply(socket, deadline)
                socket.disconnectFromServer()
                return ok
            if deadline.expired():
                return False
            time.sleep(0.1)

    def release(self) -> None:
        """Stop listening and give up the lock (at exit; also safe when never acquired)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
            self._lock.unlock()

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.setParent(self)
            buffer = bytearray()

            def on_ready_read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll()))
                if b"\n" not in buffer:
                    return
                socket.readyRead.disconnect()
                if bytes(buffer).startswith(_REQUEST):
                    socket.write(_REPLY)
                    socket.flush()
                    self.activated.emit()
                socket.disconnectFromServer()

            socket.readyRead.connect(on_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                on_ready_read()


def _read_reply(socket: QLocalSocket, deadline: _Deadline) -> bool:
    reply = b""
    while b"\n" not in reply:
        if not socket.waitForReadyRead(deadline.left()):
            return False
        reply += bytes(socket.readAll())
    return reply.startswith(_REPLY)


class _Deadline:
    def __init__(self, timeout_ms: int) -> None:
        self._end = time.monotonic() + timeout_ms / 1000

    def left(self, cap: int | None = None) -> int:
        """Milliseconds left (at least 1: Qt's wait functions take 0 as "don't wait")."""
        left = max(1, int((self._end - time.monotonic()) * 1000))
        return min(left, cap) if cap is not None else left

    def expired(self) -> bool:
        return time.monotonic() >= self._end
