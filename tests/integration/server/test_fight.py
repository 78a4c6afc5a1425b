"""The fight: other devices push `online` as hard as they can while an override holds.

Issue 3: with the override at `unavailable` (and again at `offline` and at `disabled`), two
other devices sync with `set_presence=online` and send messages for >= 10 s while the test
reads the status >= 3,000 times and a watcher sharing a room syncs: zero reads or watcher
events may show anything but the override. Then clearing restores `online` for an active
device, at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.harness.fixtures import UserFactory
from tests.harness.synapse import RegisteredUser, SynapseServer
from tests.integration.server.helpers import (
    KeepAliveClient,
    presence_events_for,
    put_override,
    status,
    status_path,
    stored,
)

pytestmark = pytest.mark.integration

FIGHT_SECONDS = 10.0
MIN_READS = 3000
MAX_SECONDS = 60.0  # give up waiting for MIN_READS after this (the assertion then fails)
# `now - last_active_ago` must stay put while the override holds; this much jitter is
# allowed for request latency and rounding. A device bumping last_active moves it by seconds.
LAST_ACTIVE_JITTER_MS = 1500

EFFECTIVE = {"unavailable": "unavailable", "offline": "offline", "disabled": "offline"}


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reads: int = 0
    syncs: int = 0
    messages: int = 0
    status_puts: int = 0
    own_presence_events: int = 0
    watcher_syncs: int = 0
    watcher_presence_events: int = 0
    watcher_saw_messages: int = 0
    watcher_since: str = ""

    def violation(self, text: str) -> None:
        with self.lock:
            if len(self.violations) < 20:
                self.violations.append(text)
            else:
                self.violations[-1] = f"... and more; last: {text}"

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


def _check_presence(content: dict[str, Any], expected: str, status_msg: str | None, where: str) -> str | None:
    if content.get("presence") != expected:
        return f"{where}: presence {content.get('presence')!r}, expected {expected!r}"
    if content.get("status_msg") != status_msg:
        return f"{where}: status_msg {content.get('status_msg')!r}, expected {status_msg!r}"
    if content.get("currently_active"):
        return f"{where}: currently_active is true behind a {expected!r} override"
    return None


def _fighter(
    server: SynapseServer,
    device: RegisteredUser,
    since: str,
    subject: str,
    room_id: str,
    expected: str,
    status_msg: str | None,
    put_status: bool,
    stop: threading.Event,
    tally: Tally,
) -> None:
    """A device that wants to be online: sync set_presence=online, talk, maybe PUT status."""
    client = KeepAliveClient(server, device.access_token)
    n = 0
    try:
        while not stop.is_set():
            body = server.sync(device.access_token, since=since, timeout_ms=0, set_presence="online")
            since = body["next_batch"]
            own = presence_events_for(body, subject)
            for content in own:
                problem = _check_presence(content, expected, status_msg, "own /sync")
                if problem:
                    tally.violation(problem)
            server.send_message(device.access_token, room_id, f"still here {n}")
            counts = {"syncs": 1, "messages": 1, "own_presence_events": len(own)}
            if put_status:
                code, answer = client.request(
                    "PUT", status_path(subject), body={"presence": "online", "status_msg": "this must not show"}
                )
                if code != 200:
                    tally.error(f"PUT /status answered {code}: {answer}")
                counts["status_puts"] = 1
            tally.add(**counts)
            n += 1
    except Exception as exc:  # noqa: BLE001 - reported by the test
        tally.error(f"fighter {device.device_id}: {exc!r}")
    finally:
        client.close()


def _reader(
    server: SynapseServer,
    token: str,
    subject: str,
    expected: str,
    status_msg: str | None,
    disabled: bool,
    stop: threading.Event,
    tally: Tally,
    who: str,
) -> None:
    client = KeepAliveClient(server, token)
    path = status_path(subject)
    implied_last_active: float | None = None
    try:
        while not stop.is_set():
            code, body = client.request("GET", path)
            now_ms = time.time() * 1000
            if code != 200:
                tally.violation(f"{who} status read answered {code}: {body}")
                continue
            problem = _check_presence(body, expected, status_msg, f"{who} status read")
            if problem is None and disabled and "last_active_ago" in body:
                problem = f"{who} status read: last_active_ago shown for `disabled`"
            if problem is None and "last_active_ago" in body:
                implied = now_ms - body["last_active_ago"]
                if implied_last_active is None:
                    implied_last_active = implied
                elif abs(implied - implied_last_active) > LAST_ACTIVE_JITTER_MS:
                    problem = (
                        f"{who} status read: last active moved by "
                        f"{implied - implied_last_active:.0f} ms behind the override"
                    )
            if problem:
                tally.violation(problem)
            tally.add(reads=1)
    except Exception as exc:  # noqa: BLE001
        tally.error(f"reader {who}: {exc!r}")
    finally:
        client.close()


def _watcher(
    server: SynapseServer,
    watcher: RegisteredUser,
    since: str,
    subject: str,
    expected: str,
    status_msg: str | None,
    stop: threading.Event,
    tally: Tally,
) -> None:
    try:
        while not stop.is_set():
            body = server.sync(watcher.access_token, since=since, timeout_ms=500)
            since = tally.watcher_since = body["next_batch"]
            events = presence_events_for(body, subject)
            for content in events:
                problem = _check_presence(content, expected, status_msg, "watcher /sync")
                if problem:
                    tally.violation(problem)
            said = sum(
                1
                for room in body.get("rooms", {}).get("join", {}).values()
                for ev in room.get("timeline", {}).get("events", [])
                if ev.get("sender") == subject and ev.get("type") == "m.room.message"
            )
            tally.add(watcher_syncs=1, watcher_presence_events=len(events), watcher_saw_messages=said)
    except Exception as exc:  # noqa: BLE001
        tally.error(f"watcher: {exc!r}")


@pytest.mark.parametrize(
    ("value", "status_msg"),
    [("unavailable", "in a meeting"), ("offline", None), ("disabled", None)],
)
def test_override_wins_the_fight_and_clearing_restores_online(
    synapse_override: SynapseServer,
    user_factory: UserFactory,
    value: str,
    status_msg: str | None,
) -> None:
    server = synapse_override
    subject = user_factory(server, "fight")
    me = subject.user_id
    devices = [server.login(me, subject.password) for _ in range(2)]
    watcher = user_factory(server, "watcher")
    room_id = server.create_room(subject.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room_id)

    # Before: the other devices are active and online, as Synapse normally aggregates.
    # (Each device goes on from its own sync token: a repeated initial sync could be answered
    # from Synapse's sync response cache, i.e. with a response made before the override.)
    since = [server.sync(d.access_token, set_presence="online")["next_batch"] for d in devices]
    assert status(server, watcher.access_token, me)["presence"] == "online"

    expected = EFFECTIVE[value]
    assert put_override(server, subject.access_token, me, value, status_msg=status_msg) == (
        200,
        stored(value, status_msg=status_msg),
    )
    first = status(server, watcher.access_token, me)
    assert _check_presence(first, expected, status_msg, "first read") is None, first

    initial = server.sync(watcher.access_token)
    for content in presence_events_for(initial, me):
        assert _check_presence(content, expected, status_msg, "watcher initial sync") is None

    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_fighter, args=(server, devices[0], since[0], me, room_id, expected, status_msg, False, stop, tally)
        ),
        threading.Thread(
            target=_fighter, args=(server, devices[1], since[1], me, room_id, expected, status_msg, True, stop, tally)
        ),
        threading.Thread(
            target=_watcher, args=(server, watcher, initial["next_batch"], me, expected, status_msg, stop, tally)
        ),
        threading.Thread(
            target=_reader,
            args=(server, subject.access_token, me, expected, status_msg, value == "disabled", stop, tally, "own"),
        ),
        threading.Thread(
            target=_reader,
            args=(server, watcher.access_token, me, expected, status_msg, value == "disabled", stop, tally, "watcher"),
        ),
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        while True:
            time.sleep(0.2)
            elapsed = time.monotonic() - started
            with tally.lock:
                reads = tally.reads
            if (elapsed >= FIGHT_SECONDS and reads >= MIN_READS) or elapsed >= MAX_SECONDS:
                break
            if tally.errors:
                break
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    elapsed = time.monotonic() - started

    summary = (
        f"{value}: {tally.reads} reads, {tally.syncs} syncs set_presence=online, "
        f"{tally.messages} messages, {tally.status_puts} PUT /status online, "
        f"{tally.own_presence_events} own presence events, {tally.watcher_syncs} "
        f"watcher syncs, {tally.watcher_presence_events} watcher presence events, "
        f"{tally.watcher_saw_messages} messages seen by the watcher, {elapsed:.1f} s"
    )
    print(summary)
    assert not tally.errors, tally.errors
    assert tally.violations == [], summary
    assert elapsed >= FIGHT_SECONDS, summary
    assert tally.reads >= MIN_READS, summary
    # The fight really happened: both devices pushed online many times, and the watcher was
    # listening (it saw their messages) yet was never woken with a presence change.
    assert tally.syncs >= 40 and tally.messages >= 40 and tally.status_puts >= 20, summary
    assert tally.watcher_syncs >= 5 and tally.watcher_saw_messages >= 20, summary
    assert tally.watcher_presence_events == 0, summary

    # Clearing returns to normal aggregation at once: the devices were active a moment ago.
    # (From the watcher's own latest token: an initial sync may come from the response cache.)
    since = server.sync(watcher.access_token, since=tally.watcher_since)["next_batch"]
    assert put_override(server, subject.access_token, me, "") == (200, stored(""))
    after = status(server, watcher.access_token, me)
    assert after["presence"] == "online", after
    assert "status_msg" not in after, after
    assert status(server, subject.access_token, me)["presence"] == "online"
    woken = server.sync(watcher.access_token, since=since, timeout_ms=5000)
    assert [c.get("presence") for c in presence_events_for(woken, me)] == ["online"], woken
