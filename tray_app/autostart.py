"""Start on login: one entry per user, in the place each desktop reads at login.

- Linux and other freedesktop systems: an XDG autostart desktop entry,
  ``$XDG_CONFIG_HOME/autostart/presence-tray.desktop``. ``Hidden=true`` (KDE) or
  ``X-GNOME-Autostart-enabled=false`` (GNOME) in it means disabled.
- Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``. Task Manager
  and Settings disable it without deleting it, by a binary value of the same name under
  ``...\\Explorer\\StartupApproved\\Run`` whose first byte is odd (0x03) instead of even (0x02).
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/<label>.plist`` with ``RunAtLoad``. System
  Settings → Login Items (macOS 13+) turns it off without touching the file: launchd records
  that, ``launchctl print-disabled gui/<uid>`` lists the label as disabled, and
  ``launchctl enable gui/<uid>/<label>`` lifts it.

The content for each system is made by pure functions (``desktop_entry``, ``windows_run_value``,
``launch_agent_plist``) so all three can be tested anywhere; the small classes below only read and
write it. ``winreg`` is imported on Windows only, when it is used.

The registered command ends with ``--autostarted``: started at login the applet comes up quietly.
Qt-free: the tray menu and the ``presence-tray autostart`` subcommand both call into this module.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from tray_app import APP_ID

AUTOSTART_FLAG = "--autostarted"
APP_NAME = "Presence Tray"
DESKTOP_FILE = f"{APP_ID}.desktop"
# Windows: the name of the Run value. packaging/windows/presence-tray.iss writes the same name.
WINDOWS_VALUE_NAME = APP_NAME
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWS_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
# macOS: the LaunchAgent label, also the app bundle's identifier (packaging/macos/).
MACOS_LABEL = "org.presencetray.PresenceTray"
# macOS: where an app runs from that is gone after a restart or an eject: Gatekeeper's App
# Translocation (an app opened from Downloads or a DMG without being moved first) and mounted
# volumes (the DMG itself).
MACOS_TRANSIENT_MARKERS = ("/AppTranslocation/",)
MACOS_TRANSIENT_PREFIXES = ("/Volumes/",)

# Desktop Entry spec, "The Exec key": characters that force an argument into double quotes, and
# those that need a backslash inside the quotes.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED_IN_QUOTES = frozenset('"`$\\')


# --- the command -----------------------------------------------------------------------------


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
        package_root = str(Path(__file__).resolve().parent.parent)
    if site_dirs is None:
        site_dirs = [*site.getsitepackages(), site.getusersitepackages()]
    resolved = {str(Path(d).resolve()) for d in site_dirs if d}
    return None if str(Path(package_root).resolve()) in resolved else package_root


# --- Linux / freedesktop: content ----------------------------------------------------------


def _check_printable(value: str) -> None:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError(f"a desktop entry cannot hold control characters: {value!r}")


def _string_value(value: str) -> str:
    """A desktop-entry ``string`` value: backslash is the escape character."""
    _check_printable(value)
    return value.replace("\\", "\\\\")


def exec_value(argv: list[str]) -> str:
    """argv as the value of an ``Exec=`` key (quoted per the Desktop Entry spec, then escaped)."""
    words = []
    for arg in argv:
        _check_printable(arg)
        arg = arg.replace("%", "%%")
        if arg == "" or any(c in _EXEC_RESERVED for c in arg):
            arg = '"' + "".join("\\" + c if c in _EXEC_ESCAPED_IN_QUOTES else c for c in arg) + '"'
        words.append(arg)
    # The string escape rule applies before the quoting rule: every backslash doubles once more.
    return _string_value(" ".join(words))


def desktop_entry(argv: list[str], cwd: str | None = None) -> str:
    """The XDG autostart entry: the shipped application entry with this install's command."""
    template = resources.files("tray_app.resources").joinpath(DESKTOP_FILE).read_text("utf-8")
    lines, in_main = [], False
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            in_main = stripped == "[Desktop Entry]"
            if not in_main:
                break  # actions (other groups) make no sense at login
        elif in_main and stripped.partition("=")[0].strip() in ("Exec", "TryExec", "Path"):
            continue
        lines.append(line)
    # GLib (GNOME's session) looks for the program before it turns %% back into %, so it cannot
    # find a program whose path has a %: let env(1) start that one.
    lines.append(f"Exec={exec_value(['env', *argv] if '%' in argv[0] else argv)}")
    if os.path.isabs(argv[0]):
        # The session skips the entry once the program is gone (e.g. the package was removed).
        lines.append(f"TryExec={_string_value(argv[0])}")
    if cwd:
        lines.append(f"Path={_string_value(cwd)}")
    lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def parse_desktop_entry(text: str) -> dict[str, str]:
    """The keys of the ``[Desktop Entry]`` group (values unescaped only as far as we need)."""
    keys: dict[str, str] = {}
    in_main = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            in_main = stripped == "[Desktop Entry]"
            continue
        if in_main and "=" in stripped:
            key, _, value = stripped.partition("=")
            keys[key.strip()] = value.strip()
    return keys


