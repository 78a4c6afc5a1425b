"""Windows and macOS sources at their ctypes boundary: the calls' results are fed in."""

from __future__ import annotations

import asyncio
import sys

import pytest

from tray_app.idle.macos import K_CG_ANY_INPUT_EVENT_TYPE, K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, MacIdle
from tray_app.idle.source import SourceUnavailable
from tray_app.idle.windows import WindowsIdle


class FakeWin32:  # stands in for Win32Calls (ctypes on user32/kernel32)
    def __init__(self, tick: int, last: int | None, switchable: bool = True) -> None:
        self.tick, self.last, self.switchable = tick, last, switchable

    def tick_count_ms(self) -> int:
        return self.tick

    def last_input_tick_ms(self) -> int | None:
        return self.last

    def input_desktop_switchable(self) -> bool:
        return self.switchable


class FakeQuartz:  # stands in for QuartzCalls (ctypes on CoreGraphics/CoreFoundation)
    def __init__(self, seconds: float, locked: bool | None) -> None:
        self.seconds, self.locked, self.asked = seconds, locked, []

    def seconds_since_last_event(self, state_id: int, event_type: int) -> float:
        self.asked.append((state_id, event_type))
        return self.seconds

    def screen_is_locked(self) -> bool | None:
        return self.locked


def run(coro):
    return asyncio.run(coro)


def test_windows_idle_and_tick_wrap():
    assert run(WindowsIdle(FakeWin32(tick=100_000, last=40_000)).idle_seconds()) == 60.0
    # GetTickCount wrapped past 2**32 since the last input
    assert run(WindowsIdle(FakeWin32(tick=5_000, last=2**32 - 5_000)).idle_seconds()) == 10.0
    with pytest.raises(SourceUnavailable):
        run(WindowsIdle(FakeWin32(tick=1, last=None)).idle_seconds())


def test_windows_lock_is_the_secure_desktop():
    assert run(WindowsIdle(FakeWin32(1, 1, switchable=False)).locked()) is True
    assert run(WindowsIdle(FakeWin32(1, 1, switchable=True)).locked()) is False


def test_macos_asks_hid_state_any_input_and_reads_lock():
    q = FakeQuartz(seconds=421.5, locked=True)
    mac = MacIdle(q)
    assert run(mac.idle_seconds()) == 421.5
    assert q.asked == [(K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, K_CG_ANY_INPUT_EVENT_TYPE)]
    assert run(mac.locked()) is True
    assert run(MacIdle(FakeQuartz(3, None)).locked()) is False  # no session dictionary


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the refusal elsewhere")
def test_platform_sources_refuse_on_other_systems():
    with pytest.raises(SourceUnavailable):
        WindowsIdle()
    with pytest.raises(SourceUnavailable):
        MacIdle()


# -- the lock from the system's notifications ----------------------------------------------
# The platform halves (Win32SessionWindow, CFDistributedCenter) are the only ctypes code; these
# fakes stand in for them and deliver messages / notifications as the system would.

from tray_app.idle.automatic import AutomaticPresence  # noqa: E402
from tray_app.idle.chooser import Sources, idle_and_notified_lock  # noqa: E402
from tray_app.idle.macos import SCREEN_LOCKED, SCREEN_UNLOCKED, ScreenLockNotifications  # noqa: E402
from tray_app.idle.monitor import IdleMonitor  # noqa: E402
from tray_app.idle.notified_lock import NotifiedLock  # noqa: E402
from tray_app.idle.windows import (  # noqa: E402
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    WTS_SESSION_UNLOCK,
    WtsLockNotifications,
)
from tray_app.states import PresenceState  # noqa: E402

WTS_SESSION_LOGON = 0x5
WM_TIMER = 0x0113


