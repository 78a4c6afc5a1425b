"""Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``. Task Manager
and Settings disable it without deleting it, by a binary value of the same name under
``...\\Explorer\\StartupApproved\\Run`` whose first byte is odd (0x03) instead of even (0x02).
``winreg`` is imported on Windows only, when it is used."""

from __future__ import annotations

import subprocess
from typing import Any

from tray_app.autostart.base import APP_NAME, Status
from tray_app.autostart.command import Launch

# The name of the Run value. packaging/windows/presence-tray.iss writes the same name.
WINDOWS_VALUE_NAME = APP_NAME
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWS_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


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
