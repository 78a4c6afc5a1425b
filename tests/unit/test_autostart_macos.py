"""Start on login on macOS: the LaunchAgent as data, written under a stand-in home, and
launchctl's answers read."""

from __future__ import annotations

import plistlib
import subprocess
from pathlib import Path

import pytest

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG, Launch


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
