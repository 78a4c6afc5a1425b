"""The server module's reading of MSC4532's client states (`active`, `idle`, `busy`, in the
proposal's unstable spelling or plain) on `/sync?set_presence=` and `PUT /presence/.../status`
(server/synapse_presence_override/values.py), without a Synapse."""

from __future__ import annotations

import json

import pytest

from synapse_presence_override.values import (
    MSC3026_BUSY,
    OFFLINE,
    ONLINE,
    UNAVAILABLE,
    rewrite_status_body,
    synapse_presence,
)

P = "org.continuwuity.presence_v2.msc4532."


@pytest.mark.parametrize(
    ("said", "without_msc3026", "with_msc3026"),
    [
        ("active", ONLINE, ONLINE),
        (P + "active", ONLINE, ONLINE),
        ("idle", UNAVAILABLE, UNAVAILABLE),
        (P + "idle", UNAVAILABLE, UNAVAILABLE),
        ("busy", UNAVAILABLE, MSC3026_BUSY),
        (P + "busy", UNAVAILABLE, MSC3026_BUSY),
        (P + "offline", OFFLINE, OFFLINE),  # `offline` has no prefix; taken anyway, never refused
    ],
)
def test_client_states_become_synapses(said, without_msc3026, with_msc3026):
    assert synapse_presence(said, msc3026_busy=False) == without_msc3026
    assert synapse_presence(said, msc3026_busy=True) == with_msc3026


@pytest.mark.parametrize(
    "said",
    ["online", "unavailable", "offline", MSC3026_BUSY, "", "Active", P + "away", "org.example.active", P],
)
def test_synapses_own_words_and_unknown_values_are_left_to_synapse(said):
    assert synapse_presence(said, msc3026_busy=False) is None
    assert synapse_presence(said, msc3026_busy=True) is None


def test_a_status_body_is_rewritten_keeping_the_rest():
    body = json.dumps({"presence": P + "idle", "status_msg": "lunch"}).encode()
    assert json.loads(rewrite_status_body(body, msc3026_busy=False)) == {
        "presence": UNAVAILABLE,
        "status_msg": "lunch",
    }
    assert json.loads(rewrite_status_body(b'{"presence": "busy"}', msc3026_busy=True)) == {"presence": MSC3026_BUSY}


@pytest.mark.parametrize(
    "raw",
    [
        b'{"presence": "online"}',
        b'{"presence": "unavailable", "status_msg": 5}',  # Synapse answers its own 400
        b'{"presence": 3}',
        b'{"status_msg": "no presence"}',
        b'["presence", "idle"]',
        b"not json",
        b"\xff\xfe",
        b"",
    ],
)
def test_other_bodies_reach_synapse_as_they_came(raw):
    assert rewrite_status_body(raw, msc3026_busy=False) is None
