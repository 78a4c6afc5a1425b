"""Linux and other freedesktop systems: an XDG autostart desktop entry,
``$XDG_CONFIG_HOME/autostart/presence-tray.desktop``. ``Hidden=true`` (KDE) or
``X-GNOME-Autostart-enabled=false`` (GNOME) in it means disabled."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from tray_app import APP_ID
from tray_app.autostart.base import Status, remove, write_atomically
from tray_app.autostart.command import Launch

DESKTOP_FILE = f"{APP_ID}.desktop"

# Desktop Entry spec, "The Exec key": characters that force an argument into double quotes, and
# those that need a backslash inside the quotes.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED_IN_QUOTES = frozenset('"`$\\')


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
        write_atomically(self.path, desktop_entry(how.argv, how.cwd).encode("utf-8"))

    def disable(self) -> None:
        remove(self.path)
