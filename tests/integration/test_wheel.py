"""The wheel against the tree: `python -m build` (the sdist, then the wheel from it, as a release
does) once, then every module and package under tray_app/ and every data file of
tray_app.resources must be in it, byte for byte; installed non-editable into a fresh venv, its
`--selftest` and `status --help` run from outside the checkout.

The suite itself imports tray_app from the checkout, so only this sees what the wheel lacks
(issue 18: a hand-written package list left out tray_app.backends). packaging/check-wheel
(`make wheel-check`, in .ci/run) does the install with the dependencies from PyPI; here the fresh
venv borrows them from the project venv, so the test stays quick and offline but for the build.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

import tray_app

pytestmark = [pytest.mark.package, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
APP = "presence-tray"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # What a fresh clone plus the uncommitted work holds: no .venv, build/ or *.egg-info
    # (setuptools reads an old egg-info's file list and ships what it names, package-data or not).
    src = tmp_path_factory.mktemp("src")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # not deleted in the work tree
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(src)], capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        pytest.fail(
            f"python -m build failed ({result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}", pytrace=False
        )
    (found,) = out.glob("presence_tray-*.whl")
    return found


def _wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as z:
        return {name: z.read(name) for name in z.namelist() if name.startswith("tray_app/")}


def _tree_modules() -> set[str]:
    """The wheel's names of the tree's modules: tray_app/ as it is, resources/ (setup.py's
    package_dir) as tray_app/resources/."""
    package_dir = Path(tray_app.__file__).parent
    code = {
        p.relative_to(package_dir.parent).as_posix() for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts
    }
    resources_dir = package_dir.parent / "resources"
    return code | {f"tray_app/resources/{p.name}" for p in resources_dir.glob("*.py")}


def test_the_wheel_has_every_module_of_the_tree(wheel: Path) -> None:
    in_wheel = {name for name in _wheel_files(wheel) if name.endswith(".py")}
    missing = sorted(_tree_modules() - in_wheel)
    assert not missing, f"not in the wheel: {missing}"
    assert not in_wheel - _tree_modules(), "the wheel has modules the tree does not"
    packages = {name.rsplit("/", 1)[0] for name in in_wheel}
    assert {"tray_app", "tray_app/backends", "tray_app/idle", "tray_app/ui", "tray_app/resources"} <= packages


def test_the_wheel_has_every_resource_the_code_loads(wheel: Path) -> None:
    files = _wheel_files(wheel)
    # The packages the code reads data from (importlib.resources.files("...")), found in the source.
    sources = "\n".join(p.read_text("utf-8") for p in Path(tray_app.__file__).parent.rglob("*.py"))
    loaded = set(re.findall(r"""files\(\s*["']([\w.]+)["']\s*\)""", sources))
    assert loaded == {"tray_app.resources"}, loaded  # a new one: check it below as well
    for package in sorted(loaded):
        data = [
            entry
            for entry in resources.files(package).iterdir()
            if entry.is_file() and not entry.name.endswith((".py", ".pyc"))
        ]
        assert data, f"{package} has no data files in the tree"
        for entry in data:
            name = f"{package.replace('.', '/')}/{entry.name}"
            assert name in files, f"{name} is not in the wheel"
            assert files[name] == entry.read_bytes(), f"{name} differs from the tree's"


def test_the_installed_wheel_runs_from_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Without PYTHONPATH: the checkout on it (run-suite's) would count as presence-tray installed.
    no_path = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=300,
        env=no_path,
    )
    # Its dependencies from the project venv: a plain path entry, so the project venv's own .pth
    # files (the editable install's finder among them) are not run.
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (target / "zz-project-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "run").mkdir(mode=0o700)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)

    where = run(str(python), "-c", "import tray_app; print(tray_app.__file__)")
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip().startswith(str(target)), where.stdout

    selftest = run(str(venv / "bin" / APP), "--selftest")
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    modules = re.search(r"modules imported: (\d+) of (\d+)", selftest.stdout)
    # walk_packages names every module and subpackage but tray_app itself; the selftest skips __main__
    expected = len(_tree_modules() - {"tray_app/__init__.py", "tray_app/__main__.py"})
    assert modules and int(modules[1]) == int(modules[2]) == expected, selftest.stdout
    assert selftest.stdout.rstrip().endswith("selftest: OK")

    status_help = run(str(venv / "bin" / APP), "status", "--help")
    assert status_help.returncode == 0, status_help.stderr
    assert status_help.stdout.startswith(f"usage: {APP} status")
