"""Translatable text for code that imports no Qt (the menu model, states, durations).

Strings are marked with `translate(context, source, disambiguation, n)`, the call Qt's
`pyside6-lupdate` extracts into translations/*.ts. Without Qt (the command line) the English
source is returned, with "%n" and "(s)" resolved, so English plurals read right; the applet
installs `QCoreApplication.translate` at start (tray_app/ui/translations.py), which picks the
system language's .qm and its plural rules.

A pseudo-locale shows what went through here: with PRESENCE_TRAY_PSEUDO_LOCALE=1 (or
`install_pseudo()`, the tests' hook) every translated text reads "⟦…⟧", so a text on screen
without the brackets was never translated.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

PSEUDO_ENV = "PRESENCE_TRAY_PSEUDO_LOCALE"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

Translator = Callable[[str, str, "str | None", int], str]


def _english(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    if n < 0:
        return source
    return source.replace("%n", str(n)).replace("(s)", "" if n == 1 else "s")


_FIELD = re.compile(r"(\{[^{}]*\})")


def pseudo(text: str) -> str:
    """A translated text as the pseudo-locale shows it: its words in brackets, its "{fields}"
    left outside, so what is put in them shows whether it was translated too
    ("{user}: {detail}" reads "{user}⟦: ⟧{detail}")."""
    return "".join(
        part if _FIELD.fullmatch(part) else f"{PSEUDO_OPEN}{part}{PSEUDO_CLOSE}" for part in _FIELD.split(text) if part
    )


def _pseudo(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return pseudo(_english(context, source, disambiguation, n))


def pseudo_wanted() -> bool:
    return os.environ.get(PSEUDO_ENV, "") not in ("", "0")


_impl: Translator = _english


def install(translator: Translator | None) -> None:
    """Route every `translate()` through `translator` (None: back to the English source)."""
    global _impl
    _impl = translator or _english


def install_pseudo() -> None:
    """Every `translate()` reads "⟦…⟧" (the pseudo-locale)."""
    install(_pseudo)


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return _impl(context, source, disambiguation, n)
