"""The applet speaks the system's language: Qt translators for our texts and Qt's own.

Our .qm files (built from translations/*.ts by `make translations`, Qt's pyside6-lrelease)
ship inside tray_app.resources; `QTranslator.load(QLocale, ...)` picks the best one for the
locale's UI languages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG on Linux), with Qt's plural rules.
The Qt-free core's `translate()` is routed through `QCoreApplication.translate`; a text with no
translation falls back to the English source (with English plurals).

PRESENCE_TRAY_PSEUDO_LOCALE=1 (or `pseudo=True`) installs the pseudo-locale instead: every text
that went through a translator, ours or Qt's, reads "⟦…⟧" (tray_app.translation).
"""

from __future__ import annotations

import importlib.resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tray_app import translation

CATALOGUE = "presence_tray"
LANGUAGES = ("de", "fr")  # complete translations shipped (translations/presence_tray_<lang>.ts)


def _qt_translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    out = QCoreApplication.translate(context, source, disambiguation, n)
    if out == source or (n >= 0 and out == source.replace("%n", str(n))):
        return translation._english(context, source, disambiguation, n)  # no translation: English
    return out


class PseudoTranslator(QTranslator):
    """Every text asked of Qt's translators (a widget's `tr()`, Qt's own buttons) as "⟦…⟧"."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return translation.pseudo(source)


def install_translations(
    app: QCoreApplication, locale: QLocale | None = None, *, pseudo: bool | None = None
) -> list[QTranslator]:
    """Install the translators for `locale` (default: the system's); returns them (to remove).
    `pseudo` (default: PRESENCE_TRAY_PSEUDO_LOCALE): the pseudo-locale instead."""
    if pseudo if pseudo is not None else translation.pseudo_wanted():
        fake = PseudoTranslator(app)
        app.installTranslator(fake)
        translation.install_pseudo()
        return [fake]
    locale = locale or QLocale.system()
    installed = []
    ours = QTranslator(app)
    folder = str(importlib.resources.files("tray_app.resources"))
    if ours.load(locale, CATALOGUE, "_", folder):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)  # Qt's own texts: standard buttons (Cancel), context menus of fields
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    translation.install(_qt_translate)
    return installed
