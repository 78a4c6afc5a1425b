"""The module's `config:` in homeserver.yaml, and the refusal to start that `strict: true` asks
for (checked before anything starts)."""

from __future__ import annotations

from typing import Any

from synapse.module_api.errors import ConfigError

from . import version_window
from .synapse_private import compatibility


class PresenceOverrideConfig:
    def __init__(self, strict: bool = False, deprecated_switch: bool = False):
        self.strict = strict
        # `allow_untested_synapse` was given: accepted, changes nothing, warned about.
        self.deprecated_switch = deprecated_switch


STRICT = "strict"
DEPRECATED_FORCE_SWITCH = "allow_untested_synapse"


def parse_config(config: Any) -> PresenceOverrideConfig:
    config = config or {}
    if not isinstance(config, dict):
        raise ConfigError("expected a mapping (or nothing) as the module's config")
    unknown = set(config) - {STRICT, DEPRECATED_FORCE_SWITCH}
    if unknown:
        raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
    for name in (STRICT, DEPRECATED_FORCE_SWITCH):
        if not isinstance(config.get(name, False), bool):
            raise ConfigError(f"`{name}` must be true or false")
    strict = config.get(STRICT, False)
    if strict and config.get(DEPRECATED_FORCE_SWITCH, False):
        raise ConfigError(
            f"`{STRICT}: true` and `{DEPRECATED_FORCE_SWITCH}: true` contradict each "
            f"other; `{DEPRECATED_FORCE_SWITCH}` is deprecated, remove it"
        )
    if strict:
        # Today's refusal, for admins who want it: fail before anything starts.
        version = compatibility.synapse_version()
        if not compatibility.is_tested_synapse(version):
            raise ConfigError(
                f"synapse_presence_override refuses to load on Synapse {version}: "
                f"`{STRICT}: true` is set and it was tested only with Synapse "
                f"{version_window.describe()}. Install a module release tested with "
                f"your Synapse, or remove `{STRICT}` to let it check Synapse's "
                f"internals and run (with a warning) or disable itself."
            )
        missing = compatibility.missing_internals()
        if missing:
            raise ConfigError(
                f"synapse_presence_override cannot run on Synapse {version}: these "
                f"Synapse internals it needs are missing or changed: {', '.join(missing)}"
            )
    return PresenceOverrideConfig(strict=strict, deprecated_switch=DEPRECATED_FORCE_SWITCH in config)
