"""One tray per user, with real processes: the second launch hands over and exits; after the owner
is killed with SIGKILL the next launch takes over (stale lock and stale socket included).

The other processes run this file as a script (``python -m tests.ui.test_single_instance ROLE
NAME``); every test uses its own NAME, so tests never meet each other or a real tray.
"""

from __future__ import annotations

import getpass
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

HELPER = [sys.executable, "-m", "tests.ui.test_single_instance"]
TIMEOUT_S = 20


def _name() -> str:
    return f"presence-tray-test-{uuid.uuid4().hex[:8]}"


def _start(role: str, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*HELPER, role, name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def _read_line(proc: subprocess.Popen[str], timeout: float = TIMEOUT_S) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline().strip() if ready else ""
    if not line:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"{proc.args} said nothing (exit {proc.returncode}); stderr:\n{err}")
    return line


def _run_second(name: str, qtbot, instance=None) -> tuple[int, str, str]:
    """A second launch in its own process; while it runs, our event loop serves it."""
    proc = _start("second", name)
    if instance is not None:
        with qtbot.waitSignal(instance.activated, timeout=TIMEOUT_S * 1000):
            pass
    out, err = proc.communicate(timeout=TIMEOUT_S)
    return proc.returncode, out.strip(), err


@pytest.fixture
def owned(qapp):
    from tray_app.ui.single_instance import SingleInstance

    made = []

    def make(name: str) -> SingleInstance:
        instance = SingleInstance(name)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.release()


def test_names_are_per_user(owned) -> None:
    instance = owned(_name())
    assert getpass.getuser() in instance.lock_path
    assert str(os.getuid()) in instance.lock_path
    assert str(os.getuid()) in instance.server_name


def test_linux_paths_are_in_the_runtime_dir(owned) -> None:
    """On Linux the lock and the socket sit in $XDG_RUNTIME_DIR (what Qt's RuntimeLocation is)."""
    from PySide6.QtCore import QStandardPaths

    runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    instance = owned(_name())
    assert os.path.dirname(instance.lock_path) == runtime
    assert os.path.dirname(instance.server_name) == runtime


# Where each system keeps the lock and the socket: the choice as data (only Linux runs here).
LONG_USER = "firstname.middlename.lastname-with-a-long-directory-account"


def test_ipc_paths_on_linux() -> None:
    from tray_app.ui.single_instance import ipc_paths

    lock, server = ipc_paths("presence-tray", "linux", user="ann lee", uid=1000,
                             runtime_dir="/run/user/1000", temp_dir="/tmp")
    assert lock == "/run/user/1000/presence-tray-ann_lee-1000.lock"
    assert server == "/run/user/1000/presence-tray-ann_lee-1000.sock"
    # No runtime dir at all: the temp folder, still tagged with the user.
    lock, _ = ipc_paths("presence-tray", "linux", user="ann", uid=1000, temp_dir="/tmp")
    assert lock == "/tmp/presence-tray-ann-1000.lock"


def test_ipc_paths_on_windows_keep_the_lock_out_of_the_home_folder() -> None:
    from tray_app.ui.single_instance import ipc_paths

    local = r"C:\Users\Ann Lee\AppData\Local"
    lock, server = ipc_paths("presence-tray", "win32", user="Ann Lee", uid=None,
                             runtime_dir=r"C:\Users\Ann Lee", temp_dir=local + r"\Temp",
                             local_appdata=local)
    assert lock == local + r"\presence-tray\presence-tray-Ann_Lee.lock"
    assert server == "presence-tray-Ann_Lee"  # a named pipe: a plain name
    # Without %LOCALAPPDATA% (never seen, but): the temp folder, never the home folder.
    lock, _ = ipc_paths("presence-tray", "win32", user="ann", uid=None,
                        runtime_dir=r"C:\Users\ann", temp_dir=r"C:\Temp")
    assert lock == r"C:\Temp\presence-tray-ann.lock"


