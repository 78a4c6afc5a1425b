"""Start on login: the command registered for each way this copy can be installed (a bundle, a
pip install's console script, a source checkout) and on each OS."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app import autostart
from tray_app.autostart import AUTOSTART_FLAG, AutostartError, Launch

ROOT = Path(__file__).resolve().parents[2]


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
