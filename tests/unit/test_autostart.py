"""Start on login, the Linux branch: the desktop entry as data, and enabled, read and disabled
for real (the command registered: test_autostart_command.py; Windows and macOS:
test_autostart_windows.py, test_autostart_macos.py).

Linux entries are checked by the tools a desktop uses: ``desktop-file-validate`` (Debian
desktop-file-utils) and ``gio launch`` (GLib, which GNOME's session uses to run autostart entries),
which must hand our program exactly the argv we registered, spaces and quotes included.
"""

from __future__ import annotations

import io
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG

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
