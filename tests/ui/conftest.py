"""pytest-qt (offscreen) + one qasync loop for the whole session, against real Synapse servers.

docs/architecture.md ("One event loop"): one `qasync.QEventLoop(qapp, already_running=True)` per
session, never stopped per test (stopping calls app.exit(), after which every nested Qt wait
returns at once); coroutines are driven with `qtbot.waitUntil(task.done)`.

The loop is only marked "running" for asyncio while a ui test runs, so tests elsewhere in the
same pytest process can still call `asyncio.run()`.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness.server_view import (  # noqa: F401 (the ui tests import them from here)
    OVERRIDE_PATH,
    STATUS_PATH,
    get_override,
    get_presence,
    override_value,
    put_override,
    q,
)
from tests.harness.synapse import (
    RC_PRESENCE_PERIOD,
    RegisteredUser,
    SynapseServer,
)
from tests.ui.file_keyring import FileKeyring

UI_TIMEOUT_MS = 20_000
# How long a wait for a presence write to land may take: a click within 10 s of the user's
# last presence write meets Synapse's default rc_presence (429), which the applet waits out.
PRESENCE_WRITE_MS = int((RC_PRESENCE_PERIOD + 12) * 1000)


@pytest.fixture(scope="session")
def ui_loop(qapp):
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # The loop's executor (aiohttp resolves addresses in it) runs QThreads; closing the loop
    # would stop them, but this loop is never closed. QThreads still running when Python exits
    # abort the process ("QThread: Destroyed while thread is still running", exit code 134),
    # so the session owns the executor and stops it itself.
    executor = qasync.QThreadExecutor()
    loop.set_default_executor(executor)
    asyncio.events._set_running_loop(None)  # set per test, below
    yield loop
    # Never stopped: stopping would call app.exit() under pytest-qt (see the module docstring).
    executor.shutdown(wait=True)


class Aio:
    """Runs coroutines on the session's qasync loop from a synchronous test."""

    def __init__(self, loop: asyncio.AbstractEventLoop, qtbot: Any) -> None:
        self.loop = loop
        self.qtbot = qtbot

    def run(self, coro, timeout_ms: int = UI_TIMEOUT_MS) -> Any:
        task = self.loop.create_task(coro)
        self.qtbot.waitUntil(task.done, timeout=timeout_ms)
        return task.result()

    def wait_task(self, task: asyncio.Future, timeout_ms: int = UI_TIMEOUT_MS) -> Any:
        self.qtbot.waitUntil(task.done, timeout=timeout_ms)
        return task.result()

    def sleep(self, seconds: float) -> None:
        self.qtbot.wait(int(seconds * 1000))


@pytest.fixture
def aio(ui_loop, qtbot) -> Iterator[Aio]:
    asyncio.set_event_loop(ui_loop)
    asyncio.events._set_running_loop(ui_loop)
    try:
        yield Aio(ui_loop, qtbot)
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


# -- accounts, keyring, settings ---------------------------------------------------------------


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.json"


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    # The same path the CLI computes from XDG_CONFIG_HOME (see cli_env), so both see one file.
    return tmp_path / "config" / "presence-tray" / "settings.json"


@pytest.fixture
def make_accounts(keyring_file: Path, settings_path: Path) -> Callable[[], Any]:
    """A fresh `Accounts` on this test's own keyring file and settings file (like a restart);
    `timings`: its sessions' (tray_app.session.SessionTimings), production ones by default."""
    from tray_app.accounts import Accounts
    from tray_app.credentials import CredentialStore
    from tray_app.session import SessionTimings
    from tray_app.settings import Settings

    def make(timings: SessionTimings | None = None) -> Any:
        store = CredentialStore(FileKeyring(keyring_file))
        return Accounts(store, Settings.load(settings_path), timings or SessionTimings())

    return make


