"""Translatable text for code that imports no Qt (the menu model, states, durations).

Strings are marked with `translate(context, source, disambiguation, n)`, the call Qt's
`pyside6-lupdate` extracts into translations/*.ts. Without Qt (the command line) the English
source is returned, with "%n" and "(s)" resolved, so English plurals read right; the applet
installs `QCoreApplication.translate` at start (tray_app/ui/translations.py), which picks the
system language's .qm and its plural rules.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str, "str | None", int], str]


def _english(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    if n < 0:
        return source
    return source.replace("%n", str(n)).replace("(s)", "" if n == 1 else "s")


_impl: Translator = _english


def install(translator: Translator | None) -> None:
    """Route every `translate()` through `translator` (None: back to the English source)."""
    global _impl
    _impl = translator or _english


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return _impl(context, source, disambiguation, n)
