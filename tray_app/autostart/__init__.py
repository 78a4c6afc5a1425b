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

One module per system (``xdg``, ``windows``, ``macos``); the content for each is made by pure
functions (``desktop_entry``, ``windows_run_value``, ``launch_agent_plist``) so all three can be
tested anywhere, and small classes only read and write it. ``command`` finds what to run for the
way this copy was installed, ``system`` picks this system's entry, ``cli`` is the subcommand.

The registered command ends with ``--autostarted``: started at login the applet comes up quietly.
Qt-free: the tray menu and the ``presence-tray autostart`` subcommand both call into this package.
"""

from __future__ import annotations

from tray_app.autostart.base import APP_NAME, Status
from tray_app.autostart.cli import USAGE, run_cli
from tray_app.autostart.command import (
    AUTOSTART_FLAG,
    AutostartError,
    Launch,
    launch,
    same_interpreter,
    script_interpreter,
)
from tray_app.autostart.macos import MACOS_LABEL, LaunchAgent, launch_agent_plist, launchctl_disabled
from tray_app.autostart.system import backend, disable, enable, is_enabled, status
from tray_app.autostart.windows import (
    WINDOWS_APPROVED_KEY,
    WINDOWS_RUN_KEY,
    WINDOWS_VALUE_NAME,
    WindowsRun,
    windows_run_value,
    windows_startup_approved,
)
from tray_app.autostart.xdg import (
    DESKTOP_FILE,
    XdgAutostart,
    desktop_entry,
    desktop_entry_disabled_by,
    exec_value,
    parse_desktop_entry,
    xdg_config_home,
)

__all__ = [
    "APP_NAME",
    "AUTOSTART_FLAG",
    "DESKTOP_FILE",
    "MACOS_LABEL",
    "USAGE",
    "WINDOWS_APPROVED_KEY",
    "WINDOWS_RUN_KEY",
    "WINDOWS_VALUE_NAME",
    "AutostartError",
    "LaunchAgent",
    "Launch",
    "Status",
    "WindowsRun",
    "XdgAutostart",
    "backend",
    "desktop_entry",
    "desktop_entry_disabled_by",
    "disable",
    "enable",
    "exec_value",
    "is_enabled",
    "launch",
    "launch_agent_plist",
    "launchctl_disabled",
    "parse_desktop_entry",
    "run_cli",
    "same_interpreter",
    "script_interpreter",
    "status",
    "windows_run_value",
    "windows_startup_approved",
    "xdg_config_home",
]
