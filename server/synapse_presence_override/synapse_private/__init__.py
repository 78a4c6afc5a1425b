"""Every touch of Synapse's *private* internals lives in this subpackage.

The public module API cannot implement MSC4043 (see the README): it cannot add endpoints under
`/_matrix/client`, cannot add `/versions` flags, and cannot veto or rewrite a presence change
before it is stored and sent. So these modules reach in, one concern each:

- `compatibility`: `missing_internals()` checks the names and signatures all this needs without
  building anything; the module disables itself (or, when `strict`, refuses to start) when it
  fails. Also the Synapse version against the tested window (`..version_window`).
- `patches`: the process-wide wrappers (below, 1, 2, 3, 5 and 6) and the per-homeserver hooks.
- `servlets`: the servlet class the endpoints are registered with.
- `enforcer`: the override rules (`..rules`, which knows nothing of Synapse) applied inside the
  presence writer's handler (3), and the federation keep-alives for held overrides.
- `handler`: the narrow surface the rest of the module uses: process roles, the presence
  handler, Synapse's limiter and linearizer, pushing overrides and clearing them (4).
- `storage`: SQL on Synapse's own tables (the users' account data).

1. `synapse.rest.ClientRestResource.register_servlets` is wrapped (once per process) so our
   servlets are registered beside Synapse's own on every homeserver that loaded the module.
2. `VersionsRestServlet.on_GET` is wrapped to add our flags to `unstable_features`.
3. `PresenceHandler._update_states` is wrapped at the *class* level, so loading the module
   neither builds the presence handler nor changes the order Synapse builds things in. On a
   homeserver with the module, every incoming state of an overridden user is rewritten to the
   override; a rewrite that changes nothing anyone can see is dropped before Synapse's
   bookkeeping, so a held override arms no timers and marks nothing for persisting (issue 14).
   Federation keep-alives for held overrides are sent in one batch by `send_keepalives`.
4. On clear, the per-device states are aggregated again with Synapse's own
   `_combine_device_states` and `handle_timeout`, so normal aggregation comes back at once.
5. The federation sender's `format_user_presence_state` (as imported by
   `per_destination_queue`) is wrapped so that the state of a `disabled` user (recognised by
   `is_disabled_mark`) says `last_active_ago` = "never" instead of leaving it out: a receiving
   Synapse keeps the previous value when the EDU omits it, and that value grows.
6. `SyncRestServlet.on_GET` and `PresenceStatusRestServlet.on_PUT` are wrapped so that MSC4532's
   client states (`active`, `idle`, `busy`; `..values.synapse_presence`) in `set_presence` and
   in the status body reach Synapse in its own words instead of being refused; with MSC3026 on,
   the sync servlet also takes Synapse's busy, which only its list of allowed values lacked.

Per-homeserver state lives on the HomeServer object (attribute `HS_ATTR`); the process-wide
wrappers hold no homeserver, so a homeserver that shuts down can be garbage collected.
"""
