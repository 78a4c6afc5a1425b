"""One tray per user: a second launch hands over to the running one and exits.

A ``QLockFile`` decides who owns the applet. Its staleness check (the PID in the file no longer
runs that program) lets the next launch take over after the owner was killed with ``kill -9``.
The owner listens on a ``QLocalServer`` (only this user may connect); a second launch connects,
sends ``activate`` and waits for ``ok``, and the owner emits ``activated``.

Only the tray goes through this; command-line subcommands (``status``, ``set``, ...) never do.
"""

from __future__ import annotations

import getpass
import os
import re
import time

from PySide6.QtCore import QDir, QLockFile, QObject, QStandardPaths, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from tray_app import APP_ID

_REQUEST = b"activate\n"
_REPLY = b"ok\n"


def _user_tag() -> str:
    """The user's name (and uid where there is one), safe for a file or pipe name."""
    try:
        name = getpass.getuser()
    except Exception:  # no name for this uid (containers); the uid below still tells users apart
        name = "user"
    uid = getattr(os, "getuid", None)
    tag = f"{name}-{uid()}" if uid else name
    return re.sub(r"[^A-Za-z0-9_.-]", "_", tag)


class SingleInstance(QObject):
    """Owner election and hand-over for the tray.

    ``try_acquire()`` → True: this process owns the tray and listens; connect ``activated``.
    False: another one runs; call ``notify_running()`` and exit 0 if it answered.
    """

    activated = Signal()

    def __init__(self, name: str = APP_ID, parent: QObject | None = None) -> None:
        super().__init__(parent)
        key = f"{name}-{_user_tag()}"
        # The runtime dir is private to the user (XDG_RUNTIME_DIR, else Qt makes a 0700 one).
        runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
        folder = QDir(runtime or QDir.tempPath())
        self.lock_path = folder.absoluteFilePath(f"{key}.lock")
        # Unix: a socket file next to the lock; Windows: a named pipe (a plain name, not a path).
        self.server_name = key if os.name == "nt" else folder.absoluteFilePath(f"{key}.sock")
        self._lock = QLockFile(self.lock_path)
        # 0: a lock is stale only when its process is gone, never by its age alone (Qt's default
        # of 30 s applies when it cannot check the PID).
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def try_acquire(self) -> bool:
        """Take the lock (a dead owner's stale lock included) and start listening."""
        if self._server is not None:
            return True
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

    def notify_running(self, timeout_ms: int = 3000) -> bool:
        """Ask the running owner to activate; True once it acknowledged.

        Retries for a moment: the owner may hold the lock but not listen yet.
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
