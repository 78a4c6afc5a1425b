"""The command that starts this copy at login, for the way it was installed (a bundle, a
source checkout, a pip install), found without starting anything."""

from __future__ import annotations

import os
import shlex
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from tray_app import APP_ID

AUTOSTART_FLAG = "--autostarted"
# macOS: where an app runs from that is gone after a restart or an eject: Gatekeeper's App
# Translocation (an app opened from Downloads or a DMG without being moved first) and mounted
# volumes (the DMG itself).
MACOS_TRANSIENT_MARKERS = ("/AppTranslocation/",)
MACOS_TRANSIENT_PREFIXES = ("/Volumes/",)


class AutostartError(OSError):
    """This copy cannot be registered to start at login (the message says why and what to do)."""


@dataclass(frozen=True)
class Launch:
    """What to run at login: argv, and a working directory where the command needs one."""

    argv: list[str]
    cwd: str | None = None


def launch(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    platform: str | None = None,
    script_dirs: list[str] | None = None,
    package_root: str | None = None,
    site_dirs: list[str] | None = None,
) -> Launch:
    """The login command for the way this copy was installed (the keywords are for tests).

    - A PyInstaller bundle (``sys.frozen``): its GUI executable. On macOS never from a place that
      goes away (App Translocation, the DMG): ``AutostartError`` says to move the app first.
    - A source checkout (``tray_app`` not in a site directory; an editable install too): this
      interpreter with ``-m tray_app``, started in the checkout. A ``presence-tray`` command
      found on the way would be another install's (a pip ``--user`` one, the .deb's).
    - A pip install (a venv, pipx, ``--user``, system): its ``presence-tray`` console script,
      but only one whose ``#!`` names this interpreter; else ``-m tray_app``, which runs this
      copy. On Windows ``pythonw -m tray_app`` instead, as a console script would open a console
      window at every login.
    """
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    platform = platform or sys.platform
    windows = platform == "win32"
    if frozen:
        # A bundle's executables (packaging/presence-tray.spec): on Windows the GUI one has no
        # console window; presence-tray-cli.exe is for a terminal and must not start at login.
        gui = Path(executable).with_name(f"{APP_ID}.exe" if windows else APP_ID)
        program = str(gui) if gui.is_file() else executable
        if platform == "darwin":
            _check_macos_location(program)
        return Launch([program, AUTOSTART_FLAG])
    if windows:
        pythonw = Path(executable).with_name("pythonw.exe")
        interpreter = str(pythonw) if pythonw.is_file() else executable
        # (A Run value has no working directory: a bare source checkout needs `pip install -e`.)
        return Launch([interpreter, "-m", "tray_app", AUTOSTART_FLAG])
    module = [executable, "-m", "tray_app", AUTOSTART_FLAG]
    checkout = _source_cwd(package_root, site_dirs)
    if checkout is not None:
        return Launch(module, checkout)
    if script_dirs is None:
        script_dirs = [str(Path(executable).parent), *_sysconfig_script_dirs()]
    for folder in script_dirs:
        script = Path(folder) / APP_ID
        if script.is_file() and os.access(script, os.X_OK) and _runs_with(script, executable):
            return Launch([str(script), AUTOSTART_FLAG])
    return Launch(module)


def _check_macos_location(program: str) -> None:
    if any(m in program for m in MACOS_TRANSIENT_MARKERS) or program.startswith(MACOS_TRANSIENT_PREFIXES):
        raise AutostartError(
            f"Presence Tray is running from {program}, which is gone after a restart or once the "
            "disk image is ejected. Move “Presence Tray” to the Applications folder, open it from "
            "there, and turn on “Start on login” again."
        )


# pip (distlib) writes this second line under `#!/bin/sh` when the interpreter's path has spaces
# or is too long for `#!`:  '''exec' "/path/to/python" "$0" "$@"
_SH_EXEC = "'''exec' "


def script_interpreter(head: bytes) -> str | None:
    """The interpreter a console script runs with, from its first bytes (None: not a script)."""
    lines = head.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0].startswith("#!"):
        return None
    first = lines[0][2:].strip()
    if first in ("/bin/sh", "/usr/bin/sh") and len(lines) > 1 and lines[1].startswith(_SH_EXEC):
        try:
            words = shlex.split(lines[1][len(_SH_EXEC) :])
        except ValueError:
            return None
        return words[0] if words else None
    words = first.split()
    return words[0] if words else None


def same_interpreter(a: str, b: str) -> bool:
    """Whether two interpreter paths are one Python environment: the same folder and the same
    program, both resolved. ``venv/bin/python3`` and ``venv/bin/python`` are; a venv's python and
    the system python3 it links to are not (each has its own site-packages), nor
    ``/usr/bin/python3.11`` and ``/usr/bin/python3.12``."""
    if not (os.path.isabs(a) and os.path.isabs(b)):
        return False
    pa, pb = Path(a), Path(b)
    try:
        return pa.parent.resolve() == pb.parent.resolve() and pa.resolve() == pb.resolve()
    except OSError:
        return False


def _runs_with(script: Path, executable: str) -> bool:
    """Whether ``script`` is a console script of this interpreter (an ELF program is not)."""
    try:
        with script.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return False
    interpreter = script_interpreter(head)
    return interpreter is not None and same_interpreter(interpreter, executable)


def _sysconfig_script_dirs() -> list[str]:
    dirs = []
    for scheme in (None, f"{os.name}_user"):
        try:
            path = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if path:
            dirs.append(path)
    return dirs


def _source_cwd(package_root: str | None, site_dirs: list[str] | None) -> str | None:
    """The checkout to start in when tray_app is not importable from a site directory."""
    import site

    if package_root is None:
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding tray_app/
    if site_dirs is None:
        site_dirs = [*site.getsitepackages(), site.getusersitepackages()]
    resolved = {str(Path(d).resolve()) for d in site_dirs if d}
    return None if str(Path(package_root).resolve()) in resolved else package_root
