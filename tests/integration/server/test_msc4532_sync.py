"""MSC4532 on Synapse with the module: every MSC4043 change is pushed to the user's other
devices through their /sync, and the account-data override wins a fight with the devices.

The contract these tests hold the module to is written in server/README.md ("MSC4532").
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tests.harness.fixtures import UserFactory
from tests.harness.synapse import RegisteredUser, SynapseServer
from tests.harness.waiting import wait_for
from tests.integration.server.fight import Tally, run_fighter, run_reader, run_watcher
from tests.integration.server.helpers import presence_events_for, put_override, status
from tests.integration.server.msc4532_helpers import EVENT, IDLE, MIRROR, put_event

pytestmark = pytest.mark.integration


# Only the event, nothing else: what a client's incremental /sync filter admits.
ONLY_THE_EVENT = {
    "account_data": {"types": [EVENT]},
    "presence": {"types": []},
    "room": {"rooms": []},
}
FIGHT_SECONDS = 5.0
FIGHT_MIN_READS = 500


def events_in(sync_body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["content"] for e in sync_body.get("account_data", {}).get("events", []) if e.get("type") == EVENT]


def _sync_logged(server: SynapseServer, log_from: int, device: RegisteredUser, since: str) -> bool:
    """Synapse's sync servlet logged (DEBUG, tests/harness/synapse.py) a long poll of `device`
    from `since` after byte `log_from` of its log."""
    with open(server.log_path, "rb") as log:
        log.seek(log_from)
        text = log.read().decode(errors="replace")
    return any(
        "/sync: " in line and f"since={since!r}" in line and f"device_id={device.device_id!r}" in line
        for line in text.splitlines()
    )


def test_msc4043_change_wakes_the_other_devices_sync(
    synapse_override: SynapseServer, user_factory: UserFactory
) -> None:
    server = synapse_override
    me = user_factory(server, "push")
    other = server.login(me.user_id, me.password)
    since = server.sync(other.access_token, filter=ONLY_THE_EVENT)["next_batch"]

    for value, mapped in (("unavailable", IDLE), ("disabled", None), ("", None)):
        answers: list[dict[str, Any]] = []
        waiting = threading.Thread(
            target=lambda s=since: answers.append(
                server.sync(other.access_token, since=s, timeout_ms=60_000, filter=ONLY_THE_EVENT)
            )
        )
        log_from = server.log_path.stat().st_size
        waiting.start()
        # The change comes once the long poll is in the server's hands (its servlet logged it):
        # a poll that only arrived after the change would return at once and prove no wake-up.
        wait_for(lambda s=since: _sync_logged(server, log_from, other, s), 30, "the long poll to reach the server")
        assert put_override(server, me.access_token, me.user_id, value)[0] == 200
        waiting.join(90)
        assert answers, "the long-poll /sync did not return"
        # That one wake-up carries the change (a timed-out poll would carry nothing).
        changes = events_in(answers[0])
        assert len(changes) == 1, answers[0]
        assert changes[0].get("state_override") == mapped
        assert changes[0].get(MIRROR) == (value or None)
        since = answers[0]["next_batch"]

    # No echo: the module's callback recognised its own writes and wrote nothing more.
    quiet = server.sync(other.access_token, since=since, timeout_ms=1000, filter=ONLY_THE_EVENT)
    assert events_in(quiet) == []


def test_account_data_override_wins_the_fight(synapse_override: SynapseServer, user_factory: UserFactory) -> None:
    """As the MSC4043 fight test, shorter: two devices push online, the event says idle."""
    server = synapse_override
    subject = user_factory(server, "adfight")
    me = subject.user_id
    devices = [server.login(me, subject.password) for _ in range(2)]
    watcher = user_factory(server, "adfightw")
    room_id = server.create_room(subject.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room_id)
    since = [server.sync(d.access_token, set_presence="online")["next_batch"] for d in devices]
    assert status(server, watcher.access_token, me)["presence"] == "online"

    put_event(server, subject, {"state_override": IDLE, "status": {"msg": "deep work"}})
    expected, msg = "unavailable", "deep work"
    initial = server.sync(watcher.access_token)
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=run_fighter, args=(server, devices[0], since[0], me, room_id, expected, msg, False, stop, tally)
        ),
        threading.Thread(
            target=run_fighter, args=(server, devices[1], since[1], me, room_id, expected, msg, True, stop, tally)
        ),
        threading.Thread(
            target=run_watcher, args=(server, watcher, initial["next_batch"], me, expected, msg, stop, tally)
        ),
        threading.Thread(
            target=run_reader, args=(server, watcher.access_token, me, expected, msg, False, stop, tally, "watcher")
        ),
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        while not tally.errors:
            time.sleep(0.2)
            elapsed = time.monotonic() - started
            if (elapsed >= FIGHT_SECONDS and tally.reads >= FIGHT_MIN_READS) or elapsed > 30:
                break
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    summary = (
        f"{tally.reads} reads, {tally.syncs} syncs online, {tally.status_puts} PUT "
        f"/status, {tally.watcher_syncs} watcher syncs, "
        f"{tally.watcher_presence_events} watcher presence events"
    )
    print(summary)
    assert not tally.errors, tally.errors
    assert tally.violations == [], summary
    assert tally.reads >= FIGHT_MIN_READS and tally.syncs >= 20, summary
    assert tally.status_puts >= 10 and tally.watcher_saw_messages >= 10, summary
    assert tally.watcher_presence_events == 0, summary

    # Removing the override hands presence back to the devices at once.
    put_event(server, subject, {"status": {"msg": "deep work"}})
    assert status(server, watcher.access_token, me)["presence"] == "online"
    assert [
        c.get("presence")
        for c in presence_events_for(server.sync(watcher.access_token, since=tally.watcher_since, timeout_ms=5000), me)
    ] == ["online"]
