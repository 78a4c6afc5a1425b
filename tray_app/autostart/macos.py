"""macOS: a LaunchAgent, ``~/Library/LaunchAgents/<label>.plist`` with ``RunAtLoad``. System
Settings → Login Items (macOS 13+) turns it off without touching the file: launchd records
that, ``launchctl print-disabled gui/<uid>`` lists the label as disabled, and
``launchctl enable gui/<uid>/<label>`` lifts it."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tray_app.autostart.base import Status, remove, write_atomically
from tray_app.autostart.command import Launch

# The LaunchAgent label, also the app bundle's identifier (packaging/macos/).
MACOS_LABEL = "org.presencetray.PresenceTray"


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
        write_atomically(self.path, launch_agent_plist(how.argv, how.cwd))
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
        remove(self.path)
