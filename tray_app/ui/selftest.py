"""``presence-tray --selftest``: does this installation have what the applet needs at run time?

Loads Qt (offscreen when there is no display), renders every SVG in ``tray_app.resources`` with
``QSvgRenderer`` and as a ``QIcon`` (the tray's way, through the SVG icon-engine plugin), lists the
platform plugins, and loads the keyring backend without touching any secret. Meant for installers
and CI: a trimmed bundle that lost a plugin, an icon or the keyring metadata fails here.
Prints a short report; returns 0, or 1 with the reasons.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from importlib import metadata, resources
from typing import TextIO

from tray_app import APP_ID, __version__

# The keyring backend a desktop of each system has, its entry point (keyring's own metadata, which
# a bundle must carry) and the module it cannot work without.
_NATIVE_KEYRING = {
    "linux": ("SecretService", "keyring.backends.SecretService.Keyring", "secretstorage"),
    "win32": ("Windows", "keyring.backends.Windows.WinVaultKeyring", "win32ctypes.pywin32.win32cred"),
    "darwin": ("macOS", "keyring.backends.macOS.Keyring", None),
}
# The platform plugin the tray runs on at home; a bundle without it starts nowhere.
_NATIVE_PLATFORM_PLUGIN = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}
_RENDER_SIZE = 64


def _platform_key() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def _required_plugins() -> list[tuple[str, str]]:
    """Plugins whose absence a rendering check alone would miss (Qt falls back quietly): the
    native platform, and SVG as icon engine (sharp at every size) and as image format."""
    required = [("iconengines", "svgicon"), ("imageformats", "svg")]
    native = _NATIVE_PLATFORM_PLUGIN.get(_platform_key())
    return [("platforms", native), *required] if native else required


def run_selftest(out: TextIO | None = None) -> int:
    out = out or sys.stdout
    report: list[str] = []
    problems: list[str] = []
    frozen = getattr(sys, "frozen", False)
    where = getattr(sys, "_MEIPASS", sys.executable) if frozen else sys.executable
    report.append(f"{APP_ID} {__version__} selftest")
    report.append(
        f"python {sys.version.split()[0]} on {sys.platform}, {'bundle' if frozen else 'interpreter'}: {where}"
    )
    _check_modules(report, problems)
    _check_qt(report, problems)
    _check_keyring(report, problems)
    if problems:
        report.append("selftest: FAILED")
        report.extend(f"  - {problem}" for problem in problems)
    else:
        report.append("selftest: OK")
    print("\n".join(report), file=out, flush=True)
    return 1 if problems else 0


def _check_modules(report: list[str], problems: list[str]) -> None:
    """Every tray_app module imports: nothing the applet reaches was left out of a bundle."""
    import tray_app

    names = sorted(
        info.name
        for info in pkgutil.walk_packages(tray_app.__path__, "tray_app.")
        if info.name != "tray_app.__main__"  # runs the CLI
    )
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name} ({exc!r})")
    if failed:
        problems.append(f"modules do not import: {', '.join(failed)}")
    report.append(f"modules imported: {len(names) - len(failed)} of {len(names)}")


def _check_qt(report: list[str], problems: list[str]) -> None:
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if _platform_key() == "linux" and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        import PySide6
        from PySide6.QtCore import QByteArray, QCoreApplication, QDir, qVersion
        from PySide6.QtGui import QIcon, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon
    except ImportError as exc:
        problems.append(f"Qt does not import: {exc}")
        return
    app = QApplication.instance() or QApplication([APP_ID])
    report.append(f"Qt {qVersion()} (PySide6 {PySide6.__version__}), platform: {app.platformName()}")

    def plugins(kind: str) -> list[str]:
        found = set()
        for folder in QCoreApplication.libraryPaths():
            for entry in QDir(os.path.join(folder, kind)).entryList(QDir.Filter.Files):
                found.add(entry.split(".")[0].removeprefix("lib").removeprefix("q"))
        return sorted(found)

    report.append(f"platform plugins: {', '.join(plugins('platforms')) or 'none'}")
    for kind, name in _required_plugins():
        if name not in plugins(kind):
            problems.append(f"the Qt plugin {kind}/{name} is missing")
    report.append(f"system tray available: {'yes' if QSystemTrayIcon.isSystemTrayAvailable() else 'no'}")
    lost = none_references_lost()
    report.append(f"references to None lost by {_LEAK_PROBE_CALLS} Qt calls: {lost}")
    if lost > 0:
        problems.append(
            f"this PySide6 ({PySide6.__version__}) on Python {sys.version.split()[0]} loses a "
            "reference to None per Qt call; the applet would abort (none_dealloc). "
            "See docs/installing.md, “Supported Python and PySide6”."
        )

    folder = resources.files("tray_app.resources")
    svgs = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".svg")), key=lambda e: e.name)
    if not any(entry.name == f"{APP_ID}.svg" for entry in svgs):
        problems.append(f"the application icon {APP_ID}.svg is not in tray_app.resources")
    for entry in svgs:
        renderer = QSvgRenderer(QByteArray(entry.read_bytes()))
        image = QImage(_RENDER_SIZE, _RENDER_SIZE, QImage.Format.Format_ARGB32)
        image.fill(0)
        if renderer.isValid():
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
        with resources.as_file(entry) as path:
            icon_image = QIcon(str(path)).pixmap(_RENDER_SIZE, _RENDER_SIZE).toImage()
        failures = []
        if not renderer.isValid():
            failures.append("QSvgRenderer cannot parse it")
        elif not _painted(image):
            failures.append("QSvgRenderer drew nothing")
        if not _painted(icon_image):
            failures.append("QIcon drew nothing")
        if failures:
            problems.append(f"icon {entry.name}: {'; '.join(failures)}")
        report.append(f"icon {entry.name}: {'FAILED' if failures else 'ok'}")
    report.append(f"icons rendered: {len(svgs)}")
    _check_translations(folder, report, problems)


def _check_translations(folder, report: list[str], problems: list[str]) -> None:  # noqa: ANN001
    """Every shipped translation loads (a bundle that lost its .qm files speaks only English)."""
    from PySide6.QtCore import QTranslator

    from tray_app.ui.translations import CATALOGUE, LANGUAGES

    for lang in LANGUAGES:
        name = f"{CATALOGUE}_{lang}.qm"
        entry = folder.joinpath(name)
        ok = entry.is_file() and QTranslator().load(str(entry))
        if not ok:
            problems.append(f"translation {name} is missing or does not load")
        report.append(f"translation {name}: {'ok' if ok else 'FAILED'}")


_LEAK_PROBE_CALLS = 1000


def none_references_lost(calls: int = _LEAK_PROBE_CALLS) -> int:
    """How many references to None `calls` void Qt calls lose (PySide6 6.12.0 on CPython < 3.12
    loses one per call, and the process aborts once None's count reaches zero). 0 when sound."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for n in range(calls):
        label.setText("x" if n % 2 else "y")
    lost = before - sys.getrefcount(None)
    label.deleteLater()
    return max(0, lost)


def _painted(image) -> bool:  # noqa: ANN001 - a QImage
    if image.isNull():
        return False
    return any(image.pixelColor(x, y).alpha() for y in range(image.height()) for x in range(image.width()))


def _check_keyring(report: list[str], problems: list[str]) -> None:
    try:
        import keyring
    except ImportError as exc:
        problems.append(f"keyring does not import: {exc}")
        return
    native = _NATIVE_KEYRING.get(_platform_key())
    if native:
        entry_point, class_path, dependency = native
        registered = {ep.name for ep in metadata.entry_points(group="keyring.backends")}
        if entry_point not in registered:
            problems.append(f"keyring's {entry_point} backend is not registered (metadata missing)")
        else:
            try:
                if dependency:
                    importlib.import_module(dependency)
                module_name, _, class_name = class_path.rpartition(".")
                cls = getattr(importlib.import_module(module_name), class_name)
            except Exception as exc:
                problems.append(f"keyring's {entry_point} backend does not load: {exc!r}")
            else:
                try:
                    cls.priority  # noqa: B018 - asks the service whether it is there, reads nothing
                    usable = "usable"
                except Exception as exc:
                    usable = f"not usable here ({exc})"
                report.append(f"keyring native backend: {class_path}, {usable}")
    try:
        backend = keyring.get_keyring()
    except Exception as exc:
        problems.append(f"the keyring backend does not load: {exc!r}")
        return
    kind = type(backend)
    report.append(f"keyring backend: {kind.__module__}.{kind.__qualname__}")
