"""The Synapse module: config, endpoints, persistence and enforcement wiring."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from synapse.module_api import UserID
from synapse.module_api.errors import Codes, ConfigError, SynapseError

from . import _synapse_internals as internals
from .store import OverrideStore
from .values import (
    DISABLED,
    FEATURE_FLAG,
    ONLINE,
    STABLE_PREFIX,
    STATUS_MSG_FEATURE_FLAG,
    UNSTABLE_PREFIX,
    BadBody,
    Override,
    parse_put_body,
    spell,
)

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi

logger = logging.getLogger(__name__)

_USER_ID_GROUP = "(?P<user_id>[^/]*)"
STABLE_PATTERN = f"^{STABLE_PREFIX}/presence/{_USER_ID_GROUP}/override$"
UNSTABLE_PATTERN = (
    "^" + UNSTABLE_PREFIX.replace(".", r"\.") + f"/presence/{_USER_ID_GROUP}/override$"
)


class PresenceOverrideConfig:
    def __init__(self, allow_untested_synapse: bool = False):
        self.allow_untested_synapse = allow_untested_synapse


class PresenceOverrideModule:
    """MSC4043 presence override (with MSC4042 `disabled`) for Synapse.

    Load it with::

        modules:
          - module: synapse_presence_override.PresenceOverrideModule
            config: {}
    """

    @staticmethod
    def parse_config(config: Any) -> PresenceOverrideConfig:
        config = config or {}
        if not isinstance(config, dict):
            raise ConfigError("expected a mapping (or nothing) as the module's config")
        unknown = set(config) - {internals.FORCE_SWITCH}
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        force = config.get(internals.FORCE_SWITCH, False)
        if not isinstance(force, bool):
            raise ConfigError(f"`{internals.FORCE_SWITCH}` must be true or false")
        # Fail at config time, before anything starts, with a message naming the switch.
        internals.check_synapse_version(force, warn=False)
        return PresenceOverrideConfig(allow_untested_synapse=force)

    def __init__(self, config: PresenceOverrideConfig, api: ModuleApi):
        self._config = config
        self._api = api
        self._internals = internals.SynapseInternals(api, config.allow_untested_synapse)
        self._store = OverrideStore(api)
        self._overrides: dict[str, Override] = {}
        self._loaded = False
        self._load_lock = self._internals.make_linearizer("presence_override_load")
        self._user_lock = self._internals.make_linearizer("presence_override_user")
        self._ratelimiter = self._internals.make_presence_ratelimiter()

        self._internals.install_versions_flags(
            {FEATURE_FLAG: True, STATUS_MSG_FEATURE_FLAG: True}
        )
        self._internals.install_servlets(
            [
                (STABLE_PATTERN, self._stable_get, self._stable_put),
                (UNSTABLE_PATTERN, self._unstable_get, self._unstable_put),
            ]
        )

        if self._internals.is_presence_writer:
            self._internals.install_presence_rewrite(
                lookup=self._overrides.get,
                is_loaded=lambda: self._loaded,
                ensure_loaded=self._ensure_loaded,
            )
            api.run_as_background_process("presence_override_startup", self._startup)
            logger.info(
                "presence override (MSC4043) active on presence writer %s, Synapse %s",
                self._internals.instance_name,
                internals.synapse_version(),
            )
        else:
            logger.info(
                "presence override (MSC4043): %s is not the presence writer (%s); this "
                "process only advertises the feature. Route the override paths to %s.",
                self._internals.instance_name,
                ", ".join(self._internals.presence_writers),
                ", ".join(self._internals.presence_writers),
            )

    # --- loading ---------------------------------------------------------------------

    async def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        async with self._load_lock.queue("load"):
            if self._loaded:
                return
            await self._store.create_table()
            self._overrides.clear()
            self._overrides.update(await self._store.load_all())
            self._loaded = True
            logger.info("presence override: %d override(s) loaded", len(self._overrides))

    async def _startup(self) -> None:
        await self._ensure_loaded()
        # Re-assert every stored override, so the stored presence matches even if it was
        # changed while the module was not loaded.
        for user_id in list(self._overrides):
            async with self._user_lock.queue(user_id):
                if user_id in self._overrides:
                    await self._internals.push_override(user_id)

    # --- endpoints -----------------------------------------------------------------------

    async def _stable_get(self, request: Any, user_id: str) -> tuple[int, Any]:
        return await self._on_get(request, user_id, unstable=False)

    async def _stable_put(self, request: Any, user_id: str) -> tuple[int, Any]:
        return await self._on_put(request, user_id, unstable=False)

    async def _unstable_get(self, request: Any, user_id: str) -> tuple[int, Any]:
        return await self._on_get(request, user_id, unstable=True)

    async def _unstable_put(self, request: Any, user_id: str) -> tuple[int, Any]:
        return await self._on_put(request, user_id, unstable=True)

    async def _authorise(self, request: Any, user_id: str) -> Any:
        requester = await self._api.get_user_by_req(request)  # 401s
        try:
            UserID.from_string(user_id)
        except SynapseError:
            raise SynapseError(400, "Invalid user id", Codes.INVALID_PARAM) from None
        if requester.user.to_string() != user_id:
            raise SynapseError(
                403, "Can only access your own presence override", Codes.FORBIDDEN
            )
        if not self._internals.is_presence_writer:
            writers = ", ".join(self._internals.presence_writers)
            logger.error(
                "presence override request reached %s, which is not the presence writer; "
                "route the override paths to %s",
                self._internals.instance_name,
                writers,
            )
            raise SynapseError(
                500,
                "Presence override requests must be routed to the presence writer "
                f"({writers}); see the module's README.",
                Codes.UNKNOWN,
            )
        return requester

    async def _on_get(self, request: Any, user_id: str, *, unstable: bool) -> tuple[int, Any]:
        await self._authorise(request, user_id)
        await self._ensure_loaded()
        override = self._overrides.get(user_id)
        if override is None:
            return 200, {"presence_override": ""}
        body: dict[str, Any] = {"presence_override": spell(override.presence, unstable=unstable)}
        if override.status_msg:
            body["status_msg"] = override.status_msg
        return 200, body

    async def _on_put(self, request: Any, user_id: str, *, unstable: bool) -> tuple[int, Any]:
        requester = await self._authorise(request, user_id)
        # Synapse's own presence limiter settings (rc_presence.per_user); raises 429 with
        # retry_after_ms, exactly as PUT /presence/{userId}/status answers.
        await self._ratelimiter.ratelimit(requester)
        try:
            put = parse_put_body(request.content.read())
        except BadBody as e:
            raise SynapseError(400, e.message, e.errcode) from None

        await self._ensure_loaded()
        async with self._user_lock.queue(user_id):
            if put.presence == "":
                if user_id in self._overrides:
                    await self._store.delete(user_id)
                    self._overrides.pop(user_id, None)
                    await self._internals.restore_normal_presence(user_id)
                return 200, {"presence_override": ""}

            now = self._api.get_current_time_msec()
            if put.presence == DISABLED:
                # MSC4042: deliberately no presence data, so no last-active time either.
                last_active = 0
            elif user_id in self._overrides:
                previous = self._overrides[user_id]
                # An `online` override reads as active until now; others stay frozen.
                last_active = now if previous.presence == ONLINE else previous.last_active_ts
            else:
                last_active = await self._internals.current_last_active_ts(user_id)
            override = Override(
                user_id=user_id,
                presence=put.presence,
                status_msg=put.status_msg,
                last_active_ts=last_active,
                updated_ts=now,
            )
            await self._store.upsert(override)
            self._overrides[user_id] = override
            await self._internals.push_override(user_id)
        # The stored override, as GET answers it: the client needs no confirming read.
        body: dict[str, Any] = {"presence_override": spell(override.presence, unstable=unstable)}
        if override.status_msg:
            body["status_msg"] = override.status_msg
        return 200, body
