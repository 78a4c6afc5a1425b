"""Start on login: the content for each OS as data, and the Linux branch for real.

Linux entries are checked by the tools a desktop uses: ``desktop-file-validate`` (Debian
desktop-file-utils) and ``gio launch`` (GLib, which GNOME's session uses to run autostart entries),
which must hand our program exactly the argv we registered, spaces and quotes included.
"""

from __future__ import annotations

import io
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG, Launch

# Paths a user may really have: spaces, quotes, shell and desktop-entry specials.
AWKWARD_DIRS = [
    "My Apps",
    "it's here",
    'say "hi"',
    "50% off $HOME `x` (copy) #1 & more;",
    "back\\slash",
]


def _validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    assert tool, "desktop-file-validate not found: apt-get install desktop-file-utils"
    result = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def _recorder(folder: Path, record: Path) -> Path:
    """An executable that writes the argv it was started with, one per line."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "presence tray"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"open({str(record)!r}, 'w').write('\\n'.join(sys.argv) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


# --- Linux content ---------------------------------------------------------------------------


@pytest.mark.parametrize("dirname", AWKWARD_DIRS)
def test_desktop_entry_is_valid_and_launches_the_exact_argv(tmp_path: Path, dirname: str) -> None:
    record = tmp_path / "argv.txt"
    program = _recorder(tmp_path / dirname, record)
    argv = [str(program), AUTOSTART_FLAG, "--label=100% \"quoted\" 'single'"]
    entry = tmp_path / "presence-tray.desktop"
    entry.write_text(autostart.desktop_entry(argv))
    _validate(entry)

    gio = shutil.which("gio")
    assert gio, "gio not found: apt-get install libglib2.0-bin"
    subprocess.run([gio, "launch", str(entry)], check=True, timeout=30)
    for _ in range(100):
        if record.exists() and record.read_text().endswith("\n"):
            break
        subprocess.run(["sleep", "0.05"])
    assert record.read_text().splitlines() == argv


def test_desktop_entry_content() -> None:
    text = autostart.desktop_entry(["/opt/My Apps/presence-tray", AUTOSTART_FLAG], cwd="/src/my tree")
    keys = autostart.parse_desktop_entry(text)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "Presence Tray"
    assert keys["Icon"] == "presence-tray"
    assert keys["Exec"] == '"/opt/My Apps/presence-tray" --autostarted'
    assert keys["TryExec"] == "/opt/My Apps/presence-tray"
    assert keys["Path"] == "/src/my tree"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert "'" not in keys["Exec"]
    assert autostart.desktop_entry_disabled_by(keys) is None
    # Exec/TryExec of the shipped application entry are replaced, not repeated.
    assert text.count("\nExec=") == 1 and text.count("\nTryExec=") == 1


def test_exec_value_quoting_rules() -> None:
    # Plain words stay bare; a reserved character forces double quotes; inside them " ` $ \ get a
    # backslash, and the string escape doubles every backslash once more; % becomes %%.
    assert autostart.exec_value(["/usr/bin/presence-tray", "--autostarted"]) == (
        "/usr/bin/presence-tray --autostarted"
    )
    assert autostart.exec_value(["/a b/x"]) == '"/a b/x"'
    assert autostart.exec_value(["/it's/x"]) == '"/it\'s/x"'
    assert autostart.exec_value(["/$d/x"]) == '"/\\\\$d/x"'
    assert autostart.exec_value(["/a\\b"]) == '"/a\\\\\\\\b"'
    assert autostart.exec_value(["5%"]) == "5%%"
    assert autostart.exec_value([""]) == '""'
    with pytest.raises(ValueError):
        autostart.exec_value(["/a\nb"])


@pytest.mark.parametrize(
    ("line", "reason"),
    [("Hidden=true", "Hidden=true"), ("X-GNOME-Autostart-enabled=false", "X-GNOME-Autostart-enabled=false")],
)
def test_disabled_markers(line: str, reason: str) -> None:
    text = autostart.desktop_entry(["/usr/bin/presence-tray", AUTOSTART_FLAG]) + line + "\n"
    assert autostart.desktop_entry_disabled_by(autostart.parse_desktop_entry(text)) == reason


def test_xdg_config_home_rules(tmp_path: Path) -> None:
    assert autostart.xdg_config_home({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path
    # Unset, empty or relative: the spec says ~/.config.
    for value in (None, "", "relative/dir"):
        env = {} if value is None else {"XDG_CONFIG_HOME": value}
        assert autostart.xdg_config_home(env) == Path.home() / ".config"


# --- Linux for real ----------------------------------------------------------------------------


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setattr(sys, "platform", "linux")
    return home


def test_enable_status_disable_on_linux(config_home: Path) -> None:
    entry = config_home / "autostart" / "presence-tray.desktop"
    assert not autostart.is_enabled()
    assert "no autostart entry" in str(autostart.status())

    autostart.enable()
    assert entry.is_file()
    _validate(entry)
    keys = autostart.parse_desktop_entry(entry.read_text())
    assert keys["Exec"] == autostart.exec_value(autostart.launch_command())
    assert keys["Exec"].endswith(" --autostarted")
    assert autostart.is_enabled()
    assert str(autostart.status()).startswith("Start on login: on")

    # KDE's "disable" keeps the file and adds Hidden=true.
    entry.write_text(entry.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled()
    assert "Hidden=true" in str(autostart.status())
    # Turning it on again replaces the entry, so it runs again.
    autostart.enable()
    assert autostart.is_enabled()

    autostart.disable()
    assert not entry.exists()
    assert not autostart.is_enabled()
    autostart.disable()  # already off: no error


def test_run_cli_on_status_off(config_home: Path) -> None:
    entry = config_home / "autostart" / "presence-tray.desktop"
    out = io.StringIO()
    assert autostart.run_cli("on", out) == 0
    assert entry.is_file()
    assert f"on ({entry})" in out.getvalue()
    assert "--autostarted" in out.getvalue()

    out = io.StringIO()
    assert autostart.run_cli("status", out) == 0
    assert "Start on login: on" in out.getvalue()

    out = io.StringIO()
    assert autostart.run_cli("off", out) == 0
    assert not entry.exists()
    assert "Start on login: off" in out.getvalue()

    err = io.StringIO()
    assert autostart.run_cli("maybe", io.StringIO(), err) == 2
    assert "on|off|status" in err.getvalue()


def test_run_cli_reports_an_unwritable_config(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    (config_home / "autostart").write_text("a file where the folder should be")
    err = io.StringIO()
    assert autostart.run_cli("on", io.StringIO(), err) == 1
    assert "autostart on:" in err.getvalue()


# --- the registered command ----------------------------------------------------------------------


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_launch_from_a_bundle(tmp_path: Path) -> None:
    exe = _executable(tmp_path / "Presence Tray" / "presence-tray")
    assert autostart.launch(frozen=True, executable=str(exe), platform="linux") == Launch(
        [str(exe), AUTOSTART_FLAG]
    )


def test_launch_from_the_windows_cli_exe_registers_the_gui_exe(tmp_path: Path) -> None:
    folder = tmp_path / "Programs" / "Presence Tray"
    gui = _executable(folder / "presence-tray.exe")
    cli = _executable(folder / "presence-tray-cli.exe")
    how = autostart.launch(frozen=True, executable=str(cli), platform="win32")
    assert how.argv == [str(gui), AUTOSTART_FLAG]


def test_launch_from_a_pip_install_uses_the_console_script(tmp_path: Path) -> None:
    bin_dir = tmp_path / "my venv" / "bin"
    python = _executable(bin_dir / "python")
    script = _executable(bin_dir / "presence-tray")
    how = autostart.launch(frozen=False, executable=str(python), platform="linux")
    assert how == Launch([str(script), AUTOSTART_FLAG])


def test_launch_finds_a_user_install_script(tmp_path: Path) -> None:
    python = _executable(tmp_path / "usr" / "bin" / "python3")
    script = _executable(tmp_path / "home" / ".local" / "bin" / "presence-tray")
    how = autostart.launch(
        frozen=False,
        executable=str(python),
        platform="linux",
        script_dirs=[str(python.parent), str(script.parent)],
    )
    assert how.argv == [str(script), AUTOSTART_FLAG]


def test_launch_without_a_script_runs_the_module(tmp_path: Path) -> None:
    python = _executable(tmp_path / "py" / "python3")
    checkout = tmp_path / "my checkout"
    how = autostart.launch(
        frozen=False, executable=str(python), platform="linux", script_dirs=[],
        package_root=str(checkout), site_dirs=[str(tmp_path / "site-packages")],
    )
    # A source checkout: the module is found from the checkout, so start there.
    assert how == Launch([str(python), "-m", "tray_app", AUTOSTART_FLAG], cwd=str(checkout))
    installed = autostart.launch(
        frozen=False, executable=str(python), platform="linux", script_dirs=[],
        package_root=str(tmp_path / "site-packages"), site_dirs=[str(tmp_path / "site-packages")],
    )
    assert installed.cwd is None


def test_launch_on_windows_uses_pythonw(tmp_path: Path) -> None:
    scripts = tmp_path / "venv" / "Scripts"
    python = _executable(scripts / "python.exe")
    pythonw = _executable(scripts / "pythonw.exe")
    how = autostart.launch(frozen=False, executable=str(python), platform="win32")
    assert how.argv == [str(pythonw), "-m", "tray_app", AUTOSTART_FLAG]


def test_launch_command_of_this_checkout() -> None:
    argv = autostart.launch_command()
    assert argv[-1] == AUTOSTART_FLAG
    assert os.access(argv[0], os.X_OK)


# --- Windows content, and the registry logic against a stand-in winreg -------------------------


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


# --- macOS content, and the LaunchAgent written under a stand-in home ----------------------------


def test_launch_agent_plist_content() -> None:
    exe = "/Applications/Presence Tray.app/Contents/MacOS/presence-tray"
    agent = plistlib.loads(autostart.launch_agent_plist([exe, AUTOSTART_FLAG]))
    assert agent["Label"] == autostart.MACOS_LABEL
    assert agent["ProgramArguments"] == [exe, AUTOSTART_FLAG]  # no shell: spaces need no quoting
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] is False
    assert agent["LimitLoadToSessionType"] == "Aqua"
    assert "WorkingDirectory" not in agent
    with_cwd = plistlib.loads(autostart.launch_agent_plist(["python3", "-m", "tray_app"], "/src/my tree"))
    assert with_cwd["WorkingDirectory"] == "/src/my tree"


def test_launch_agent_enable_status_disable(tmp_path: Path) -> None:
    agent = autostart.LaunchAgent(home=tmp_path)
    path = tmp_path / "Library" / "LaunchAgents" / f"{autostart.MACOS_LABEL}.plist"
    assert not agent.status().enabled
    exe = "/Applications/Presence Tray.app/Contents/MacOS/presence-tray"
    agent.enable(Launch([exe, AUTOSTART_FLAG]))
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [exe, AUTOSTART_FLAG]
    assert agent.status().enabled
    data = plistlib.loads(path.read_bytes())
    path.write_bytes(plistlib.dumps({**data, "Disabled": True}))
    assert not agent.status().enabled
    agent.disable()
    assert not path.exists()
    assert not agent.status().enabled