class FakeSessionWindow:  # stands in for Win32SessionWindow (a message-only window, wtsapi32)
    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse  # how many registrations Windows refuses before one succeeds
        self.calls: list[str] = []
        self.on_message = None

    def create_message_window(self, on_message) -> None:
        self.calls.append("create")
        self.on_message = on_message

    def register_session_notification(self) -> None:
        self.calls.append("register")
        if self.refuse > 0:
            self.refuse -= 1
            raise OSError(1722, "WTSRegisterSessionNotification failed: RPC_S_INVALID_BINDING")

    def unregister_session_notification(self) -> None:
        self.calls.append("unregister")

    def destroy_message_window(self) -> None:
        self.calls.append("destroy")
        self.on_message = None

    def send(self, msg: int, wparam: int) -> bool:
        """What the window's WNDPROC does with a message (True: handled, no DefWindowProc)."""
        assert self.on_message is not None, "no window"
        return self.on_message(msg, wparam)


class FakeDistributedCenter:  # stands in for CFDistributedCenter
    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.observed: tuple[str, ...] = ()
        self.removed = 0
        self.callback = None

    def add_observer(self, names, on_notification) -> None:
        if self.refuse:
            raise OSError("no distributed notification center")
        self.observed, self.callback = tuple(names), on_notification

    def remove_observer(self) -> None:
        self.removed += 1
        self.observed, self.callback = (), None

    def post(self, name: str) -> None:
        if self.callback is not None and name in self.observed:
            self.callback(name)


class PolledLock:
    def __init__(self, locked: bool = False) -> None:
        self.locked, self.polls = locked, 0

    def __call__(self) -> bool:
        self.polls += 1
        return self.locked


class FakeSession:  # what AutomaticPresence hands the automatic presence to
    def __init__(self) -> None:
        self.wishes: list[PresenceState | None] = []
        self.changed = asyncio.Event()

    def set_automatic(self, state) -> None:
        self.wishes.append(state)
        self.changed.set()


async def _settle() -> None:
    for _ in range(3):  # call_soon_threadsafe hands the report over on the next loop turn
        await asyncio.sleep(0)


def test_windows_lock_registers_a_window_and_follows_session_messages():
    async def main():
        window, poll = FakeSessionWindow(), PolledLock(locked=False)
        lock = NotifiedLock("Windows session notifications", WtsLockNotifications(window), poll)
        woken = []
        lock.on_change(lambda: woken.append(1))
        assert await lock.start() is True
        assert window.calls == ["create", "register"]
        assert await lock.locked() is False and poll.polls == 1  # the state at start: one poll

        assert window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) is True
        await _settle()
        assert await lock.locked() is True and woken == [1]
        assert window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_LOGON) is True  # not a lock change
        assert window.send(WM_TIMER, 0) is False  # left to DefWindowProc
        await _settle()
        assert await lock.locked() is True and woken == [1]
        window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
        await _settle()
        assert await lock.locked() is False and woken == [1, 1]
        assert poll.polls == 1  # told, never polled again

        await lock.close()
        await lock.close()
        assert window.calls == [
            "create",
            "register",
            "unregister",
            "destroy",
        ]  # unregistered once, before the window goes

    run(main())


def test_windows_lock_polls_when_registering_fails():
    async def main():
        window, poll = FakeSessionWindow(refuse=1000), PolledLock(locked=True)
        lock = NotifiedLock("Windows session notifications", WtsLockNotifications(window), poll, retries=2)
        assert await lock.start() is False
        assert window.calls == ["create", "register", "destroy"]  # the window is not left behind
        assert lock.name.endswith("(polled)")
        assert [await lock.locked() for _ in range(4)] == [True] * 4 and poll.polls == 4
        assert window.calls == ["create", "register", "destroy"] * 3  # tried again twice, then no more
        poll.locked = False
        assert await lock.locked() is False
        await lock.close()
        assert window.calls == ["create", "register", "destroy"] * 3  # nothing to unregister

    run(main())


def test_windows_lock_registers_on_a_later_poll_when_logon_was_early():
    async def main():
        window, poll = FakeSessionWindow(refuse=2), PolledLock(locked=False)
        lock = NotifiedLock("Windows session notifications", WtsLockNotifications(window), poll)
        assert await lock.start() is False
        assert await lock.locked() is False and not lock.registered  # 2nd refusal: still polled
        assert await lock.locked() is False and lock.registered and lock.name == "Windows session notifications"
        polls = poll.polls
        window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
        await _settle()
        assert await lock.locked() is True and poll.polls == polls  # told from now on
        await lock.close()
        assert window.calls[-2:] == ["unregister", "destroy"]

    run(main())