def test_ipc_paths_on_macos_fit_a_unix_socket() -> None:
    from tray_app.ui.single_instance import MAX_SOCKET_PATH, ipc_paths

    tmp = "/private/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T"
    lock, server = ipc_paths("presence-tray", "darwin", user=LONG_USER, uid=501,
                             runtime_dir=f"/Users/{LONG_USER}/Library/Application Support",
                             temp_dir=tmp)
    assert lock == f"{tmp}/presence-tray-501.lock"
    assert server == f"{tmp}/presence-tray-501.sock"
    assert LONG_USER not in server
    assert len(server.encode()) <= MAX_SOCKET_PATH
    # A $TMPDIR too long for a socket: /tmp, still one per uid.
    deep = "/Volumes/Scratch/" + "x" * 90
    _, server = ipc_paths("presence-tray", "darwin", user="ann", uid=501, temp_dir=deep)
    assert server == "/tmp/presence-tray-501.sock"


def test_a_second_launch_waits_long_enough_for_a_busy_owner() -> None:
    """At login the owner may be stuck for seconds (a keyring unlock prompt): 10 s, not 3."""
    import inspect

    from tray_app.ui.single_instance import SingleInstance

    default = inspect.signature(SingleInstance.notify_running).parameters["timeout_ms"].default
    assert default >= 10_000


def test_second_launch_notifies_the_owner_and_exits_0(owned, qtbot) -> None:
    name = _name()
    owner = owned(name)
    assert owner.try_acquire()
    assert owner.try_acquire()  # idempotent for the owner

    code, output, err = _run_second(name, qtbot, owner)
    assert (code, output) == (0, "notified"), err


def test_after_release_the_next_launch_owns_it(owned, qtbot) -> None:
    name = _name()
    owner = owned(name)
    assert owner.try_acquire()
    owner.release()
    code, output, err = _run_second(name, qtbot)
    assert (code, output) == (0, "acquired"), err


def test_takeover_after_the_owner_was_killed_with_sigkill(owned, qtbot) -> None:
    name = _name()
    first = _start("owner", name)
    try:
        assert _read_line(first) == "acquired"
        me = owned(name)
        # An old lock of a live owner is not stale: age alone never makes it so.
        an_hour_ago = time.time() - 3600
        os.utime(me.lock_path, (an_hour_ago, an_hour_ago))
        # While the first runs, we are the second launch: we cannot own it, and it answers us.
        assert not me.try_acquire()
        assert me.notify_running()
        assert _read_line(first) == "activated"

        first.send_signal(signal.SIGKILL)
        first.wait(TIMEOUT_S)
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate()
    # kill -9 left the lock file (and the socket) behind; the next launch takes both over.
    assert Path(me.lock_path).exists()
    assert me.try_acquire()

    code, output, err = _run_second(name, qtbot, me)
    assert (code, output) == (0, "notified"), err


def test_an_owner_that_does_not_answer_is_reported(owned, qtbot) -> None:
    name = _name()
    first = _start("owner", name)
    try:
        assert _read_line(first) == "acquired"
        first.send_signal(signal.SIGSTOP)  # alive (the lock is not stale) but deaf
        me = owned(name)
        assert not me.try_acquire()
        assert not me.notify_running(timeout_ms=1000)
    finally:
        first.send_signal(signal.SIGCONT)
        first.kill()
        first.communicate()


# --- the other processes -----------------------------------------------------------------------


def _helper(role: str, name: str) -> int:
    from PySide6.QtCore import QCoreApplication

    from tray_app.ui.single_instance import SingleInstance

    app = QCoreApplication([sys.argv[0]])
    instance = SingleInstance(name)
    if role == "owner":
        if not instance.try_acquire():
            print("not acquired", flush=True)
            return 1
        instance.activated.connect(lambda: print("activated", flush=True))
        print("acquired", flush=True)
        return app.exec()
    # role == "second": what a launch of the tray does.
    if instance.try_acquire():
        print("acquired", flush=True)
        instance.release()
        return 0
    if instance.notify_running():
        print("notified", flush=True)
        return 0
    print("no answer", flush=True)
    return 1


if __name__ == "__main__":
    raise SystemExit(_helper(sys.argv[1], sys.argv[2]))
