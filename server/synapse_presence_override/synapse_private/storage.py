"""SQL on Synapse's own tables (their layout is Synapse's, not a public API). The module's own
table is `..store`, through the public API only."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi


async def latest_account_data(
    api: ModuleApi, user_ids: list[str], data_types: Iterable[str], batch: int = 500
) -> dict[str, tuple[str, Any]]:
    """Each user's most recently written global account-data event of these types, as
    (type, content), from Synapse's `account_data` table in one query per batch (the
    public API reads one user and type at a time). Users with none are left out."""
    types = list(data_types)

    def _txn(txn: Any, users: list[str]) -> list[tuple[Any, ...]]:
        txn.execute(
            "SELECT user_id, account_data_type, stream_id, content FROM account_data"
            " WHERE account_data_type IN (" + ", ".join("?" for _ in types) + ")"
            " AND user_id IN (" + ", ".join("?" for _ in users) + ")",
            (*types, *users),
        )
        return list(txn.fetchall())

    found: dict[str, tuple[int, str, Any]] = {}
    for i in range(0, len(user_ids), batch):
        rows = await api.run_db_interaction("presence_override_catch_up", _txn, user_ids[i : i + batch])
        for user_id, data_type, stream_id, content in rows:
            if user_id not in found or int(stream_id) > found[user_id][0]:
                found[user_id] = (int(stream_id), str(data_type), content)
    result = {}
    for user_id, (_pos, data_type, content) in found.items():
        try:
            result[user_id] = (data_type, json.loads(content))
        except ValueError:
            continue  # not JSON: nothing a client could have meant
    return result
