"""`presence-tray --selftest` in this process: it passes here, and it names what is broken."""

from __future__ import annotations

import io
from pathlib import Path

import keyring.core
import pytest

from tray_app.ui import selftest

pytestmark = pytest.mark.ui

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"></svg>'


def _run() -> tuple[int, str]:
    out = io.StringIO()
    code = selftest.run_selftest(out)
    return code, out.getvalue()


def _icons_from(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(selftest.resources, "files", lambda package: folder)


def test_selftest_passes_with_the_shipped_icons(qapp) -> None:
    code, report = _run()
    assert code == 0, report
    svgs = sorted(p.name for p in RESOURCES.glob("*.svg"))
    assert svgs, "no icons in resources/"
    for name in svgs:
        assert f"icon {name}: ok" in report
    assert f"icons rendered: {len(svgs)}" in report
    assert "platform: offscreen" in report
    assert "keyring backend: tests.support.memory_keyring.MemoryKeyring" in report  # run-suite's pin
    assert report.rstrip().endswith("selftest: OK")


def test_selftest_fails_on_icons_that_draw_nothing(qapp, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "presence-tray.svg").write_text(BLANK_SVG)
    (tmp_path / "broken.svg").write_text("this is not SVG")
    _icons_from(monkeypatch, tmp_path)
    code, report = _run()
    assert code == 1
    assert "icon presence-tray.svg: FAILED" in report
    assert "presence-tray.svg: QSvgRenderer drew nothing" in report
    assert "broken.svg: QSvgRenderer cannot parse it" in report
    assert "selftest: FAILED" in report


def test_selftest_fails_without_the_application_icon(qapp, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "online.svg").write_bytes((RESOURCES / "online.svg").read_bytes())
    _icons_from(monkeypatch, tmp_path)
    code, report = _run()
    assert code == 1
    assert "icon online.svg: ok" in report
    assert "the application icon presence-tray.svg is not in tray_app.resources" in report


def test_selftest_fails_without_the_plugins(qapp, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    saved = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([str(tmp_path)])  # a bundle that lost its plugins
    try:
        code, report = _run()
    finally:
        QCoreApplication.setLibraryPaths(saved)
    assert code == 1
    assert "the Qt plugin platforms/xcb is missing" in report
    assert "the Qt plugin iconengines/svgicon is missing" in report
    assert "the Qt plugin imageformats/svg is missing" in report


def test_selftest_fails_when_the_keyring_backend_does_not_load(qapp, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.Backend")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    code, report = _run()
    assert code == 1
    assert "the keyring backend does not load" in report
