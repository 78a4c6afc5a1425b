"""The module's own table, reached only through the public `ModuleApi.run_db_interaction`.

Synapse's transaction wrapper rewrites `?` placeholders for PostgreSQL, and both SQLite
(>= 3.24) and PostgreSQL understand `INSERT ... ON CONFLICT ... DO UPDATE`, so one set of
statements serves both engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .values import SOURCE_MSC4043, SOURCES, STORED_VALUES, Override

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi

TABLE = "msc4043_presence_overrides"

_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    user_id TEXT NOT NULL PRIMARY KEY,
    presence TEXT NOT NULL,
    status_msg TEXT,
    last_active_ts BIGINT NOT NULL,
    updated_ts BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT 'msc4043'
)
"""
# Tables made before MSC4532 support have no `source` column: every row there is MSC4043's.
_ADD_SOURCE = f"ALTER TABLE {TABLE} ADD COLUMN source TEXT NOT NULL DEFAULT 'msc4043'"


class OverrideStore:
    def __init__(self, api: ModuleApi):
        self._api = api

    async def create_table(self) -> None:
        def _txn(txn: Any) -> None:
            txn.execute(_CREATE)
            txn.execute(f"SELECT * FROM {TABLE} WHERE 1 = 0")
            if "source" not in {column[0] for column in txn.description}:
                txn.execute(_ADD_SOURCE)

        await self._api.run_db_interaction("presence_override_create_table", _txn)

    async def load_all(self) -> dict[str, Override]:
        def _txn(txn: Any) -> list[tuple[Any, ...]]:
            txn.execute(f"SELECT user_id, presence, status_msg, last_active_ts, updated_ts, source FROM {TABLE}")
            return list(txn.fetchall())

        rows = await self._api.run_db_interaction("presence_override_load", _txn)
        result: dict[str, Override] = {}
        for user_id, presence, status_msg, last_active_ts, updated_ts, source in rows:
            if presence not in STORED_VALUES:
                # Written by something else (or a future version); don't guess.
                continue
            result[user_id] = Override(
                user_id=user_id,
                presence=presence,
                status_msg=status_msg,
                last_active_ts=int(last_active_ts),
                updated_ts=int(updated_ts),
                source=source if source in SOURCES else SOURCE_MSC4043,
            )
        return result

    async def upsert(self, override: Override) -> None:
        def _txn(txn: Any) -> None:
            txn.execute(
                f"INSERT INTO {TABLE}"
                f" (user_id, presence, status_msg, last_active_ts, updated_ts, source)"
                f" VALUES (?, ?, ?, ?, ?, ?)"
                f" ON CONFLICT (user_id) DO UPDATE SET"
                f" presence = excluded.presence, status_msg = excluded.status_msg,"
                f" last_active_ts = excluded.last_active_ts,"
                f" updated_ts = excluded.updated_ts, source = excluded.source",
                (
                    override.user_id,
                    override.presence,
                    override.status_msg,
                    override.last_active_ts,
                    override.updated_ts,
                    override.source,
                ),
            )

        await self._api.run_db_interaction("presence_override_upsert", _txn)

    async def delete(self, user_id: str) -> None:
        def _txn(txn: Any) -> None:
            txn.execute(f"DELETE FROM {TABLE} WHERE user_id = ?", (user_id,))

        await self._api.run_db_interaction("presence_override_delete", _txn)
