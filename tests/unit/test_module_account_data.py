"""The module's MSC4532 mapping (server/synapse_presence_override/account_data.py), the contract
the client relies on (server/README.md, "The mirror"), without a Synapse.
"""

from __future__ import annotations

from typing import Any

import pytest

from synapse_presence_override import account_data as ad
from synapse_presence_override import values

P = "org.continuwuity.presence_v2.msc4532."
MIRROR = "org.presence_tray.msc4043_override"


def override(presence: str, status_msg: str | None = None) -> Any:
    return values.Override("@u:x", presence, status_msg, 0, 0)


@pytest.mark.parametrize(
    ("msc4043", "msc4532"),
    [
        ("online", P + "active"),
        ("unavailable", P + "idle"),
        ("busy", P + "busy"),
        ("offline", "offline"),
    ],
)
def test_mirror_maps_and_reads_back_as_msc4043(msc4043: str, msc4532: str) -> None:
    content = ad.mirror_event({"x.unknown": {"deep": [1]}, "status": {"y": 1}}, override(msc4043, "hi"))
    assert content == {
        "x.unknown": {"deep": [1]},
        "status": {"y": 1, "msg": "hi"},
        "state_override": msc4532,
        MIRROR: msc4043,
    }
    assert ad.read_event(content) == ad.Wanted(msc4043, "hi", values.SOURCE_MSC4043)


def test_disabled_has_no_state_override_and_clearing_removes_only_our_keys() -> None:
    content = ad.mirror_event({"state_override": P + "idle", "status": {"msg": "m"}, "k": 1}, override("disabled"))
    assert content == {"status": {}, "k": 1, MIRROR: "disabled"}
    assert ad.read_event(content) == ad.Wanted("disabled", None, values.SOURCE_MSC4043)
    cleared = ad.mirror_event(content, None)
    assert cleared == {"status": {}, "k": 1}
    assert ad.read_event(cleared).presence is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"state_override": P + "idle", "status": {"msg": "away"}}, ("unavailable", "away")),
        ({"state_override": P + "active", MIRROR: "disabled"}, ("online", None)),  # client's edit
        ({"state_override": P + "idle", MIRROR: "online"}, ("unavailable", None)),
        ({"state_override": "active"}, (None, None)),  # stable spelling: not (yet) known
        ({"state_override": P + "napping"}, (None, None)),
        ({"state_override": 3, "status": "not an object"}, (None, None)),
        ({MIRROR: "online"}, (None, None)),  # mirror says online, but no state_override
        ({"status": {"msg": ""}}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_client_written_events(content: dict[str, Any], expected: tuple[Any, Any]) -> None:
    wanted = ad.read_event(content)
    assert (wanted.presence, wanted.status_msg) == expected
    assert wanted.source == values.SOURCE_MSC4532


def test_own_write_is_recognised_against_the_stored_override() -> None:
    stored = override("unavailable", "hi")
    assert ad.read_event(ad.mirror_event(None, stored)).same_as(stored)
    assert not ad.read_event({"state_override": P + "idle", "status": {"msg": "hi"}}).same_as(
        stored
    )  # same state, but a client wrote it: now MSC4532's (rule 1)
    assert ad.read_event({}).same_as(None)


@pytest.mark.parametrize(
    ("msc4043", "stable"),
    [
        ("online", "active"),
        ("unavailable", "idle"),
        ("busy", "busy"),
        ("offline", "offline"),
    ],
)
def test_the_stable_event_has_plain_values(msc4043: str, stable: str) -> None:
    S = ad.STABLE_EVENT_TYPE
    assert ad.read_event({"state_override": stable, "status": {"msg": "m"}}, S) == ad.Wanted(
        msc4043, "m", values.SOURCE_MSC4532
    )
    content = ad.mirror_event({"k": 1}, override(msc4043), None, S)
    assert content == {"k": 1, "state_override": stable, MIRROR: msc4043}
    assert ad.read_event(content, S) == ad.Wanted(msc4043, None, values.SOURCE_MSC4043)
    if stable != "offline":  # each spelling reads only its own values
        assert ad.read_event({"state_override": P + stable}, S).presence is None
        assert ad.read_event({"state_override": stable}).presence is None


def test_a_message_without_an_override() -> None:
    wanted = ad.read_event({"status": {"msg": "lunch"}})
    assert wanted == ad.Wanted(None, "lunch", values.SOURCE_MSC4532)
    assert wanted.same_as(None, "lunch") and not wanted.same_as(None, None)
    assert not wanted.same_as(override("online", "lunch"))
    # Written as a copy of a client's event: no mirror key, the message alone.
    copy = ad.mirror_event(
        {"state_override": P + "idle", MIRROR: "unavailable", "status": {"msg": "x", "y": 1}}, None, "lunch"
    )
    assert copy == {"status": {"msg": "lunch", "y": 1}}
    # A client's MSC4532 override copied to the other spelling still reads as MSC4532's.
    msc4532 = values.Override("@u:x", "unavailable", "m", 0, 0, values.SOURCE_MSC4532)
    copied = ad.mirror_event({MIRROR: "online"}, msc4532, None, ad.STABLE_EVENT_TYPE)
    assert copied == {"state_override": "idle", "status": {"msg": "m"}}
    assert ad.read_event(copied, ad.STABLE_EVENT_TYPE).same_as(msc4532)
