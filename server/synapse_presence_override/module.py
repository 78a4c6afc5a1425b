"""The Synapse module: endpoints, persistence and enforcement wiring (its config: `config.py`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from synapse.module_api import UserID
from synapse.module_api.errors import Codes, SynapseError

from . import account_data, version_window
from . import config as module_config
from .config import DEPRECATED_FORCE_SWITCH, STRICT, PresenceOverrideConfig
from .store import OverrideStore
from .synapse_private import compatibility, patches, servlets, storage
from .synapse_private.enforcer import PresenceEnforcer
from .synapse_private.handler import SynapseInternals
from .values import (
    BUSY,
    DISABLED,
    FEATURE_FLAG,
    OFFLINE,
    ONLINE,
    SOURCE_MSC4043,
    STABLE_PREFIX,
    STATUS_MSG_ALONE_FEATURE_FLAG,
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
UNSTABLE_PATTERN = "^" + UNSTABLE_PREFIX.replace(".", r"\.") + f"/presence/{_USER_ID_GROUP}/override$"

# How often held overrides are checked for a due federation keep-alive, and how old the last
# one may be (Synapse pings every 25 min; remote servers time out after 30).
KEEPALIVE_CHECK_MS = 60 * 1000
PRESENCE_DISABLED_ERROR = "Presence is disabled on this homeserver: a presence override would have no effect."


class PresenceOverrideModule:
    """MSC4043 presence override (with MSC4042 `disabled`) for Synapse.

    Load it with::

        modules:
          - module: synapse_presence_override.PresenceOverrideModule
            config: {}
    """

    @staticmethod
    def parse_config(config: Any) -> PresenceOverrideConfig:
        return module_config.parse_config(config)

    def __init__(self, config: PresenceOverrideConfig, api: ModuleApi):
        self._api = api
        self._internals = SynapseInternals(api)
        self._store = OverrideStore(api)
        self._overrides: dict[str, Override] = {}
        # MSC4532: a `status.msg` with no override is the user's status message on its own.
        # Not in the table: it is read back from the event (below) after a restart.
        self._messages: dict[str, str] = {}
        # Users whose account-data event the module has read (or seen written) since this
        # start; the others are read once, lazily, when the module first meets them.
        self._caught_up: set[str] = set()
        self._loaded = False
        self.active = False
        self._enforcer: PresenceEnforcer | None = None
        version = compatibility.synapse_version()
        if config.deprecated_switch:
            logger.warning(
                "presence override (MSC4043): `%s` is deprecated and has no effect: outside "
                "the tested window the module now checks Synapse's internals and runs or "
                "disables itself; set `%s: true` to refuse to start instead. Remove it.",
                DEPRECATED_FORCE_SWITCH,
                STRICT,
            )

        missing = compatibility.missing_internals()
        if missing:
            # Never a homeserver that fails to start: no endpoints, no flags, one error.
            logger.error(
                "presence override (MSC4043) DISABLED on Synapse %s: the Synapse internals "
                "it needs are missing or changed (%s); the override endpoints and /versions "
                "flags are not installed, clients fall back as on a stock server. Install a "
                "module release tested with this Synapse (tested: %s).",
                version,
                "; ".join(missing),
                version_window.describe(),
            )
            return
        if not compatibility.is_tested_synapse(version):
            logger.warning(
                "presence override (MSC4043): Synapse %s is outside the tested window %s; "
                "the internals it needs are present, so it runs. Test it before relying on "
                "it, or set `%s: true` to refuse to start instead.",
                version,
                version_window.describe(),
                STRICT,
            )

        self._load_lock = self._internals.make_linearizer("presence_override_load")
        self._user_lock = self._internals.make_linearizer("presence_override_user")
        self._ratelimiter = self._internals.make_presence_ratelimiter()
        is_writer = self._internals.is_presence_writer
        presence_enabled = self._internals.presence_enabled
        # With presence disabled an override can reach nobody: no flags (clients see a
        # stock server) and PUT answers 403 instead of pretending.
        flags = (
            {
                FEATURE_FLAG: True,
                STATUS_MSG_FEATURE_FLAG: True,
                STATUS_MSG_ALONE_FEATURE_FLAG: True,
                account_data.MSC4532_FLAG: True,
            }
            if presence_enabled
            else {}
        )
        enforcer = None
        if is_writer:
            enforcer = PresenceEnforcer(
                lookup=self._overrides.get,
                is_loaded=lambda: self._loaded,
                ensure_loaded=self._ensure_loaded,
                message=self._messages.get,
                catch_up=self._catch_up,
                msc3026_busy=self._internals.msc3026_busy,
            )
            self._enforcer = enforcer
        patches.attach(
            api._hs,
            patches.HomeserverHooks(
                register=self._register_servlets,
                flags=flags,
                enforcer=enforcer,
                msc3026_busy=self._internals.msc3026_busy,
            ),
        )
        # MSC4532: a client's write of the event is applied like an MSC4043 PUT. Synapse
        # calls this on the account-data writer (the main process unless configured).
        api.register_account_data_callbacks(on_account_data_updated=self._on_account_data)
        self.active = True

        if not presence_enabled:
            logger.warning(
                "presence override (MSC4043): presence is disabled in homeserver.yaml; no "
                "/versions flag, PUT of an override answers 403. Stored overrides are kept."
            )
        elif is_writer:
            if not self._internals.presence_tracked:
                logger.info(
                    "presence override (MSC4043): presence is `untracked`: overrides reach "
                    "local users only (Synapse sends no presence over federation then)."
                )
            # Modules load before the listeners; once start-up is over the client listener
            # has built the presence handler: load and reconcile then, not at the first
            # request (and never build the handler ourselves).
            api.delayed_background_call(0, self._load_at_start, desc="presence_override_load")
            api.looping_background_call(
                self._send_keepalives,
                KEEPALIVE_CHECK_MS,
                desc="presence_override_keepalive",
                run_on_all_instances=True,
            )
            logger.info(
                "presence override (MSC4043) active on presence writer %s, Synapse %s",
                self._internals.instance_name,
                version,
            )
        else:
            logger.info(
                "presence override (MSC4043): %s is not the presence writer (%s); this "
                "process only advertises the feature. Route the override paths to %s.",
                self._internals.instance_name,
                ", ".join(self._internals.presence_writers),
                ", ".join(self._internals.presence_writers),
            )

    async def _load_at_start(self) -> None:
        if self._internals.built_handler() is not None:
            await self._ensure_loaded()

    def _register_servlets(self, client_resource: Any) -> None:
        servlet_cls = servlets.make_servlet_class()
        for pattern, on_get, on_put in (
            (STABLE_PATTERN, self._stable_get, self._stable_put),
            (UNSTABLE_PATTERN, self._unstable_get, self._unstable_put),
        ):
            servlet_cls(pattern, on_get, on_put).register(client_resource)

    # --- loading ---------------------------------------------------------------------

    async def _ensure_loaded(self) -> None:
        """Load the table once, then make Synapse's stored presence agree with it.

        Start-up work is one SELECT and one in-memory comparison per override; only users
        whose stored presence disagrees (changed while the module was not loaded) are
        pushed, in a single update. Runs on the first presence update or override request,
        never while the module loads (that would build the presence handler early).
        """
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
        await self._reconcile()

    async def _reconcile(self) -> None:
        if not self._internals.is_presence_writer or not self._internals.presence_enabled:
            return
        stale = []
        busy = self._internals.msc3026_busy
        for user_id, override in self._overrides.items():
            state = self._internals.stored_state(user_id)
            if state is None and override.follows_devices:
                continue  # no device connected yet: MSC4532's offline is what shows
            shown = (state.state, state.status_msg) if state is not None else (OFFLINE, None)
            if shown != (override.effective_presence(busy), override.status_msg):
                stale.append(user_id)
        if stale:
            logger.info("presence override: re-asserting %d stale override(s)", len(stale))
            # Their account data is read when each is next met, not now (start-up stays
            # one SELECT and one comparison per override).
            await self._internals.push_overrides(stale, catch_up=False)

    async def _send_keepalives(self) -> None:
        if not self._loaded or not self._overrides:
            return
        handler = self._internals.built_handler()
        if handler is None:
            return
        ping_after = self._internals.federation_ping_interval() - 2 * KEEPALIVE_CHECK_MS
        assert self._enforcer is not None
        await self._enforcer.send_keepalives(handler, list(self._overrides.values()), ping_after)

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
            raise SynapseError(403, "Can only access your own presence override", Codes.FORBIDDEN)
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
        await self._catch_up([user_id])
        return 200, _body(self._overrides.get(user_id), unstable=unstable, message=self._messages.get(user_id))

    async def _on_put(self, request: Any, user_id: str, *, unstable: bool) -> tuple[int, Any]:
        requester = await self._authorise(request, user_id)
        if not self._internals.presence_enabled:
            raise SynapseError(403, PRESENCE_DISABLED_ERROR, Codes.FORBIDDEN)
        # Synapse's own presence limiter settings (rc_presence.per_user); raises 429 with
        # retry_after_ms, exactly as PUT /presence/{userId}/status answers.
        await self._ratelimiter.ratelimit(requester)
        try:
            put = parse_put_body(request.content.read())
        except BadBody as e:
            raise SynapseError(400, e.message, e.errcode) from None

        await self._ensure_loaded()
        self._caught_up.add(user_id)  # this write is the latest: nothing older to read
        async with self._user_lock.queue(user_id):
            # A clear takes the override's message with it, unless it carries one: that one then
            # stays on its own (STATUS_MSG_ALONE_FEATURE_FLAG, as MSC4532's `status.msg`).
            override = await self._apply_state(user_id, put.presence or None, put.status_msg, SOURCE_MSC4043)
        # Outside the lock: the account-data callback takes it (and finds nothing to do).
        await self._mirror_to_account_data(user_id, override)
        return 200, _body(override, unstable=unstable, message=self._messages.get(user_id))

    async def _apply_state(
        self, user_id: str, presence: str | None, status_msg: str | None, source: str
    ) -> Override | None:
        """Store and enforce what the user asked for: an override with its message, or no
        override and (MSC4532) a status message on its own. Call under the user's lock."""
        if presence is not None:
            self._messages.pop(user_id, None)  # the override's message is the message
            return await self._apply_override(user_id, presence, status_msg, source)
        previous_msg = self._messages.get(user_id)
        if status_msg:
            self._messages[user_id] = status_msg
        else:
            self._messages.pop(user_id, None)
        had_override = user_id in self._overrides
        # Clearing hands presence back to the devices; the enforcer adds the message.
        await self._apply_override(user_id, None, None, source)
        if not had_override and previous_msg != status_msg:
            await self._internals.set_status_msg(user_id, status_msg)
        return None

    async def _apply_override(
        self, user_id: str, presence: str | None, status_msg: str | None, source: str
    ) -> Override | None:
        """Store and enforce (or clear) one user's override. Call under the user's lock."""
        previous = self._overrides.get(user_id)
        if presence is None:
            if previous is not None:
                await self._store.delete(user_id)
                self._overrides.pop(user_id, None)
                await self._internals.restore_normal_presence(user_id, was_busy=previous.presence == BUSY)
            return None

        now = self._api.get_current_time_msec()
        if presence == DISABLED:
            # MSC4042: deliberately no presence data, so no last-active time either.
            last_active = 0
        elif previous is not None:
            # An `online` override reads as active until now; others stay frozen.
            last_active = now if previous.presence == ONLINE else previous.last_active_ts
        else:
            last_active = await self._internals.current_last_active_ts(user_id)
        override = Override(
            user_id=user_id,
            presence=presence,
            status_msg=status_msg,
            last_active_ts=last_active,
            updated_ts=now,
            source=source,
        )
        await self._store.upsert(override)
        self._overrides[user_id] = override
        if previous is not None and previous.presence == BUSY and presence != BUSY:
            await self._internals.restore_normal_presence(user_id, was_busy=True)
        await self._internals.push_override(user_id)
        return override

    # --- MSC4532: the account-data event -----------------------------------------------

    async def _mirror_to_account_data(
        self, user_id: str, override: Override | None, written: str | None = None
    ) -> None:
        """Every change reaches the user's devices through their /sync (the contract in the
        README): read-modify-write of the advertised (unstable) event, and of the stable one
        where the user has it, unknown keys kept. `written`: the event a client just wrote
        (left as the client wrote it)."""
        manager = self._api.account_data_manager
        message = self._messages.get(user_id) if override is None else None
        for event_type in account_data.EVENT_TYPES:
            if event_type == written:
                continue
            try:
                current = await manager.get_global(user_id, event_type)
                if current is None and (
                    event_type != account_data.EVENT_TYPE or (override is None and message is None)
                ):
                    continue  # nothing to tell anyone through an event the user never had
                new = account_data.mirror_event(current, override, message, event_type)
                if current is not None and new == account_data.thaw(current):
                    continue  # already says exactly this: no write, no /sync wake-up
                await manager.put_global(user_id, event_type, new)
            except Exception as e:  # noqa: BLE001 - the override is stored and enforced
                logger.warning(
                    "presence override: could not mirror %s's override into %s "
                    "(%s: %s); the override holds, the event is unchanged",
                    user_id,
                    event_type,
                    type(e).__name__,
                    e,
                )

    async def _on_account_data(self, user_id: str, room_id: str | None, data_type: str, content: Any) -> None:
        """A client (or the module's own mirror) wrote the event: apply what it asks for."""
        if data_type not in account_data.EVENT_TYPES or room_id is not None:
            return
        if not self._internals.is_presence_writer or not self._api.is_mine(user_id):
            return
        wanted = account_data.read_event(content, data_type)
        await self._ensure_loaded()
        self._caught_up.add(user_id)  # this write is the latest: nothing older to read
        async with self._user_lock.queue(user_id):
            if not self._apply_needed(user_id, wanted):
                return  # the module's own mirror, or nothing changed
            if wanted.presence is not None and not self._internals.presence_enabled:
                logger.info(
                    "presence override: %s set MSC4532 account data while presence is disabled; stored, no effect",
                    user_id,
                )
            override = await self._apply_state(user_id, wanted.presence, wanted.status_msg, wanted.source)
        # The other spelling follows (latest write wins; both say the same afterwards).
        await self._mirror_to_account_data(user_id, override, written=data_type)

    def _apply_needed(self, user_id: str, wanted: account_data.Wanted) -> bool:
        return not wanted.same_as(self._overrides.get(user_id), self._messages.get(user_id))

    async def _catch_up(self, user_ids: list[str]) -> None:
        """Apply events written while the module was not loaded, lazily: each user's event
        is read once, when the module first meets the user after a start (their first
        presence update, or their GET of the override), in one query per batch of users.
        Start-up reads nothing."""
        new = [u for u in dict.fromkeys(user_ids) if u not in self._caught_up and self._api.is_mine(u)]
        if not new:
            return
        try:
            latest = await storage.latest_account_data(self._api, new, account_data.EVENT_TYPES)
        except Exception as e:  # noqa: BLE001 - never break a presence update
            logger.warning(
                "presence override: could not read MSC4532 account data of %d user(s) (%s: %s)",
                len(new),
                type(e).__name__,
                e,
            )
            latest = {}
        for user_id in new:
            if user_id not in latest:
                self._caught_up.add(user_id)  # no event: nothing to apply
                continue
            written, content = latest[user_id]
            async with self._user_lock.queue(user_id):
                if user_id in self._caught_up:
                    continue  # a write (or another catch-up) got there first
                # Before applying: the push below runs the update path for this user again.
                self._caught_up.add(user_id)
                wanted = account_data.read_event(content, written)
                if not self._apply_needed(user_id, wanted):
                    continue
                logger.info(
                    "presence override: applying %s's %s written while the module was not loaded", user_id, written
                )
                override = await self._apply_state(user_id, wanted.presence, wanted.status_msg, wanted.source)
            await self._mirror_to_account_data(user_id, override, written=written)


def _body(override: Override | None, *, unstable: bool, message: str | None = None) -> dict[str, Any]:
    """The stored override as GET answers it (and PUT, so a click needs no second read).
    Without an override, `status_msg` is the user's message on its own (set through MSC4532's
    account data), where there is one: a client reading MSC4043 sees it without a second read."""
    if override is None:
        return {"presence_override": "", "status_msg": message} if message else {"presence_override": ""}
    body: dict[str, Any] = {"presence_override": spell(override.presence, unstable=unstable)}
    if override.status_msg:
        body["status_msg"] = override.status_msg
    return body
