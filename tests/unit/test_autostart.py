"""Start on login: the content for each OS as data, and the Linux branch for real.

Linux entries are checked by the tools a desktop uses: ``desktop-file-validate`` (Debian
desktop-file-utils) and ``gio launch`` (GLib, which GNOME's session uses to run autostart entries),
which must hand our program exactly the argv we registered, spaces and quotes included.
"""

from __future__ import annotations

import io
import os
import plistlib
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG, AutostartError, Launch

ROOT = Path(__file__).resolve().parents[2]

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
        f"#!{sys.executable}\nimport sys\nopen({str(record)!r}, 'w').write('\\n'.join(sys.argv) + '\\n')\n"
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
    assert autostart.exec_value(["/usr/bin/presence-tray", "--autostarted"]) == ("/usr/bin/presence-tray --autostarted")
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
    # Tests run from this checkout: its interpreter runs the module, started in the checkout.
    # (shlex reads the quoting independently of ours; right for paths without a backslash.)
    assert shlex.split(keys["Exec"]) == [sys.executable, "-m", "tray_app", AUTOSTART_FLAG]
    assert keys["TryExec"] == sys.executable
    assert keys["Path"] == str(ROOT)
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


def _executable(path: Path, content: str = "#!/bin/sh\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    path.chmod(0o755)
    return path


def _console_script(path: Path, python: Path) -> Path:
    """What pip writes: ``#!<python>``, or for a path with spaces the ``/bin/sh`` form."""
    if " " in str(python):
        head = f"#!/bin/sh\n'''exec' \"{python}\" \"$0\" \"$@\"\n' '''\n"
    else:
        head = f"#!{python}\n"
    return _executable(path, head + "import sys\nfrom tray_app.cli import main\nsys.exit(main())\n")


def _installed(tmp_path: Path) -> dict:
    """launch() keywords for a copy installed in a site directory (not a source checkout)."""
    site = str(tmp_path / "site-packages")
    return {"package_root": site, "site_dirs": [site]}


def test_launch_from_a_bundle(tmp_path: Path) -> None:
    exe = _executable(tmp_path / "Presence Tray" / "presence-tray")
    assert autostart.launch(frozen=True, executable=str(exe), platform="linux") == Launch([str(exe), AUTOSTART_FLAG])


def test_launch_from_the_windows_cli_exe_registers_the_gui_exe(tmp_path: Path) -> None:
    folder = tmp_path / "Programs" / "Presence Tray"
    gui = _executable(folder / "presence-tray.exe")
    cli = _executable(folder / "presence-tray-cli.exe")
    how = autostart.launch(frozen=True, executable=str(cli), platform="win32")
    assert how.argv == [str(gui), AUTOSTART_FLAG]


def test_launch_from_the_macos_app_in_applications() -> None:
    exe = "/Applications/Presence Tray.app/Contents/MacOS/presence-tray"
    how = autostart.launch(frozen=True, executable=exe, platform="darwin")
    assert how == Launch([exe, AUTOSTART_FLAG])


@pytest.mark.parametrize(
    "exe",
    [
        "/private/var/folders/x1/abc/T/AppTranslocation/4F1C-22/d/Presence Tray.app/Contents/MacOS/presence-tray",
        "/Volumes/Presence Tray/Presence Tray.app/Contents/MacOS/presence-tray",
    ],
)
def test_launch_refuses_a_macos_app_that_is_not_installed(exe: str) -> None:
    with pytest.raises(AutostartError, match="Move “Presence Tray” to the Applications folder"):
        autostart.launch(frozen=True, executable=exe, platform="darwin")


def test_run_cli_explains_a_translocated_app(monkeypatch: pytest.MonkeyPatch) -> None:
    exe = "/private/var/folders/x1/abc/T/AppTranslocation/4F1C/d/Presence Tray.app/Contents/MacOS/presence-tray"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", exe)
    monkeypatch.setattr(sys, "platform", "darwin")
    written = []
    monkeypatch.setattr(autostart.LaunchAgent, "enable", lambda self, how: written.append(how))
    err = io.StringIO()
    assert autostart.run_cli("on", io.StringIO(), err) == 1
    assert "Applications folder" in err.getvalue() and not written


def test_launch_from_a_pip_install_uses_the_console_script(tmp_path: Path) -> None:
    bin_dir = tmp_path / "my venv" / "bin"
    python = _executable(bin_dir / "python")
    script = _console_script(bin_dir / "presence-tray", python)
    how = autostart.launch(frozen=False, executable=str(python), platform="linux", **_installed(tmp_path))
    assert how == Launch([str(script), AUTOSTART_FLAG])


def test_launch_accepts_the_script_of_another_name_of_this_interpreter(tmp_path: Path) -> None:
    # pip ran as venv/bin/python3; the applet runs as venv/bin/python (a link to it).
    bin_dir = tmp_path / "venv" / "bin"
    python3 = _executable(bin_dir / "python3")
    (bin_dir / "python").symlink_to("python3")
    script = _console_script(bin_dir / "presence-tray", python3)
    how = autostart.launch(frozen=False, executable=str(bin_dir / "python"), platform="linux", **_installed(tmp_path))
    assert how.argv == [str(script), AUTOSTART_FLAG]


def test_launch_finds_a_user_install_script(tmp_path: Path) -> None:
    python = _executable(tmp_path / "usr" / "bin" / "python3")
    script = _console_script(tmp_path / "home" / ".local" / "bin" / "presence-tray", python)
    how = autostart.launch(
        frozen=False,
        executable=str(python),
        platform="linux",
        script_dirs=[str(python.parent), str(script.parent)],
        **_installed(tmp_path),
    )
    assert how.argv == [str(script), AUTOSTART_FLAG]


def test_launch_skips_another_installs_presence_tray(tmp_path: Path) -> None:
    """Not this interpreter's script: the .deb's program next to the system python (an ELF, no
    #!), and a --user install of another python (a venv's python links to it, but has its own
    site-packages). The module of this interpreter runs instead."""
    system_bin = tmp_path / "usr" / "bin"
    system_python = _executable(system_bin / "python3")
    _executable(system_bin / "presence-tray", "\x7fELF\x02\x01\x01")  # the .deb's, not a script
    user_script = _console_script(tmp_path / "home" / ".local" / "bin" / "presence-tray", system_python)
    venv_python = tmp_path / "venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(system_python)
    for python in (system_python, venv_python):
        how = autostart.launch(
            frozen=False,
            executable=str(python),
            platform="linux",
            script_dirs=[str(system_bin)] + ([] if python == system_python else [str(user_script.parent)]),
            **_installed(tmp_path),
        )
        assert how == Launch([str(python), "-m", "tray_app", AUTOSTART_FLAG]), python


def test_launch_from_a_source_checkout_ignores_scripts(tmp_path: Path) -> None:
    """From a checkout even a script of this very interpreter may be an older install's."""
    bin_dir = tmp_path / "venv" / "bin"
    python = _executable(bin_dir / "python")
    _console_script(bin_dir / "presence-tray", python)
    checkout = tmp_path / "my checkout"
    how = autostart.launch(
        frozen=False,
        executable=str(python),
        platform="linux",
        package_root=str(checkout),
        site_dirs=[str(tmp_path / "site-packages")],
    )
    assert how == Launch([str(python), "-m", "tray_app", AUTOSTART_FLAG], cwd=str(checkout))


def test_launch_without_a_script_runs_the_module(tmp_path: Path) -> None:
    python = _executable(tmp_path / "py" / "python3")
    checkout = tmp_path / "my checkout"
    how = autostart.launch(
        frozen=False,
        executable=str(python),
        platform="linux",
        script_dirs=[],
        package_root=str(checkout),
        site_dirs=[str(tmp_path / "site-packages")],
    )
    # A source checkout: the module is found from the checkout, so start there.
    assert how == Launch([str(python), "-m", "tray_app", AUTOSTART_FLAG], cwd=str(checkout))
    installed = autostart.launch(
        frozen=False,
        executable=str(python),
        platform="linux",
        script_dirs=[],
        package_root=str(tmp_path / "site-packages"),
        site_dirs=[str(tmp_path / "site-packages")],
    )
    assert installed == Launch([str(python), "-m", "tray_app", AUTOSTART_FLAG])


def test_launch_on_windows_uses_pythonw(tmp_path: Path) -> None:
    scripts = tmp_path / "venv" / "Scripts"
    python = _executable(scripts / "python.exe")
    pythonw = _executable(scripts / "pythonw.exe")
    how = autostart.launch(frozen=False, executable=str(python), platform="win32")
    assert how.argv == [str(pythonw), "-m", "tray_app", AUTOSTART_FLAG]


@pytest.mark.parametrize(
    ("head", "interpreter"),
    [
        (b"#!/venv/bin/python\nimport sys\n", "/venv/bin/python"),
        (b"#!/usr/bin/python3 -s\n", "/usr/bin/python3"),
        (b"#!/bin/sh\n'''exec' \"/my venv/bin/python\" \"$0\" \"$@\"\n' '''\n", "/my venv/bin/python"),
        (b"#!/bin/sh\n'''exec' /a/very/long/venv/bin/python \"$0\" \"$@\"\n' '''\n", "/a/very/long/venv/bin/python"),
        (b"#!/bin/sh\necho hi\n", "/bin/sh"),
        (b"\x7fELF\x02\x01\x01\x00", None),
        (b"", None),
    ],
)
def test_script_interpreter(head: bytes, interpreter: str | None) -> None:
    assert autostart.script_interpreter(head) == interpreter


def test_launch_command_of_this_checkout() -> None:
    """The suite runs from a source checkout: this interpreter, `-m tray_app`, in the checkout;
    and that command imports this very checkout (not an installed copy)."""
    how = autostart.launch()
    assert how == Launch([sys.executable, "-m", "tray_app", AUTOSTART_FLAG], cwd=str(ROOT))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = subprocess.run(
        [how.argv[0], "-c", "import tray_app; print(tray_app.__file__)"],
        cwd=how.cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).resolve() == ROOT / "tray_app" / "__init__.py"


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


class FakeLaunchctl:
    """``launchctl`` for the LaunchAgent class: records calls, answers print-disabled from a dict
    of label → "enabled"/"disabled" the way macOS 13+ prints it, and keeps ``enable``."""

    def __init__(self, disabled: dict[str, str] | None = None, fail_enable: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.disabled = dict(disabled or {})
        self.fail_enable = fail_enable

    def __call__(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(args)
        if args[0] == "print-disabled":
            body = "".join(f'\t"{label}" => {value}\n' for label, value in self.disabled.items())
            return subprocess.CompletedProcess(args, 0, f"disabled services = {{\n{body}}}\n", "")
        if args[0] == "enable":
            if self.fail_enable:
                return subprocess.CompletedProcess(args, 1, "", "Could not enable service\n")
            self.disabled[args[1].rsplit("/", 1)[1]] = "enabled"
            return subprocess.CompletedProcess(args, 0, "", "")
        raise AssertionError(args)


def test_launch_agent_enable_status_disable(tmp_path: Path) -> None:
    launchctl = FakeLaunchctl()
    agent = autostart.LaunchAgent(home=tmp_path, uid=501, launchctl=launchctl)
    path = tmp_path / "Library" / "LaunchAgents" / f"{autostart.MACOS_LABEL}.plist"
    assert not agent.status().enabled
    exe = "/Applications/Presence Tray.app/Contents/MacOS/presence-tray"
    agent.enable(Launch([exe, AUTOSTART_FLAG]))
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == [exe, AUTOSTART_FLAG]
    assert ["enable", f"gui/501/{autostart.MACOS_LABEL}"] in launchctl.calls
    assert agent.status().enabled
    data = plistlib.loads(path.read_bytes())
    path.write_bytes(plistlib.dumps({**data, "Disabled": True}))
    assert not agent.status().enabled
    agent.disable()
    assert not path.exists()
    assert not agent.status().enabled


def test_launch_agent_turned_off_in_login_items(tmp_path: Path) -> None:
    """System Settings → Login Items leaves the plist alone; launchd lists the label disabled.
    `status` says off and why; `enable` lifts it with `launchctl enable`."""
    launchctl = FakeLaunchctl()
    agent = autostart.LaunchAgent(home=tmp_path, uid=501, launchctl=launchctl)
    exe = "/Applications/Presence Tray.app/Contents/MacOS/presence-tray"
    agent.enable(Launch([exe, AUTOSTART_FLAG]))
    launchctl.disabled[autostart.MACOS_LABEL] = "disabled"
    status = agent.status()
    assert not status.enabled and "Login Items" in status.reason
    assert ["print-disabled", "gui/501"] in launchctl.calls
    agent.enable(Launch([exe, AUTOSTART_FLAG]))
    assert agent.status().enabled


def test_launch_agent_enable_reports_a_launchctl_failure(tmp_path: Path) -> None:
    agent = autostart.LaunchAgent(home=tmp_path, uid=501, launchctl=FakeLaunchctl(fail_enable=True))
    with pytest.raises(OSError, match="launchctl enable gui/501/.*Could not enable service"):
        agent.enable(Launch(["/Applications/x", AUTOSTART_FLAG]))


def test_launch_agent_status_without_launchctl(tmp_path: Path) -> None:
    """launchctl missing or broken: the plist alone decides (never a crash in the menu)."""

    def broken(args: list[str]) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("launchctl")

    exe = "/Applications/x"
    autostart.LaunchAgent(home=tmp_path, uid=501, launchctl=FakeLaunchctl()).enable(Launch([exe]))
    assert autostart.LaunchAgent(home=tmp_path, uid=501, launchctl=broken).status().enabled


LABEL = autostart.MACOS_LABEL
# `launchctl print-disabled gui/501` as printed by macOS 13+ (enabled/disabled, and other blocks
# after the first) and by macOS 12 and earlier (true means disabled).
PRINT_DISABLED_13 = f"""disabled services = {{
	"com.apple.ScreenReaderUIServer" => disabled
	"{LABEL}" => disabled
	"com.docker.helper" => enabled
}}

login item associations = {{
	"{LABEL}" => enabled
}}
"""
PRINT_DISABLED_12 = f"""disabled services = {{
	"com.apple.Siri.agent" => true
	"{LABEL}" => false
}}
"""


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (PRINT_DISABLED_13, True),
        (PRINT_DISABLED_13.replace(f'"{LABEL}" => disabled', f'"{LABEL}" => enabled'), False),
        (PRINT_DISABLED_12, False),
        (PRINT_DISABLED_12.replace(f'"{LABEL}" => false', f'"{LABEL}" => true'), True),
        ('disabled services = {\n\t"com.apple.x" => disabled\n}\n', None),
        (f'disabled services = {{\n\t"{LABEL}.helper" => disabled\n}}\n', None),
        ("", None),
    ],
)
def test_launchctl_print_disabled_parsing(output: str, expected: bool | None) -> None:
    assert autostart.launchctl_disabled(output, LABEL) is expected
