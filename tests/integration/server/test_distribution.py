"""The module as an admin gets it: the sdist and wheel of `make package` (server/build-dist), and
the Docker recipe's install step (server/docker/install-module) run in a fresh venv, then a real
Synapse started from that venv with the installed module (not the checkout) loaded.

Docker itself cannot run here. What the official image gives the recipe is a Python with Synapse
in its site-packages and pip; the fresh venv gets the same (pip install of the Synapse release the
tests run, ~20 s from pip's cache), and then runs the very script the Dockerfile runs.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.harness.synapse import (
    REPO_ROOT,
    SYNAPSE_PYTHON_ENV,
    SynapseOptions,
    SynapseServer,
    synapse_python,
)
from tests.integration.server.conftest import MODULE_ENTRY, start_or_fail
from tests.integration.server.helpers import FEATURE_FLAG, put_override, status, stored

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SERVER = REPO_ROOT / "server"
PACKAGE = "synapse_presence_override"
DOCKER = SERVER / "docker"


def _version() -> str:
    text = (SERVER / PACKAGE / "__init__.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match, "no __version__ in the module's __init__.py"
    return match.group(1)


def _module_files() -> set[str]:
    """Every source file of the package, subpackages included (as paths under it)."""
    files = {p.relative_to(SERVER / PACKAGE).as_posix() for p in (SERVER / PACKAGE).rglob("*.py")}
    assert "synapse_private/patches.py" in files, files
    return files


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("server-dist")
    proc = subprocess.run(
        [str(SERVER / "build-dist")],
        env={**os.environ, "DIST_DIR": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_wheel_has_the_module_and_declares_the_agpl(dist: Path) -> None:
    wheel = dist / f"{PACKAGE}-{_version()}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = f"{PACKAGE}-{_version()}.dist-info"
        metadata = zf.read(f"{info}/METADATA").decode()
        licence = zf.read(f"{info}/licenses/LICENSE").decode()
    assert {f"{PACKAGE}/{f}" for f in _module_files()} <= names
    assert not [n for n in names if n.startswith(("tests/", "docker/")) or n.endswith(".pyc")]
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    assert "Requires-Dist" not in metadata  # never makes pip touch the admin's Synapse
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in licence and "Version 3" in licence


def test_sdist_has_sources_licence_and_readme(dist: Path) -> None:
    root = f"{PACKAGE}-{_version()}"
    with tarfile.open(dist / f"{root}.tar.gz") as tf:
        names = {n[len(root) + 1 :] for n in tf.getnames()}
    assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO"} <= names
    assert {f"{PACKAGE}/{f}" for f in _module_files()} <= names
    assert not [n for n in names if n.startswith("docker") or n.startswith("run-")]


def test_dockerfile_copies_what_build_dist_makes(dist: Path) -> None:
    text = (DOCKER / "Dockerfile").read_text()
    copy = re.search(r"^COPY (.+) /tmp/presence-override/$", text, re.M)
    assert copy, text
    sources = copy.group(1).split()
    wheels = [p.name for p in dist.glob("*.whl")]
    assert any(fnmatch.fnmatch(f"dist/{w}", sources[0]) for w in wheels), (sources, wheels)
    assert (REPO_ROOT / sources[1]).is_file()
    assert "install-module /tmp/presence-override" in text
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    assert "*" in ignore and all(f"!{s}" in ignore for s in sources), ignore


def test_docker_install_step_in_a_fresh_venv_then_synapse_loads_it(
    dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The "image": a fresh venv with pip and the Synapse release the tests run, nothing else.
    venv = tmp_path / "image-python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    synapse_version = subprocess.run(
        [synapse_python(), "-c", "from importlib.metadata import version; print(version('matrix-synapse'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [
            str(py),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--only-binary",
            ":all:",
            f"matrix-synapse=={synapse_version}",
        ],
        check=True,
        timeout=600,
    )
    fresh_site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    before = subprocess.run([str(py), "-c", f"import {PACKAGE}"], capture_output=True, text=True, check=False)
    assert before.returncode != 0, "the fresh venv already has the module: test proves nothing"

    # The Dockerfile's step: the wheel and the script in one directory, then the script.
    stage = tmp_path / "presence-override"
    stage.mkdir()
    for wheel in dist.glob("*.whl"):
        (stage / wheel.name).write_bytes(wheel.read_bytes())
    (stage / "install-module").write_bytes((DOCKER / "install-module").read_bytes())
    proc = subprocess.run(
        ["sh", str(stage / "install-module"), str(stage)],
        env={**os.environ, "PYTHON": str(py)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"installed {PACKAGE} {_version()} from {fresh_site}" in proc.stdout, proc.stdout

    # Synapse from that Python, with the checkout's server/ kept off its path.
    monkeypatch.setenv(SYNAPSE_PYTHON_ENV, str(py))
    server = SynapseServer(tmp_path / "hs", options=SynapseOptions(modules=[MODULE_ENTRY], module_from_checkout=False))
    try:
        start_or_fail(server)
        code, body = server.request("GET", "/_matrix/client/versions")
        assert code == 200 and body["unstable_features"].get(FEATURE_FLAG) is True, body
        user = server.register_user("docker", "docker-test-pw")
        assert put_override(server, user.access_token, user.user_id, "unavailable") == (200, stored("unavailable"))
        assert status(server, user.access_token, user.user_id)["presence"] == "unavailable"
    finally:
        server.stop()
