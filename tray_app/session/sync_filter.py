"""The filter of every sync: our own presence and the one event a backend watches, no rooms."""

from __future__ import annotations

from typing import Any

# A key of our own in the sync filter whose value differs for every initial sync: Synapse
# keys its sync response cache on the filter's string (with user, device, since, timeout,
# full_state), so without it an initial sync within `sync_response_cache_duration` (2 min) of
# another one of this device, this process's or an earlier one's, is answered with that one's
# cached, older account data. Synapse's filter schema allows unknown keys.
FRESH_KEY = "org.presence_tray.initial_sync"


def sync_filter(user_id: str, account_data_types: tuple[str, ...] = (), fresh: str | None = None) -> dict[str, Any]:
    """Only our own presence (and the one account-data event a backend watches, if any): no
    rooms, whatever the account's size. `fresh`: the FRESH_KEY value of this initial sync."""
    flt: dict[str, Any] = {
        "room": {
            "rooms": [],
            "account_data": {"not_types": ["*"]},
            "ephemeral": {"not_types": ["*"]},
            "state": {"not_types": ["*"]},
            "timeline": {"not_types": ["*"], "limit": 0},
            "include_leave": False,
        },
        "account_data": {"types": list(account_data_types)} if account_data_types else {"not_types": ["*"]},
        "presence": {"senders": [user_id], "types": ["m.presence"]},
    }
    if fresh is not None:
        flt[FRESH_KEY] = fresh
    return flt
