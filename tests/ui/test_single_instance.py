"""One tray per user and settings profile, with real processes: the second launch with the same
settings hands over and exits, one with other settings owns its own; after the owner is killed
with SIGKILL the next launch takes over (stale lock and stale socket included).

The other processes run this file as a script (``python -m tests.ui.test_single_instance ROLE
NAME``, their settings folder from ``XDG_CONFIG_HOME``); every test uses its own NAME, so tests
never meet each other or a real tray.
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


def _start(role: str, name: str, config: Path | None = None) -> subprocess.Popen[str]:
    """``config``: the process's XDG_CONFIG_HOME (its settings profile); default: ours."""
    env = dict(os.environ)
    if config is not None:
        env["XDG_CONFIG_HOME"] = str(config)
    return subprocess.Popen(
        [*HELPER, role, name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
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


def _run_second(name: str, qtbot, instance=None, config: Path | None = None) -> tuple[int, str, str]:
    """A second launch in its own process; while it runs, our event loop serves it."""
    proc = _start("second", name, config)
    if instance is not None:
        with qtbot.waitSignal(instance.activated, timeout=TIMEOUT_S * 1000):
            pass
    out, err = proc.communicate(timeout=TIMEOUT_S)
    return proc.returncode, out.strip(), err


@pytest.fixture
def owned(qapp):
    from tray_app.ui.single_instance import SingleInstance

    made = []

    def make(name: str, **kwargs) -> SingleInstance:
        instance = SingleInstance(name, **kwargs)
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

    lock, server = ipc_paths(
        "presence-tray", "linux", user="ann lee", uid=1000, runtime_dir="/run/user/1000", temp_dir="/tmp"
    )
    assert lock == "/run/user/1000/presence-tray-ann_lee-1000.lock"
    assert server == "/run/user/1000/presence-tray-ann_lee-1000.sock"
    # No runtime dir at all: the temp folder, still tagged with the user.
    lock, _ = ipc_paths("presence-tray", "linux", user="ann", uid=1000, temp_dir="/tmp")
    assert lock == "/tmp/presence-tray-ann-1000.lock"


def test_ipc_paths_on_windows_keep_the_lock_out_of_the_home_folder() -> None:
    from tray_app.ui.single_instance import ipc_paths

    local = r"C:\Users\Ann Lee\AppData\Local"
    lock, server = ipc_paths(
        "presence-tray",
        "win32",
        user="Ann Lee",
        uid=None,
        runtime_dir=r"C:\Users\Ann Lee",
        temp_dir=local + r"\Temp",
        local_appdata=local,
    )
    assert lock == local + r"\presence-tray\presence-tray-Ann_Lee.lock"
    assert server == "presence-tray-Ann_Lee"  # a named pipe: a plain name
    # Without %LOCALAPPDATA% (never seen, but): the temp folder, never the home folder.
    lock, _ = ipc_paths(
        "presence-tray", "win32", user="ann", uid=None, runtime_dir=r"C:\Users\ann", temp_dir=r"C:\Temp"
    )
    assert lock == r"C:\Temp\presence-tray-ann.lock"


def test_ipc_paths_on_macos_fit_a_unix_socket() -> None:
    from tray_app.ui.single_instance import MAX_SOCKET_PATH, ipc_paths

    tmp = "/private/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T"
    lock, server = ipc_paths(
        "presence-tray",
        "darwin",
        user=LONG_USER,
        uid=501,
        runtime_dir=f"/Users/{LONG_USER}/Library/Application Support",
        temp_dir=tmp,
    )
    assert lock == f"{tmp}/presence-tray-501.lock"
    assert server == f"{tmp}/presence-tray-501.sock"
    assert LONG_USER not in server
    assert len(server.encode()) <= MAX_SOCKET_PATH
    # A $TMPDIR too long for a socket: /tmp, still one per uid.
    deep = "/Volumes/Scratch/" + "x" * 90
    _, server = ipc_paths("presence-tray", "darwin", user="ann", uid=501, temp_dir=deep)
    assert server == "/tmp/presence-tray-501.sock"


def test_ipc_paths_belong_to_the_settings_profile() -> None:
    """The settings folder is part of the key: other settings, other lock and socket."""
    from tray_app.ui.single_instance import ipc_paths

    def paths(profile: str, platform: str = "linux") -> tuple[str, str]:
        return ipc_paths(
            "presence-tray",
            platform,
            user="ann",
            uid=1000,
            profile=profile,
            runtime_dir="/run/user/1000",
            temp_dir="/tmp",
            local_appdata=r"C:\Users\ann\AppData\Local",
        )

    mine = paths("/home/ann/.config/presence-tray")
    assert mine == paths("/home/ann/.config/presence-tray/")  # the same folder, the same key
    demo = paths("/tmp/presence-tray-demo-x1y2/config/presence-tray")
    assert demo[0] != mine[0] and demo[1] != mine[1]
    assert all(p.startswith("/run/user/1000/presence-tray-") for p in (*mine, *demo))
    assert all("-ann-1000" in p for p in (*mine, *demo))  # still the user's
    # Windows and macOS: a path's case does not make another folder.
    win = r"C:\Users\Ann\AppData\Roaming\presence-tray"
    assert paths(win, "win32") == paths(win.lower(), "win32")
    assert paths(win, "win32") != paths(win + "-demo", "win32")
    assert paths("/Users/Ann/Library/Application Support/presence-tray", "darwin") == paths(
        "/users/ann/library/application support/presence-tray", "darwin"
    )


def test_the_profile_is_the_settings_folder_however_named(owned, tmp_path: Path) -> None:
    """Default: settings.config_dir() (XDG_CONFIG_HOME here); a symlink to it is the same profile."""
    from tray_app.settings import config_dir

    name = _name()
    config_dir().mkdir(parents=True, exist_ok=True)
    link = tmp_path / "link"
    link.symlink_to(config_dir(), target_is_directory=True)
    default = owned(name)
    assert owned(name, profile=link).lock_path == default.lock_path
    assert owned(name, profile=config_dir()).server_name == default.server_name
    other = owned(name, profile=tmp_path / "other")
    assert other.lock_path != default.lock_path and other.server_name != default.server_name


def test_other_settings_own_their_own_and_the_same_settings_hand_over(owned, qtbot, tmp_path: Path) -> None:
    """An applet with another settings folder (the demo's) runs beside the user's: both own one;
    a launch with either folder hands over to the applet of that folder."""
    name = _name()
    mine, demo = tmp_path / "mine", tmp_path / "demo"
    first = _start("owner", name, mine)
    second = _start("owner", name, demo)
    try:
        assert _read_line(first) == "acquired"
        assert _read_line(second) == "acquired"  # beside the first, not handed over to it

        code, output, err = _run_second(name, qtbot, config=mine)
        assert (code, output) == (0, "notified"), err
        assert _read_line(first) == "activated"
        code, output, err = _run_second(name, qtbot, config=demo)
        assert (code, output) == (0, "notified"), err
        assert _read_line(second) == "activated"
    finally:
        for proc in (first, second):
            proc.kill()
            proc.communicate()


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
