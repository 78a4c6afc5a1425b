"""The server module's override rules (server/synapse_presence_override/rules.py), without a
Synapse: what others see of an overridden user given the override and the devices, and which
changes are dropped as telling nobody anything."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import pytest

from synapse_presence_override import rules
from synapse_presence_override.values import (
    BUSY,
    DISABLED,
    MSC3026_BUSY,
    OFFLINE,
    ONLINE,
    SOURCE_MSC4043,
    SOURCE_MSC4532,
    UNAVAILABLE,
    Override,
)

NOW = 1_000_000
FROZEN = 400_000  # the last-active time an override froze when it was set


@dataclasses.dataclass(frozen=True)
class State:
    """The fields of Synapse's UserPresenceState the rules read, with its copy_and_replace."""

    user_id: str = "@u:x"
    state: str = ONLINE
    last_active_ts: int = 900_000
    status_msg: str | None = None
    currently_active: bool = False

    def copy_and_replace(self, **kwargs: Any) -> State:
        return dataclasses.replace(self, **kwargs)


def override(presence: str, status_msg: str | None = None, source: str = SOURCE_MSC4043) -> Override:
    return Override("@u:x", presence, status_msg, FROZEN, 0, source)


def test_online_reads_as_currently_active_now() -> None:
    shown = rules.apply(State(state=UNAVAILABLE, status_msg="dev"), override(ONLINE, "hi"), NOW)
    assert shown == State(state=ONLINE, last_active_ts=NOW, status_msg="hi", currently_active=True)


@pytest.mark.parametrize("presence", [UNAVAILABLE, OFFLINE])
def test_other_overrides_show_the_frozen_last_active_and_the_overrides_message(presence: str) -> None:
    device = State(state=ONLINE, status_msg="from a device", currently_active=True)
    shown = rules.apply(device, override(presence, "away"), NOW)
    assert shown == State(state=presence, last_active_ts=FROZEN, status_msg="away", currently_active=False)
    assert not rules.is_disabled_mark(shown)


def test_disabled_shows_offline_with_its_mark() -> None:
    disabled = Override("@u:x", DISABLED, None, 0, 0)
    shown = rules.apply(State(), disabled, NOW)
    assert (shown.state, shown.last_active_ts, shown.currently_active) == (OFFLINE, 0, True)
    assert rules.is_disabled_mark(shown)


def test_stock_states_never_carry_the_disabled_mark() -> None:
    assert not rules.is_disabled_mark(State(state=OFFLINE, last_active_ts=0, currently_active=False))
    assert not rules.is_disabled_mark(State(state=OFFLINE, last_active_ts=5, currently_active=True))
    assert not rules.is_disabled_mark(State(state=ONLINE, last_active_ts=0, currently_active=True))


@pytest.mark.parametrize(("msc3026", "seen"), [(True, MSC3026_BUSY), (False, UNAVAILABLE)])
def test_busy_needs_synapses_msc3026(msc3026: bool, seen: str) -> None:
    assert rules.apply(State(), override(BUSY), NOW, msc3026_busy=msc3026).state == seen


def test_msc4532_override_without_a_connected_device_shows_offline_as_last_shown() -> None:
    prev = State(state=UNAVAILABLE, last_active_ts=FROZEN, status_msg="away")
    incoming = State(state=ONLINE, last_active_ts=NOW, currently_active=True)
    shown = rules.shown(incoming, prev, override(UNAVAILABLE, "away", SOURCE_MSC4532), False, NOW, False)
    assert shown == State(state=OFFLINE, last_active_ts=FROZEN, status_msg="away", currently_active=False)
    # Nothing shown yet: the incoming state's last-active time stays.
    first = rules.shown(incoming, None, override(UNAVAILABLE, "away", SOURCE_MSC4532), False, NOW, False)
    assert (first.state, first.last_active_ts) == (OFFLINE, NOW)


def test_msc4532_override_with_a_connected_device_and_msc4043_always_show_the_override() -> None:
    for source, connected in ((SOURCE_MSC4532, True), (SOURCE_MSC4043, False), (SOURCE_MSC4043, True)):
        shown = rules.shown(State(), None, override(UNAVAILABLE, "away", source), connected, NOW, False)
        assert (shown.state, shown.status_msg, shown.last_active_ts) == (UNAVAILABLE, "away", FROZEN), source


def test_online_override_ignores_last_active_alone() -> None:
    before = rules.apply(State(), override(ONLINE), NOW)
    later = rules.apply(State(), override(ONLINE), NOW + 60_000)
    assert rules.changes_nothing_visible(before, later, override(ONLINE), force_notify=False)
    assert not rules.changes_nothing_visible(before, later, override(ONLINE), force_notify=True)


def test_other_overrides_tell_a_changed_last_active() -> None:
    prev = State(state=UNAVAILABLE, last_active_ts=FROZEN)
    same = prev.copy_and_replace()
    moved = prev.copy_and_replace(last_active_ts=FROZEN + 1)
    assert rules.changes_nothing_visible(prev, same, override(UNAVAILABLE), force_notify=False)
    assert not rules.changes_nothing_visible(prev, moved, override(UNAVAILABLE), force_notify=False)


@pytest.mark.parametrize(
    "change",
    [{"state": OFFLINE}, {"status_msg": "new"}, {"currently_active": True}],
)
def test_any_other_visible_field_is_a_change(change: dict[str, Any]) -> None:
    prev = State(state=ONLINE, last_active_ts=NOW, currently_active=False)
    assert not rules.changes_nothing_visible(prev, prev.copy_and_replace(**change), override(ONLINE), False)


def test_nothing_shown_before_is_always_a_change() -> None:
    assert not rules.changes_nothing_visible(None, State(), override(ONLINE), force_notify=False)


def test_only_a_shown_msc4532_override_needs_the_device_timeout() -> None:
    assert rules.needs_device_timeout(override(UNAVAILABLE, source=SOURCE_MSC4532), State(state=UNAVAILABLE))
    assert not rules.needs_device_timeout(override(UNAVAILABLE, source=SOURCE_MSC4532), State(state=OFFLINE))
    assert not rules.needs_device_timeout(override(UNAVAILABLE), State(state=UNAVAILABLE))


def test_own_message_without_an_override_wins_over_a_devices() -> None:
    device = State(status_msg="from a device")
    assert rules.with_own_message(device, "mine") == device.copy_and_replace(status_msg="mine")
    assert rules.with_own_message(device, None) is device
    assert rules.with_own_message(device, "from a device") is device


def test_rules_import_no_synapse() -> None:
    code = (
        "import sys, synapse_presence_override.rules\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'synapse' or 'synapse_private' in m)\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
