"""Every worker of a parallel run (tests/run-suite) gets XDG folders of its own, so settings,
single-instance locks and caches of tests running side by side never meet."""

import os
from pathlib import Path

pytest_plugins = ["tests.harness.fixtures"]

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        if os.environ.get(_name):
            _path = Path(os.environ[_name]) / _worker
            _path.mkdir(parents=True, exist_ok=True)
            os.environ[_name] = str(_path)
