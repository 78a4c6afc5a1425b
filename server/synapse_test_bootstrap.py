"""Run twisted trial on Synapse's own tests with this module in every test homeserver.

Started by `run-synapse-tests` with the extracted sdist's root as the working directory.
Every homeserver config Synapse parses (HomeserverTestCase, `setup_test_homeserver`, the
`override_config` decorator, workers) goes through `ModulesConfig.read_config`; wrapping it
in this process appends the module to `modules:` exactly as an admin would, after whatever the
test itself configured. Nothing on disk is edited.
"""

from __future__ import annotations

import os
import sys
from typing import Any

ENTRY = {"module": "synapse_presence_override.PresenceOverrideModule", "config": {}}


def install() -> None:
    from synapse.config.modules import ModulesConfig

    original = ModulesConfig.read_config

    def read_config(self: Any, config: dict, **kwargs: Any) -> None:
        config = dict(config)
        modules = list(config.get("modules") or [])
        if not any(m.get("module") == ENTRY["module"] for m in modules):
            modules.append(dict(ENTRY))
        config["modules"] = modules
        original(self, config, **kwargs)

    ModulesConfig.read_config = read_config  # type: ignore[method-assign]


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())  # Synapse's `tests` package, not the project's
    # The module's own tests in Synapse's style (presence_override_tests).
    sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), "synapse_tests"))
    if os.environ.get("PRESENCE_OVERRIDE_TEST_WITHOUT_MODULE") != "1":
        install()
    from twisted.scripts.trial import run

    sys.argv = ["trial", *sys.argv[1:]]
    run()
