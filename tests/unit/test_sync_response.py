"""tray_app.session.sync_response: the one reading of a /sync answer (initial sync and long poll)."""

from __future__ import annotations

import asyncio
import json
import types

import pytest

from tray_app.errors import BadResponse
from tray_app.session.sync_response import OwnPresenceEvent, long_poll_body, parse_sync

ME = "@alice:localhost"
WATCHED = "org.example.watched"


def answer(**sections):
    return {"next_batch": "s2", **{k: {"events": v} for k, v in sections.items()}}


def test_only_our_own_presence_and_the_watched_events_in_order():
    body = answer(
        presence=[
            {"type": "m.presence", "sender": "@bob:localhost", "content": {"presence": "online"}},
            {"type": "m.presence", "sender": ME, "content": {"presence": "unavailable", "status_msg": "lunch"}},
            {"type": "m.presence", "sender": ME, "content": {"presence": "online", "status_msg": 5}},
            {"type": "m.presence", "sender": ME, "content": {"no": "presence"}},
            "not an event",
        ],
        account_data=[
            {"type": "m.push_rules", "content": {}},
            {"type": WATCHED, "content": {"a": 1}},
            {"type": WATCHED, "content": "not an object"},
            {"type": WATCHED, "content": {"a": 2}},
        ],
    )
    batch = parse_sync(body, ME, (WATCHED,))
    assert batch.next_batch == "s2"
    assert batch.own_presence == (OwnPresenceEvent("unavailable", "lunch"), OwnPresenceEvent("online", None))
    assert batch.account_data == ((WATCHED, {"a": 1}), (WATCHED, {"a": 2}))
    assert parse_sync(body, ME, ()).account_data == ()  # a backend that watches nothing


def test_an_answer_without_next_batch_is_a_bad_response():
    with pytest.raises(BadResponse):
        parse_sync({"presence": {"events": []}}, ME, ())


def test_empty_or_odd_sections_read_as_nothing():
    batch = parse_sync({"next_batch": "s3", "presence": [], "account_data": {"events": None}}, ME, (WATCHED,))
    assert (batch.own_presence, batch.account_data) == ((), ())


def test_the_long_poll_body_is_the_one_its_transport_read():
    body = answer(presence=[{"type": "m.presence", "sender": ME, "content": {"presence": "online"}}])

    async def read():
        return json.dumps(body).encode()

    nio_answer = types.SimpleNamespace(transport_response=types.SimpleNamespace(read=read))
    assert asyncio.run(long_poll_body(nio_answer)) == body
