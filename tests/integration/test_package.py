"""`make package` for real: build the onedir, the .deb and the .tar.gz once (packaging/build-linux,
~1 min), unpack both into temp dirs and start `presence-tray --selftest` from each, offscreen.

The selftest loads Qt and its plugins, renders every icon, imports every tray_app module and loads
the keyring backend, so a bundle trimmed too far fails here, not on a user's desktop.

The build runs under a umask of 077, the strictest a developer may have: what it packs must still
be readable by every user. The Windows and macOS recipes cannot run here; their parts that can
(the macOS script's order of steps and its retry, with stand-in tools) are checked at the end.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import tray_app

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
APP = "presence-tray"
DEB_LIMIT = 60 * 1024 * 1024  # issue 5: aim for a .deb of at most 60 MB
# What Qt needs from the system on a desktop (docs/testing.md): the .deb must declare it.
SYSTEM_DEPENDS = [
    "libc6",
    "libstdc++6",
    "libglib2.0-0",
    "libegl1",
    "libgl1",
    "libx11-6",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libxkbcommon0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-util1",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
]
# Desktop libraries come from the system; a bundled copy would fight the host's drivers/theme.
NOT_BUNDLED = [
    "libX11.so",
    "libxcb.so",
    "libgtk-3.so",
    "libglib-2.0.so",
    "libstdc++.so",
    "libGL.so",
    "libEGL.so",
    "libfontconfig.so",
    "libdbus-1.so",
    "libwayland-client.so",
    # nothing needs a copy (and Debian 12's pinned glibc >= 2.36); readline is excluded
    "libexpat.so",
    "libreadline.so",
    "libtinfo.so",
    "libncursesw.so",
]
# Python's runtime libraries that Debian ships: the .deb depends on Debian's packages (security
# updates reach the applet) instead of bundling copies; the tarball keeps copies (other distros).
LEFT_TO_DEBIAN = {
    "libssl.so.3": "libssl3",
    "libcrypto.so.3": "libssl3",
    "libsqlite3.so.0": "libsqlite3-0",
    "libz.so.1": "zlib1g",
}


@dataclass
class Build:
    deb: Path
    tarball: Path
    onedir: Path
    log: str


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    for tool in ("dpkg-deb", "dpkg-shlibdeps", "desktop-file-validate", "file"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found: apt-get install dpkg-dev desktop-file-utils file", pytrace=False)
    out = tmp_path_factory.mktemp("package")
    env = {**os.environ, "DIST_DIR": str(out / "dist"), "BUILD_DIR": str(out / "build")}
    # umask 077: the build must still pack files every user can read (and a control dir dpkg takes).
    result = subprocess.run(
        ["sh", "-c", 'umask 077 && exec "$0"', str(ROOT / "packaging" / "build-linux")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    (ROOT / "test-output").mkdir(exist_ok=True)
    (ROOT / "test-output" / "package-build.log").write_text(log)
    if result.returncode != 0:
        pytest.fail(f"packaging/build-linux failed ({result.returncode}):\n{log[-4000:]}", pytrace=False)
    dist = out / "dist"
    debs = list(dist.glob(f"{APP}_*.deb"))
    tarballs = list(dist.glob(f"{APP}-*-linux-*.tar.gz"))
    assert len(debs) == 1 and len(tarballs) == 1, sorted(p.name for p in dist.iterdir())
    return Build(debs[0], tarballs[0], dist / APP, log)


@pytest.fixture(scope="session")
def deb_root(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb root")  # a space in the path, on purpose
    subprocess.run(["dpkg-deb", "-x", str(build.deb), str(root)], check=True)
    return root


@pytest.fixture(scope="session")
def tar_root(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tar root")
    with tarfile.open(build.tarball) as tar:
        tar.extractall(root, filter="tar")
    (top,) = root.iterdir()
    return top


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Offscreen, a fresh config, and no keyring pin: the bundle picks its backend itself
    (run-suite's in-memory pin names a test module a bundle does not have)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHON_KEYRING_BACKEND", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "PYTHONPATH")
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_RUNTIME_DIR=str(tmp_path / "run"),
    )
    (tmp_path / "run").mkdir(mode=0o700)
    env.update(extra)
    return env


def _selftest(program: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(program), "--selftest"], env=env, capture_output=True, text=True, timeout=60)
    report = result.stdout
    assert result.returncode == 0, f"exit {result.returncode}\n{report}\n{result.stderr}"
    return report


def _check_report(report: str, bundle_dir: Path) -> None:
    svgs = sorted(p.name for p in (ROOT / "resources").glob("*.svg"))
    assert f"{APP} {tray_app.__version__} selftest" in report
    assert f"bundle: {bundle_dir / '_internal'}" in report
    assert "platform: offscreen" in report
    assert re.search(r"platform plugins: .*\bxcb\b", report), report
    assert re.search(r"platform plugins: .*\bwayland\b", report), report
    modules = re.search(r"modules imported: (\d+) of (\d+)", report)
    assert modules and modules[1] == modules[2] and int(modules[1]) > 10, report
    for svg in svgs:
        assert f"icon {svg}: ok" in report
    assert f"icons rendered: {len(svgs)}" in report
    for qm in sorted(p.name for p in (ROOT / "resources").glob("*.qm")):
        assert f"translation {qm}: ok" in report, report
    assert "keyring native backend: keyring.backends.SecretService.Keyring" in report
    assert "keyring backend: keyring." in report
    assert report.rstrip().endswith("selftest: OK")


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_deb_metadata_and_layout(build: Build, deb_root: Path) -> None:
    size = build.deb.stat().st_size
    assert size <= DEB_LIMIT, f".deb is {size / 2**20:.1f} MiB"
    fields = subprocess.run(["dpkg-deb", "-f", str(build.deb)], check=True, capture_output=True, text=True).stdout
    control = dict(re.findall(r"^([\w-]+): (.*(?:\n .*)*)", fields, re.M))
    assert control["Package"] == APP
    assert control["Version"] == tray_app.__version__
    assert (
        control["Architecture"]
        == subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    )
    depends = {d.split()[0] for d in control["Depends"].split(", ")}
    missing = [p for p in SYSTEM_DEPENDS if p not in depends]
    assert not missing, f"Depends lacks {missing}: {control['Depends']}"
    assert "libgtk-3-0" in control["Recommends"]  # the GTK theme plugin only

    usr = deb_root / "usr"
    assert os.readlink(usr / "bin" / APP) == f"../lib/{APP}/{APP}"
    assert os.access(usr / "lib" / APP / APP, os.X_OK)
    assert (usr / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP}.svg").read_bytes() == (
        ROOT / "resources" / f"{APP}.svg"
    ).read_bytes()
    assert (usr / "share" / "doc" / APP / "copyright").is_file()


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_deb_and_tarball_are_readable_by_every_user(build: Build) -> None:
    """dpkg-deb -c shows the modes: directories 755, programs 755, everything else 644."""
    listing = subprocess.run(["dpkg-deb", "-c", str(build.deb)], check=True, capture_output=True, text=True).stdout
    entries = [line.split(None, 5) for line in listing.splitlines()]
    modes = {e[5].split(" -> ")[0]: e[0] for e in entries}
    assert modes[f"./usr/lib/{APP}/{APP}"] == "-rwxr-xr-x"
    wrong = {
        path: mode
        for path, mode in modes.items()
        if not (
            mode == "drwxr-xr-x"
            or mode.startswith("l")
            or mode == "-rw-r--r--"
            or (mode == "-rwxr-xr-x" and ".so" not in path)
        )
    }
    assert not wrong, f"{len(wrong)} entries not 755/644, e.g. {sorted(wrong.items())[:5]}"
    control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(build.deb)], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(control)) as tar:
        assert all(m.mode & 0o644 == 0o644 for m in tar.getmembers()), [(m.name, oct(m.mode)) for m in tar.getmembers()]

    with tarfile.open(build.tarball) as tar:
        members = tar.getmembers()
    wrong_tar = [
        (m.name, oct(m.mode))
        for m in members
        if (m.isdir() and m.mode != 0o755) or (m.isfile() and m.mode not in (0o644, 0o755))
    ]
    assert not wrong_tar, wrong_tar[:5]
    program = next(m for m in members if m.name.endswith(f"/lib/{APP}/{APP}"))
    assert program.mode == 0o755


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_deb_leaves_debian_libraries_to_debian(build: Build, deb_root: Path, tar_root: Path) -> None:
    internal = deb_root / "usr" / "lib" / APP / "_internal"
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(build.deb), "Depends"], check=True, capture_output=True, text=True
    ).stdout
    depends = {d.split()[0] for d in fields.strip().split(", ")}
    for lib, package in LEFT_TO_DEBIAN.items():
        assert not (internal / lib).exists(), f"the .deb bundles {lib}"
        assert package in depends, f"{lib} is neither bundled nor from {package}: {fields}"
        # The tarball has no dependencies to bring them: it keeps its copies.
        assert (tar_root / "lib" / APP / "_internal" / lib).is_file(), f"the tarball lacks {lib}"
    assert not depends & {"libreadline8", "libtinfo6"}, fields
    assert "libpython" in " ".join(p.name for p in internal.iterdir())  # matches the stdlib


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_bundle_is_trimmed(build: Build) -> None:
    internal = build.onedir / "_internal"
    names = [p.name for p in internal.rglob("*")]
    for lib in NOT_BUNDLED:
        assert not [n for n in names if n.startswith(lib)], f"{lib} is bundled"
    # Qt's translations only for the languages the applet ships (its own .qm are in resources).
    from tray_app.ui.translations import CATALOGUE, LANGUAGES

    kept = {f"qtbase_{lang}.qm" for lang in LANGUAGES} | {f"{CATALOGUE}_{lang}.qm" for lang in LANGUAGES}
    assert sorted(n for n in names if n.endswith(".qm")) == sorted(kept), "other Qt translations are bundled"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert (plugins / "iconengines" / "libqsvgicon.so").is_file()
    assert not (plugins / "imageformats" / "libqpdf.so").exists()
    assert not (plugins / "platforms" / "libqeglfs.so").exists()


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_shipped_desktop_entry(deb_root: Path, tar_root: Path) -> None:
    for entry in (
        deb_root / "usr" / "share" / "applications" / f"{APP}.desktop",
        tar_root / "share" / "applications" / f"{APP}.desktop",
    ):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
        text = entry.read_text()
        assert re.search(rf"^Exec={APP}$", text, re.M)
        assert re.search(rf"^Icon={APP}$", text, re.M)


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_selftest_from_the_deb(deb_root: Path, tmp_path: Path) -> None:
    report = _selftest(deb_root / "usr" / "bin" / APP, _clean_env(tmp_path))
    _check_report(report, deb_root / "usr" / "lib" / APP)


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_selftest_from_the_tarball(tar_root: Path, tmp_path: Path) -> None:
    assert tar_root.name == f"{APP}-{tray_app.__version__}"
    assert os.readlink(tar_root / "bin" / APP) == f"../lib/{APP}/{APP}"
    report = _selftest(tar_root / "bin" / APP, _clean_env(tmp_path))
    _check_report(report, tar_root / "lib" / APP)


@pytest.mark.slow  # needs the build (packaging/build-linux)
@pytest.mark.secret_service
def test_bundle_finds_the_secret_service(deb_root: Path, tmp_path: Path, secret_service) -> None:
    """With a Secret Service on the session bus, the bundle's own backend discovery (entry points,
    secretstorage, jeepney, cryptography) picks it; nothing is read or written."""
    env = _clean_env(tmp_path, DBUS_SESSION_BUS_ADDRESS=secret_service.address)
    report = _selftest(deb_root / "usr" / "bin" / APP, env)
    assert "keyring native backend: keyring.backends.SecretService.Keyring, usable" in report
    assert "keyring backend: keyring.backends.SecretService.Keyring" in report


@pytest.mark.slow  # needs the build (packaging/build-linux)
def test_autostart_from_the_bundle(deb_root: Path, tmp_path: Path) -> None:
    """`presence-tray autostart on` from a bundle registers the bundle's executable."""
    env = _clean_env(tmp_path)
    program = deb_root / "usr" / "bin" / APP
    entry = tmp_path / "config" / "autostart" / f"{APP}.desktop"

    on = subprocess.run([str(program), "autostart", "on"], env=env, capture_output=True, text=True, timeout=60)
    assert on.returncode == 0, on.stderr
    target = deb_root / "usr" / "lib" / APP / APP
    assert f'Exec="{target}" --autostarted' in entry.read_text()  # deb_root has a space
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout

    status = subprocess.run([str(program), "autostart", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and "Start on login: on" in status.stdout

    off = subprocess.run([str(program), "autostart", "off"], env=env, capture_output=True, text=True, timeout=60)
    assert off.returncode == 0, off.stderr
    assert not entry.exists()


# --- the Windows and macOS recipes, as far as they run here -----------------------------------


def test_macos_bundle_asks_for_the_macos_qt_needs() -> None:
    """PySide6-Essentials 6.12's only macOS wheel is macosx_14_0 (universal2): Qt refuses to run
    on older macOS, so the app must not claim to."""
    spec = (ROOT / "packaging" / f"{APP}.spec").read_text()
    minimum = re.search(r'"LSMinimumSystemVersion": "([\d.]+)"', spec)
    assert minimum and tuple(map(int, minimum[1].split("."))) >= (14, 0), minimum


def test_inno_setup_script_requires_6_3() -> None:
    """x64compatible came with Inno Setup 6.3: an older ISCC must stop with a clear message."""
    iss = (ROOT / "packaging" / "windows" / f"{APP}.iss").read_text()
    guard = re.search(r"^#if VER < EncodeVer\(6,\s*3,\s*0\)\n\s*#error .+\n#endif", iss, re.M)
    assert guard, "no Inno Setup version guard"
    setting = re.search(r"^ArchitecturesAllowed=x64compatible$", iss, re.M)
    assert setting and guard.start() < iss.index("\n[Setup]") < setting.start()


FAKE_TOOL = """#!/bin/sh
echo "$(basename "$0") $*" >> "$TOOL_LOG"
case "$(basename "$0") $1 $2" in
  "hdiutil create"*)
    n=$(grep -c '^hdiutil create' "$TOOL_LOG")
    if [ "$n" -le "${HDIUTIL_FAILS:-0}" ]; then
      echo "hdiutil: create failed - ${HDIUTIL_ERROR:-Resource busy}" >&2; exit 1
    fi
    for last; do :; done; : > "$last" ;;
  "xcrun notarytool submit")
    printf 'Processing complete\n  id: 1234\n  status: %s\n' "${NOTARY_VERDICT:-Accepted}" ;;
  "ditto -c -k") for last; do :; done; : > "$last" ;;
  "ditto "*) cp -R "$1" "$2" ;;
esac
"""


def _macos_script(tmp_path: Path, call: str, **env: str) -> tuple[int, list[str], str]:
    """Runs a function of packaging/macos/build-macos with stand-ins for the macOS tools."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("codesign", "xcrun", "ditto", "hdiutil", "spctl"):
        (bin_dir / tool).write_text(FAKE_TOOL)
        (bin_dir / tool).chmod(0o755)
    app = tmp_path / "dist" / "Presence Tray.app"
    (app / "Contents" / "MacOS").mkdir(parents=True, exist_ok=True)
    (app / "Contents" / "MacOS" / APP).write_text("")
    log = tmp_path / "tools.log"
    log.write_text("")
    script = ROOT / "packaging" / "macos" / "build-macos"
    result = subprocess.run(
        ["bash", "-c", f'. "$BUILD_MACOS" && {call}', "test", str(app), str(tmp_path / "dist" / "x.dmg")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "TOOL_LOG": str(log),
            "HDIUTIL_RETRY_DELAY": "0",
            "BUILD_MACOS": str(script),
            "PYTHON": "false",
            **env,
        },
    )
    return result.returncode, log.read_text().splitlines(), result.stdout + result.stderr


def test_macos_app_is_stapled_before_the_dmg_is_made(tmp_path: Path) -> None:
    code, calls, out = _macos_script(
        tmp_path,
        'package_app "$1" "$2"',
        CODESIGN_IDENTITY="Developer ID Application: Test (TEAMID)",
        NOTARY_PROFILE="notary",
    )
    assert code == 0, out
    steps = [c for c in calls if not c.startswith("codesign --force --timestamp --options")]
    kinds = [" ".join(c.split()[:3]) for c in steps]
    assert kinds == [
        "codesign --verify --strict",  # the app, signed inside out before this
        "ditto -c -k",  # zipped for the notary service
        "xcrun notarytool submit",  # ... the zip
        "xcrun stapler staple",  # ... the app
        "xcrun stapler validate",
        f"ditto {tmp_path}/dist/Presence Tray.app",  # the stapled app into the DMG's folder
        "hdiutil create -volname",
        "codesign --force --timestamp",  # the DMG
        "xcrun notarytool submit",
        "xcrun stapler staple",
        "xcrun stapler validate",
        "spctl --assess --type",
    ], steps
    assert steps[2].split()[3].endswith(".zip")
    assert steps[3].endswith("Presence Tray.app")
    assert steps[8].split()[3].endswith("x.dmg") and steps[9].endswith("x.dmg")


def test_macos_notarization_rejected_stops_the_build(tmp_path: Path) -> None:
    code, calls, out = _macos_script(
        tmp_path,
        'package_app "$1" "$2"',
        CODESIGN_IDENTITY="Developer ID Application: T (X)",
        NOTARY_PROFILE="notary",
        NOTARY_VERDICT="Invalid",
    )
    assert code != 0
    assert "not accepted" in out
    assert not [c for c in calls if c.startswith(("xcrun stapler", "hdiutil"))]


@pytest.mark.parametrize(
    ("fails", "error", "ok", "tries"),
    [
        (0, "", True, 1),
        (1, "Resource busy", True, 2),
        (2, "Resource busy", False, 2),
        (1, "no space left on device", False, 1),
    ],
)
def test_macos_dmg_creation_retries_once_when_busy(
    tmp_path: Path, fails: int, error: str, ok: bool, tries: int
) -> None:
    code, calls, out = _macos_script(
        tmp_path, 'create_dmg "$(dirname "$1")" "$2"', HDIUTIL_FAILS=str(fails), HDIUTIL_ERROR=error
    )
    assert (code == 0) == ok, out
    assert len([c for c in calls if c.startswith("hdiutil create")]) == tries
