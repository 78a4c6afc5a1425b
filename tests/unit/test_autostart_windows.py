"""Start on login on Windows: the Run value as data, and the registry logic against a stand-in
winreg."""

from __future__ import annotations

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG, Launch


def test_windows_run_value_quotes_paths_with_spaces() -> None:
    exe = r"C:\Users\Ann Lee\AppData\Local\Programs\Presence Tray\presence-tray.exe"
    assert autostart.windows_run_value([exe, AUTOSTART_FLAG]) == f'"{exe}" --autostarted'
    assert autostart.windows_run_value([r"C:\PT\presence-tray.exe", AUTOSTART_FLAG]) == (
        r"C:\PT\presence-tray.exe --autostarted"
    )
    # MS C runtime rules: backslashes before a closing quote are doubled.
    assert autostart.windows_run_value([r"C:\a b\\", "x"]) == '"C:\\a b\\\\\\\\" x'


def test_windows_startup_approved() -> None:
    assert autostart.windows_startup_approved(None)
    assert autostart.windows_startup_approved(b"")
    assert autostart.windows_startup_approved(bytes([0x02]) + bytes(11))
    assert not autostart.windows_startup_approved(bytes([0x03]) + bytes(3) + b"\x10\x20\x30\x40\x50\x60\x70\x01")


class FakeWinreg:
    """The part of ``winreg`` the Windows branch uses, over a dict."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_SZ = 1
    REG_BINARY = 3

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[object, int]]] = {}

    class _Key:
        def __init__(self, values: dict) -> None:
            self.values = values

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    def OpenKey(self, root: str, path: str, reserved: int = 0, access: int = 1):  # noqa: N802
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        return self._Key(self.keys[(root, path)])

    def CreateKeyEx(self, root: str, path: str, reserved: int = 0, access: int = 1):  # noqa: N802
        return self._Key(self.keys.setdefault((root, path), {}))

    def QueryValueEx(self, key, name: str):  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name]

    def SetValueEx(self, key, name: str, reserved: int, kind: int, value: object) -> None:  # noqa: N802
        key.values[name] = (value, kind)

    def DeleteValue(self, key, name: str) -> None:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]


def test_windows_branch_with_a_stand_in_registry() -> None:
    reg = FakeWinreg()
    run = autostart.WindowsRun(reg)
    exe = r"C:\Users\Ann Lee\AppData\Local\Programs\Presence Tray\presence-tray.exe"
    assert not run.status().enabled

    run.enable(Launch([exe, AUTOSTART_FLAG]))
    run_values = reg.keys[("HKCU", autostart.WINDOWS_RUN_KEY)]
    assert run_values["Presence Tray"] == (f'"{exe}" --autostarted', reg.REG_SZ)
    assert run.status().enabled

    # Task Manager → Disable: the Run value stays, StartupApproved says 03.
    approved = reg.CreateKeyEx("HKCU", autostart.WINDOWS_APPROVED_KEY).values
    approved["Presence Tray"] = (bytes([0x03]) + bytes(11), reg.REG_BINARY)
    status = run.status()
    assert not status.enabled and "Task Manager" in status.reason
    # Turning it on from the app lifts that.
    run.enable(Launch([exe, AUTOSTART_FLAG]))
    assert "Presence Tray" not in approved
    assert run.status().enabled

    run.disable()
    assert "Presence Tray" not in run_values
    assert not run.status().enabled
    run.disable()  # already off: no error