def desktop_entry_disabled_by(keys: dict[str, str]) -> str | None:
    """Why an autostart entry does not run (``Hidden``, GNOME's switch), or None if it does."""
    if keys.get("Hidden", "").lower() == "true":
        return "Hidden=true"
    if keys.get("X-GNOME-Autostart-enabled", "").lower() == "false":
        return "X-GNOME-Autostart-enabled=false"
    return None


# --- Windows: content ------------------------------------------------------------------------


def windows_run_value(argv: list[str]) -> str:
    """argv as the command line stored in the Run value (MS C runtime quoting)."""
    return subprocess.list2cmdline(argv)


def windows_startup_approved(data: bytes | None) -> bool:
    """Whether ``Explorer\\StartupApproved\\Run`` lets the Run value start.

    No value means approved. Otherwise the first byte is 0x02 when enabled and 0x03 when the user
    disabled it in Task Manager or Settings (followed by the time of that change): the low bit is
    the "disabled" flag.
    """
    if not data:
        return True
    return data[0] & 1 == 0


# --- macOS: content --------------------------------------------------------------------------


def launchctl_disabled(output: str, label: str = MACOS_LABEL) -> bool | None:
    """Whether ``launchctl print-disabled gui/<uid>`` lists ``label`` as disabled.

    True: disabled; False: listed as enabled; None: not listed. macOS 13+ prints
    ``"label" => disabled`` or ``=> enabled``; earlier versions ``=> true`` (disabled) or
    ``=> false``. Only the ``disabled services`` block counts (macOS 13+ prints others after it).
    """
    section: str | None = None
    for line in output.splitlines():
        stripped = line.strip()
        header = re.fullmatch(r"(.+?)\s*=\s*\{", stripped)
        if header:
            section = header[1].strip().lower()
            continue
        if stripped == "}":
            section = None
            continue
        if section not in (None, "disabled services"):
            continue
        entry = re.fullmatch(r'"([^"]+)"\s*=>\s*(\w+)', stripped)
        if entry and entry[1] == label:
            value = entry[2].lower()
            if value in ("disabled", "true"):
                return True
            if value in ("enabled", "false"):
                return False
    return None


