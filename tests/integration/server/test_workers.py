"""A worker deployment, for real: PostgreSQL, Redis, the main process (presence writer) with the
module, a generic worker with the module, and a generic worker without it (server/README.md,
"Worker deployments").

What an admin sees on each kind of process: the log line each one prints at start, what it answers
on the override paths and on /versions. Redis is Debian's `redis-server` (.ci/run installs it).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness.fixtures import UserFactory
from tests.harness.postgres import PostgresCluster
from tests.harness.synapse import SynapseOptions, SynapseServer, synapse_env, synapse_python
from tests.integration.server.conftest import MODULE_ENTRY, start_or_fail
from tests.integration.server.helpers import (
    FEATURE_FLAG,
    STABLE,
    UNSTABLE,
    get_override,
    put_override,
    status,
    stored,
)

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"{url}: process exited {proc.returncode}; log:\n" + log.read_text(errors="replace")[-3000:],
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {timeout:.0f}s", pytrace=False)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: apt-get install redis-server (.ci/run does)", pytrace=False)
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("redis-server did not start", pytrace=False)
            time.sleep(0.05)
        yield port
    finally:
        _stop(proc)


@dataclass
class Worker:
    name: str
    client: SynapseServer
    """Never started: only its HTTP helpers, pointed at the worker's client listener."""
    log_path: Path
    proc: subprocess.Popen[bytes]

    def request(self, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
        return self.client.request(method, path, token=token, body=body)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Deployment:
    main: SynapseServer
    with_module: Worker
    without_module: Worker


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: PostgresCluster, redis_port: int
) -> Iterator[Deployment]:
    database = postgres_cluster.create_database("workers")
    replication_port = _free_port()
    main = SynapseServer(
        tmp_path_factory.mktemp("workers-main"), options=SynapseOptions(modules=[MODULE_ENTRY], database=database)
    )
    listeners = main.config()["listeners"] + [
        {
            "port": replication_port,
            "bind_addresses": ["127.0.0.1"],
            "type": "http",
            "resources": [{"names": ["replication"]}],
        }
    ]
    main.options.extra_config = {
        "listeners": listeners,
        "redis": {"enabled": True, "host": "127.0.0.1", "port": redis_port},
        "instance_map": {"main": {"host": "127.0.0.1", "port": replication_port}},
    }
    workers: list[Worker] = []
    try:
        start_or_fail(main)
        for name, modules in (("worker_with_module", [MODULE_ENTRY]), ("worker_without_module", [])):
            port = _free_port()
            worker_yaml = main.data_dir / f"{name}.yaml"
            worker_yaml.write_text(
                yaml.safe_dump(
                    {
                        "worker_app": "synapse.app.generic_worker",
                        "worker_name": name,
                        "worker_listeners": [
                            {
                                "type": "http",
                                "port": port,
                                "bind_addresses": ["127.0.0.1"],
                                "resources": [{"names": ["client"]}],
                            }
                        ],
                        "worker_log_config": str(main.data_dir / "log.config"),
                        "worker_pid_file": str(main.data_dir / f"{name}.pid"),
                        "modules": modules,
                    }
                )
            )
            log_path = main.data_dir / f"{name}.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(
                    [
                        synapse_python(),
                        "-m",
                        "synapse.app.generic_worker",
                        "-c",
                        str(main.config_path),
                        "-c",
                        str(worker_yaml),
                    ],
                    cwd=main.data_dir,
                    env=synapse_env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            client = SynapseServer(main.data_dir / name, port=port)
            worker = Worker(name, client, log_path, proc)
            workers.append(worker)
            _wait_http(f"{client.base_url}/_matrix/client/versions", proc, log_path)
        yield Deployment(main, workers[0], workers[1])
    finally:
        for worker in workers:
            _stop(worker.proc)
        main.stop()


def test_each_kind_of_process_says_what_it_is(deployment: Deployment) -> None:
    main_log = deployment.main.log_path.read_text(errors="replace")
    assert "presence override (MSC4043) active on presence writer master" in main_log
    assert (
        "presence override (MSC4043): worker_with_module is not the presence writer (master)"
    ) in deployment.with_module.log()
    assert "presence override" not in deployment.without_module.log()


def test_versions_flag_only_where_the_module_is(deployment: Deployment) -> None:
    for process, has_flag in (
        (deployment.main, True),
        (deployment.with_module, True),
        (deployment.without_module, False),
    ):
        code, body = process.request("GET", "/_matrix/client/versions")
        assert code == 200
        assert (body["unstable_features"].get(FEATURE_FLAG) is True) is has_flag, process


@pytest.mark.parametrize("prefix", [STABLE, UNSTABLE], ids=["stable", "unstable"])
def test_override_paths_on_each_kind_of_process(deployment: Deployment, prefix: str, user_factory: UserFactory) -> None:
    main = deployment.main
    user = user_factory(main, "wk")
    path = f"{prefix}/presence/{user.user_id}/override"
    body = {"presence_override": "unavailable"}

    # Without the module: Synapse's own answer for a path it does not know.
    for method in ("GET", "PUT"):
        code, answer = deployment.without_module.request(
            method, path, token=user.access_token, body=body if method == "PUT" else None
        )
        assert (code, answer.get("errcode")) == (404, "M_UNRECOGNIZED"), (method, code, answer)

    # With the module but not the presence writer: a 500 that names the writer, and a log line.
    code, answer = deployment.with_module.request("PUT", path, token=user.access_token, body=body)
    assert code == 500 and "presence writer (master)" in answer.get("error", ""), answer
    assert "which is not the presence writer; route the override paths to master" in (deployment.with_module.log())

    # The presence writer does the job, and every process reports the override.
    assert put_override(main, user.access_token, user.user_id, "unavailable", prefix=prefix) == (
        200,
        stored("unavailable", prefix),
    )
    assert get_override(main, user.access_token, user.user_id, prefix=prefix)[0] == 200
    assert status(main, user.access_token, user.user_id)["presence"] == "unavailable"
    # A device syncing through a worker: its presence is relayed to the writer and rewritten.
    for worker in (deployment.with_module, deployment.without_module):
        worker.client.sync(user.access_token, set_presence="online")
        assert status(worker.client, user.access_token, user.user_id)["presence"] == "unavailable"
    assert status(main, user.access_token, user.user_id)["presence"] == "unavailable"