def test_macos_lock_observes_both_names_even_from_another_thread():
    async def main():
        center, poll = FakeDistributedCenter(), PolledLock(locked=False)
        lock = NotifiedLock("macOS screen lock notifications", ScreenLockNotifications(center), poll)
        assert await lock.start() is True
        assert set(center.observed) == {SCREEN_LOCKED, SCREEN_UNLOCKED}
        assert await lock.locked() is False
        await asyncio.to_thread(center.post, SCREEN_LOCKED)  # not the loop's thread
        await _settle()
        assert await lock.locked() is True
        center.post(SCREEN_UNLOCKED)
        await _settle()
        assert await lock.locked() is False and poll.polls == 1
        await lock.close()
        assert center.removed == 1 and center.callback is None
        center.post(SCREEN_LOCKED)  # after close: nobody listens
        await _settle()

    run(main())


def test_macos_lock_polls_when_observing_fails():
    async def main():
        center, poll = FakeDistributedCenter(refuse=True), PolledLock(locked=True)
        lock = NotifiedLock("macOS screen lock notifications", ScreenLockNotifications(center), poll, retries=0)
        assert await lock.start() is False
        assert await lock.locked() is True and await lock.locked() is True and poll.polls == 2
        await lock.close()
        assert center.removed == 1  # only the cleanup of the failed registration

    run(main())


def test_a_lock_message_reaches_the_sessions_at_once_and_unlock_restores():
    """Message → lock state → policy → each session's automatic presence, woken by the message
    (the monitor's poll is an hour here, so only the notification can explain a new read)."""

    class FakeWinIdle:
        name = "fed-in Windows idle"

        def __init__(self) -> None:
            self.lock_polls = 0

        async def idle_seconds(self) -> float:
            return 3.0

        def locked_now(self) -> bool:
            self.lock_polls += 1
            return False

        async def close(self) -> None:
            pass

    window = FakeSessionWindow()
    idle = FakeWinIdle()

    async def main():
        async def choose() -> Sources:
            return await idle_and_notified_lock(
                lambda: idle, lambda: WtsLockNotifications(window), "Windows session notifications"
            )

        class NoSettings:
            def preference(self, key, default):
                return default

        auto = AutomaticPresence(NoSettings(), choose=choose, poll_seconds=3600)
        sessions = [FakeSession(), FakeSession()]
        await auto.start(lambda: sessions)
        monitor = auto._monitor
        assert isinstance(monitor, IdleMonitor)
        await asyncio.wait_for(sessions[0].changed.wait(), 10)
        assert [s.wishes for s in sessions] == [[PresenceState.ONLINE]] * 2 and monitor.reads == 1
        for s in sessions:
            s.changed.clear()

        window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
        await asyncio.wait_for(sessions[1].changed.wait(), 10)
        assert [s.wishes[-1] for s in sessions] == [PresenceState.OFFLINE] * 2 and monitor.reads == 2
        for s in sessions:
            s.changed.clear()
        window.send(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
        await asyncio.wait_for(sessions[1].changed.wait(), 10)
        assert [s.wishes[-1] for s in sessions] == [PresenceState.ONLINE] * 2 and monitor.reads == 3
        assert idle.lock_polls == 1

        await auto.close()
        assert window.calls == ["create", "register", "unregister", "destroy"]

    run(main())


def test_notifications_that_cannot_be_set_up_leave_the_polled_lock():
    class FakeMacIdle:
        name = "fed-in macOS idle"

        async def idle_seconds(self) -> float:
            return 1.0

        def locked_now(self) -> bool:
            return True

        async def close(self) -> None:
            pass

    def no_framework():
        raise OSError("CoreFoundation not found")

    sources = run(idle_and_notified_lock(FakeMacIdle, no_framework, "macOS screen lock notifications"))
    (lock,) = sources.locks
    assert sources.idle is not None and lock.name == "macOS screen lock notifications (polled)"
    assert run(lock.locked()) is True