def launch_agent_plist(argv: list[str], cwd: str | None = None) -> bytes:
    """The LaunchAgent: start once at login, in the GUI session, not kept alive."""
    agent: dict[str, Any] = {
        "Label": MACOS_LABEL,
        "ProgramArguments": list(argv),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    if cwd:
        agent["WorkingDirectory"] = cwd
    import plistlib  # noqa: PLC0415 (macOS only; ~3 ms at every applet start elsewhere)

    return plistlib.dumps(agent)


# --- reading and writing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    enabled: bool
    location: str
    command: str | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.enabled:
            return f"Start on login: on ({self.location})\n  runs: {self.command}"
        why = f": {self.reason}" if self.reason else ""
        return f"Start on login: off{why} ({self.location})"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def xdg_config_home(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME`` if set to an absolute path (the spec ignores anything else)."""
    value = (os.environ if environ is None else environ).get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


class XdgAutostart:
    def __init__(self, config_home: Path | None = None) -> None:
        self.path = (config_home or xdg_config_home()) / "autostart" / DESKTOP_FILE

    def status(self) -> Status:
        try:
            keys = parse_desktop_entry(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return Status(False, str(self.path), reason="no autostart entry")
        reason = desktop_entry_disabled_by(keys)
        if reason:
            return Status(False, str(self.path), keys.get("Exec"), reason=f"{reason} in the entry")
        return Status(True, str(self.path), keys.get("Exec"))

    def enable(self, how: Launch) -> None:
        _write_atomically(self.path, desktop_entry(how.argv, how.cwd).encode("utf-8"))

    def disable(self) -> None:
        _remove(self.path)


class WindowsRun:
    def __init__(self, winreg: Any = None) -> None:
        if winreg is None:
            import winreg  # noqa: PLC0415 - Windows only
        self._reg = winreg

    location = rf"HKCU\{WINDOWS_RUN_KEY}\{WINDOWS_VALUE_NAME}"

    def _query(self, key_path: str) -> Any:
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path) as key:
                return reg.QueryValueEx(key, WINDOWS_VALUE_NAME)[0]
        except FileNotFoundError:
            return None

    def _delete(self, key_path: str) -> None:
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, WINDOWS_VALUE_NAME)
        except FileNotFoundError:
            pass

    def status(self) -> Status:
        command = self._query(WINDOWS_RUN_KEY)
        if command is None:
            return Status(False, self.location, reason="no Run value")
        if not windows_startup_approved(self._query(WINDOWS_APPROVED_KEY)):
            return Status(False, self.location, command, reason="disabled in Task Manager / Settings")
        return Status(True, self.location, command)

    def enable(self, how: Launch) -> None:
        reg = self._reg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, WINDOWS_VALUE_NAME, 0, reg.REG_SZ, windows_run_value(how.argv))
        # Turning it on here also lifts an earlier "disabled" from Task Manager.
        self._delete(WINDOWS_APPROVED_KEY)

    def disable(self) -> None:
        self._delete(WINDOWS_RUN_KEY)
        self._delete(WINDOWS_APPROVED_KEY)


def _run_launchctl(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["launchctl", *args], capture_output=True, text=True, timeout=15)


class LaunchAgent:
    """``launchctl``: a function taking launchctl's arguments and returning its completed process
    (tests pass a stand-in)."""

    def __init__(
        self,
        home: Path | None = None,
        uid: int | None = None,
        launchctl: Callable[[list[str]], subprocess.CompletedProcess[str]] | None = None,
    ) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{MACOS_LABEL}.plist"
        self.domain = f"gui/{os.getuid() if uid is None else uid}"
        self._launchctl = launchctl or _run_launchctl

    def _disabled_in_launchd(self) -> bool:
        """Whether launchd has the label disabled (Login Items); unknown counts as not."""
        try:
            result = self._launchctl(["print-disabled", self.domain])
        except (OSError, subprocess.SubprocessError):
            return False
        return result.returncode == 0 and launchctl_disabled(result.stdout, MACOS_LABEL) is True

    def status(self) -> Status:
        import plistlib  # noqa: PLC0415 (macOS only)

        try:
            agent = plistlib.loads(self.path.read_bytes())
        except FileNotFoundError:
            return Status(False, str(self.path), reason="no LaunchAgent")
        except (plistlib.InvalidFileException, ValueError):
            return Status(False, str(self.path), reason="the LaunchAgent is unreadable")
        command = " ".join(agent.get("ProgramArguments", []))
        if agent.get("Disabled") is True:
            return Status(False, str(self.path), command, reason="Disabled in the LaunchAgent")
        if agent.get("RunAtLoad") is not True:
            return Status(False, str(self.path), command, reason="RunAtLoad is off")
        if self._disabled_in_launchd():
            return Status(
                False, str(self.path), command, reason="turned off in System Settings → General → Login Items"
            )
        return Status(True, str(self.path), command)

    def enable(self, how: Launch) -> None:
        _write_atomically(self.path, launch_agent_plist(how.argv, how.cwd))
        # Lifts an earlier "off" in Login Items, which launchd keeps apart from the file.
        target = f"{self.domain}/{MACOS_LABEL}"
        try:
            result = self._launchctl(["enable", target])
        except subprocess.SubprocessError as e:
            raise OSError(f"launchctl enable {target}: {e}") from e
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
            raise OSError(f"launchctl enable {target}: {detail}")

    def disable(self) -> None:
        _remove(self.path)


def backend(platform: str | None = None) -> XdgAutostart | WindowsRun | LaunchAgent:
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRun()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


def is_enabled() -> bool:
    return backend().status().enabled


def status() -> Status:
    """Where the entry is, whether it runs, and what it runs; ``str()`` of it is for people."""
    return backend().status()


def enable() -> None:
    """Register this installation to start at login (replaces an older or disabled entry)."""
    backend().enable(launch())


def disable() -> None:
    backend().disable()


USAGE = "usage: presence-tray autostart on|off|status"


def run_cli(action: str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``presence-tray autostart on|off|status``: 0 on success, 1 on an OS error, 2 on misuse."""
    out = out or sys.stdout
    err = err or sys.stderr
    actions = {"on": enable, "off": disable, "status": None}
    if action not in actions:
        print(USAGE, file=err)
        return 2
    try:
        change = actions[action]
        if change is not None:
            change()
        print(status(), file=out)
    except OSError as exc:
        print(f"autostart {action}: {exc}", file=err)
        return 1
    return 0