@pytest.fixture
def cli_env(tmp_path: Path, keyring_file: Path) -> dict[str, str]:
    """Environment for a `presence-tray` subprocess that shares this test's keyring and settings."""
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "tests.ui.file_keyring.FileKeyring"
    env[FileKeyring.ENV] = str(keyring_file)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# -- the applet ----------------------------------------------------------------------------------


class AppletHarness:
    """Builds applets for a test and takes every one of them down afterwards."""

    def __init__(self, aio: Aio, qtbot: Any, make_accounts: Callable[[], Any]) -> None:
        self.aio = aio
        self.qtbot = qtbot
        self.make_accounts = make_accounts
        self.applets: list[Any] = []

    def start(
        self, *, use_tray: bool | None = True, autostarted: bool = True, clock=None, accounts=None, timings=None, **kw
    ) -> Any:
        """`timings`: the sessions' (tray_app.session.SessionTimings) where `accounts` is not given."""
        from tray_app.ui.applet import Applet
        from tray_app.ui.controller import Controller

        ckw = {"clock": clock} if clock else {}
        if "idle" in kw:  # tray_app.idle.automatic.AutomaticPresence
            ckw["idle"] = kw.pop("idle")
        controller = Controller(accounts or self.make_accounts(timings), autostart=kw.pop("autostart", None), **ckw)
        applet = Applet(controller, use_tray=use_tray, autostarted=autostarted, **kw)
        self.applets.append(applet)
        self.aio.run(applet.start())
        return applet

    def stop(self, applet: Any) -> None:
        self.aio.run(applet.shutdown())

    def close_all(self) -> None:
        for applet in self.applets:
            self.aio.run(applet.shutdown())
        self.applets.clear()


@pytest.fixture
def applets(aio: Aio, qtbot, make_accounts) -> Iterator[AppletHarness]:
    h = AppletHarness(aio, qtbot, make_accounts)
    try:
        yield h
    finally:
        h.close_all()


@pytest.fixture
def sign_in(aio: Aio, make_accounts) -> Callable[[SynapseServer, RegisteredUser], str]:
    """Stores a login for `user` the way the sign-in dialog would (keyring + settings)."""

    def do(server: SynapseServer, user: RegisteredUser) -> str:
        accounts = make_accounts()
        session = aio.run(accounts.login_password(user.user_id, user.password, homeserver=server.base_url))
        aio.run(session.close())
        return user.user_id

    return do


def keyring_items(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output" / "ui"


def save_widget_png(widget: Any, name: str) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


def save_menu_png(applet: Any, name: str) -> Path:
    """Render the menu (offscreen QMenu.grab()) so a person can look at what a test saw."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    menu = applet.menu
    menu.ensurePolished()
    menu.adjustSize()
    path = OUTPUT_DIR / f"{name}.png"
    assert menu.grab().save(str(path)), path
    return path


def checked_states(applet: Any, user_id: str) -> list[str]:
    """The labels of the account's checked state items in the current menu model."""
    return [i.text for i in applet.model.walk() if i.key.startswith(f"acct:{user_id}:state:") and i.checked]


def menu_text(applet: Any, key: str) -> str | None:
    """The text of a menu item by key, or None when the menu does not show such an item (now)."""
    try:
        item = applet.model.find(key)
    except KeyError:
        return None
    return item.text if item.visible else None


def no_override_icon(applet: Any) -> bool:
    """The icon of a connected account with no override set and nothing going on: the "no
    override" disc while what others see is not known yet, else what they see with the
    "automatic" mark (tray_app/ui/icon_state.py)."""
    key = applet.icon_key or ""
    return key == "none" or (key.endswith("+automatic") and "~" not in key)


def account_in_menu(applet: Any, user_id: str) -> bool:
    """The drawn menu shows the account: its header (one account) or its line (several,
    "@ada:example.org — Away")."""
    return any(t == user_id or t.startswith(user_id + " — ") for t in applet.menu_view.action_texts())
