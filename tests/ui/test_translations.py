"""Translations (Qt's tooling): the system's language is followed, German and French are
complete, plural forms are right, and the shipped .qm files are built from the .ts in the repo."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LANGS = ("de", "fr")

# What the applet shows, printed by a fresh process started with the given environment (the
# system locale is read at start, as in a real session).
PROBE = r"""
import json, sys
from datetime import datetime, timezone
from PySide6.QtWidgets import QApplication, QMenu
app = QApplication(sys.argv[:1])
from tray_app.ui.translations import install_translations
install_translations(app)
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.translation import translate
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView, plain_text
from tray_app.ui.presenter import AppSnapshot, build_menu, tooltip
from tray_app.ui.signin import SignInDialog
s = SessionState("@ada:example.org", "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED, status_msg_supported=True,
                 override=Override(PresenceState.UNAVAILABLE, "unavailable"), presence="unavailable")
from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
from tray_app.ui.idle_menu import IdleMenuState, account_line, automatic_lines
idle = IdleMenuState(True, AutoPresence(PresenceState.UNAVAILABLE, AutoReason.IDLE, 7 * 60 + 5), IdlePolicy())
model = build_menu(AppSnapshot((s,), autostart=False, idle=idle), datetime.now(timezone.utc))
s2 = SessionState("@bo:example.org", "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED,
                  automatic=PresenceState.ONLINE)
multi = build_menu(AppSnapshot((s, s2), autostart=False, idle=idle), datetime.now(timezone.utc))
menu = QMenu()
view = MenuView(menu, IconFactory(), lambda a: None)
view.render(model)
from datetime import timedelta
timed = build_menu(AppSnapshot((s.evolve(override_until=datetime.now(timezone.utc) + timedelta(days=1),
                                         override_after=PresenceState.ONLINE),), autostart=False), datetime.now(timezone.utc))
dialog = SignInDialog(object(), None, discover=lambda u: None, flows=lambda h: None)
from tray_app.ui.status_dialog import StatusMessageDialog
from tray_app.messages import ClearAfter, presets
from tray_app.ui.message_words import dialog_note
status = StatusMessageDialog("@ada:example.org", "hi", dialog_note(s.evolve(message_alone=True)), presets(), (), lambda t, a: None)
print(json.dumps({
    "menu": view.action_texts(),
    "durations": [plain_text(a.text()) for a in view.submenus["acct:@ada:example.org:state:online"].actions()],
    "timed": [timed.find(k).text for k in ("acct:@ada:example.org:state:unavailable", "acct:@ada:example.org:then",
                                            "acct:@ada:example.org:endnow", "acct:@ada:example.org:extend")]
             + [c.text for c in timed.find("acct:@ada:example.org:extend").children[:3]],
    "tooltip": tooltip([s], datetime.now(timezone.utc), None, *automatic_lines(idle, [s])),
    "per_account": [i.tooltip or i.text for i in multi.walk() if i.key.endswith(":auto")],
    "accounts_idle": [i.text for i in multi.walk() if i.key.startswith("idle:account:")],
    "left_out": account_line(IdleMenuState(True, idle.current, IdlePolicy(off_for=frozenset({"@bo:example.org"}))), s2),
    "idle": [plain_text(a.text()) for a in view.submenus["idle"].actions() if not a.isSeparator()],
    "idle_menu": plain_text(view.submenus["idle"].title()),
    "idle_lines": [AutoPresence(PresenceState.UNAVAILABLE, AutoReason.IDLE, n * 60).text for n in (1, 2, 5)]
                  + [AutoPresence(PresenceState.OFFLINE, AutoReason.LOCKED).text, AutoPresence(None, AutoReason.UNAVAILABLE).text],
    "dialog": [dialog.windowTitle(), dialog.user_id_label.text(), dialog.password_label.text(), dialog.sign_in_button.text()],
    "status": [status.windowTitle(), status.intro.text(), status.set_button.text(), status.clear_button.text()],
    "status_more": [status.note.text(), *presets(), *(c.label for c in ClearAfter)],
    "minutes": [translate("Duration", "%n minute(s)", None, n) for n in (1, 2, 5, 21)],
    "hours": [translate("Duration", "%n hour(s)", None, n) for n in (0, 1, 4)],
    "field": [i.label for i in multi.walk() if i.key in ("idle", "all")],
    "counts": build_menu(AppSnapshot((s, s2.evolve(presence="unavailable")), autostart=False),
                         datetime.now(timezone.utc)).headline.state,
}))
"""


def _probe(**env_vars) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(k, None)
    env.update(env_vars)
    p = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_a_german_session_shows_german_menu_and_dialog():
    out = _probe(LANG="de_DE.UTF-8")
    menu = out["menu"]
    assert menu[0] == "@ada:example.org"
    assert "Andere sehen dich als: Abwesend" in menu
    assert {
        "Online",
        "Abwesend",
        "Offline",
        "Deaktiviert – gar keine Anwesenheit teilen",
        "Keine Vorgabe (automatisch)",
    } <= set(menu)
    assert {"Statusnachricht …", "Abmelden", "Aktualisieren", "Beenden", "Konto hinzufügen …"} <= set(menu)
    assert out["durations"] == ["Bis ich es ändere", "30 Minuten", "1 Stunde", "4 Stunden", "Bis morgen früh"]
    # A timed state: its end, what follows, End now and Extend.
    assert out["timed"][0].startswith("Abwesend – bis morgen "), out["timed"]
    assert out["timed"][1:] == [
        "Danach: wieder Online",
        "Jetzt beenden",
        "Verlängern",
        "30 Minuten länger",
        "1 Stunde länger",
        "4 Stunden länger",
    ]
    assert "Vorgabe: Abwesend" in out["tooltip"] and "Andere sehen: Abwesend" in out["tooltip"]
    assert out["dialog"] == ["Anmelden – Presence Tray", "&Benutzer-ID:", "&Passwort:", "&Anmelden"]
    assert out["status"] == [
        "Statusnachricht – Presence Tray",
        "Eine kurze &Nachricht, die andere mit deiner Anwesenheit sehen (@ada:example.org):",
        "Nachricht &setzen",
        "Nachricht &löschen",
    ]
    assert out["status_more"] == [
        "Deine Nachricht bleibt, wenn du den Status änderst, bis du sie löschst oder ihre Zeit abläuft.",
        "In einer Besprechung",
        "Unterwegs",
        "Krank",
        "Im Urlaub",
        "Konzentriert",
        "Nicht löschen",
        "30 Minuten",
        "1 Stunde",
        "Heute",
        "Diese Woche",
    ]
    # German plurals: one form for 1, another for everything else.
    assert out["minutes"] == ["1 Minute", "2 Minuten", "5 Minuten", "21 Minuten"]
    assert out["hours"] == ["0 Stunden", "1 Stunde", "4 Stunden"]
    # Automatic presence (idle/lock): the line (with the override's suffix, as an override is set),
    # the submenu and the tooltip line, plurals included.
    assert "Automatisch: Abwesend (seit 7 Minuten inaktiv) – die Vorgabe hat Vorrang" in menu
    assert out["idle_menu"] == "Automatische Anwesenheit" and "Automatische Anwesenheit" in menu
    assert out["idle"] == [
        "Wenn ich inaktiv bin oder der Bildschirm gesperrt ist",
        "Nach 1 Minute Inaktivität abwesend",
        "Nach 2 Minuten Inaktivität abwesend",
        "Nach 5 Minuten Inaktivität abwesend",
        "Nach 10 Minuten Inaktivität abwesend",
        "Nach 15 Minuten Inaktivität abwesend",
        "Nach 30 Minuten Inaktivität abwesend",
        "Bei gesperrtem Bildschirm: Offline",
        "Bei gesperrtem Bildschirm: Abwesend",
        "Bei gesperrtem Bildschirm: Keine Änderung",
    ]
    assert out["tooltip"].endswith("\n\nAutomatisch: Abwesend (seit 7 Minuten inaktiv) – die Vorgabe hat Vorrang")
    # Several accounts: each its own line (the second account's session still holds the change back).
    assert out["per_account"] == [
        "Automatisch: Abwesend (seit 7 Minuten inaktiv) – die Vorgabe hat Vorrang",
        "Automatisch: Abwesend (seit 7 Minuten inaktiv), geht innerhalb von 30 s raus",
    ]
    assert out["accounts_idle"] == ["Für @ada:example.org verwenden", "Für @bo:example.org verwenden"]
    assert out["left_out"] == "Automatisch: für dieses Konto aus, geht innerhalb von 30 s raus"
    assert out["idle_lines"] == [
        "Automatisch: Abwesend (seit 1 Minute inaktiv)",
        "Automatisch: Abwesend (seit 2 Minuten inaktiv)",
        "Automatisch: Abwesend (seit 5 Minuten inaktiv)",
        "Automatisch: Offline (Bildschirm gesperrt)",
        "Inaktivitätserkennung ist auf diesem Desktop nicht verfügbar",
    ]


def test_french_follows_its_own_plural_rule():
    out = _probe(LANG="fr_FR.UTF-8")
    assert "Les autres vous voient\u00a0: Absent" in out["menu"]
    assert out["dialog"][0] == "Connexion — Presence Tray"
    assert out["timed"][0].startswith("Absent — jusqu’à demain "), out["timed"]
    assert out["timed"][1:] == [
        "Ensuite\u00a0: retour à En ligne",
        "Terminer maintenant",
        "Prolonger",
        "30 minutes de plus",
        "1 heure de plus",
        "4 heures de plus",
    ]
    # A field's label: the no-break space before the colon.
    assert sorted(out["field"]) == ["Présence automatique\u00a0:", "Régler tous les comptes\u00a0:"], out["field"]
    assert out["status"][1] == "Un court &message que les autres voient avec votre présence (@ada:example.org)\u00a0:"
    assert out["status_more"][1:] == [
        "En réunion",
        "En déplacement",
        "Malade",
        "En vacances",
        "Concentré",
        "Ne pas effacer",
        "30 minutes",
        "1 heure",
        "Aujourd’hui",
        "Cette semaine",
    ]
    # French: 0 and 1 are singular.
    assert out["hours"] == ["0 heure", "1 heure", "4 heures"]
    assert out["minutes"] == ["1 minute", "2 minutes", "5 minutes", "21 minutes"]
    assert out["idle"][1:3] == [
        "M’indiquer absent après 1 minute d’inactivité",
        "M’indiquer absent après 2 minutes d’inactivité",
    ]
    assert "Automatique\u00a0: Absent (inactif depuis 7 minutes) — le forçage l’emporte" in out["menu"]
    assert out["per_account"][1] == "Automatique\u00a0: Absent (inactif depuis 7 minutes), envoyé d’ici 30 s"
    assert out["accounts_idle"][0] == "Appliquer à @ada:example.org"
    # Several accounts in counts, "automatic" merged into its state, in agreement with the number.
    assert out["counts"] == "2 comptes\u00a0: 2 Absents", out["counts"]


def test_english_and_untranslated_languages_read_right():
    for env in ({"LANG": "en_US.UTF-8"}, {"LANG": "pt_BR.UTF-8"}, {}):
        out = _probe(**env)
        assert "Others see you as: Away" in out["menu"], env
        assert out["durations"][1:4] == ["30 minutes", "1 hour", "4 hours"], env
        assert out["minutes"] == ["1 minute", "2 minutes", "5 minutes", "21 minutes"], env
        assert out["dialog"][0] == "Sign in — Presence Tray", env
        assert "Automatic: Away (idle 7 min) — the override wins" in out["menu"], env
        assert out["idle"][1:3] == ["Set me away after 1 min idle", "Set me away after 2 min idle"], env
        assert out["idle_lines"][0] == "Automatic: Away (idle 1 min)", env
        assert out["per_account"][1] == "Automatic: Away (idle 7 min), goes out within 30 s", env


def test_language_variable_picks_the_language():
    # LANGUAGE (the GNU list of UI languages) wins over LANG, as desktop sessions set it.
    out = _probe(LANG="en_US.UTF-8", LANGUAGE="fr:en")
    assert out["dialog"][0] == "Connexion — Presence Tray"


def test_translations_are_complete_and_the_shipped_qm_are_built_from_them(tmp_path):
    lupdate, lrelease = VENV_BIN / "pyside6-lupdate", VENV_BIN / "pyside6-lrelease"
    assert lupdate.exists() and lrelease.exists()  # Qt's tools ship in PySide6-Essentials
    for lang in LANGS:
        ts = ROOT / "translations" / f"presence_tray_{lang}.ts"
        # Every marked text in the code is in the .ts (lupdate on a copy adds nothing new) ...
        copy = tmp_path / ts.name
        shutil.copyfile(ts, copy)
        p = subprocess.run(
            [str(lupdate), "-locations", "none", "-extensions", "py", str(ROOT / "tray_app"), "-ts", str(copy)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert p.returncode == 0, p.stderr
        assert "(0 new and" in p.stdout, p.stdout
        # ... and translated, every plural form included.
        tree = ET.parse(copy)
        unfinished = [
            m.find("source").text for m in tree.iter("message") if m.find("translation").get("type") in ("unfinished",)
        ]
        assert unfinished == [], (lang, unfinished)
        # The .qm in resources/ (what the wheel and the bundles ship) is the one lrelease builds now.
        built = tmp_path / f"presence_tray_{lang}.qm"
        p = subprocess.run(
            [str(lrelease), "-silent", str(ts), "-qm", str(built)], capture_output=True, text=True, timeout=60
        )
        assert p.returncode == 0, p.stderr
        assert built.read_bytes() == (ROOT / "resources" / built.name).read_bytes(), f"run `make translations` ({lang})"


def test_french_punctuation_has_its_no_break_spaces():
    """French typography: a no-break space before « : » (narrow before ; ! ?) and inside « »,
    so a line never breaks before the mark (issue 19: the window's headline wrapped "3 »" to a
    line of its own). URLs such as https:// are not punctuation."""
    tree = ET.parse(ROOT / "translations" / "presence_tray_fr.ts")
    bad = []
    for m in tree.iter("message"):
        for node in m.iter("translation"):
            texts = [node.text or ""] + [form.text or "" for form in node.iter("numerusform")]
            for text in texts:
                if re.search(r"(?<!:)(?:[ \t]|(?<=[^\s\u00a0\u202f/]))[:;!?»](?=\s|$|\)|<|\.)|«(?!\u00a0)", text):
                    bad.append(text)
    assert bad == [], bad


def test_german_ellipsis_follows_a_space_after_a_word():
    """German sets " …" after a whole word ("Konto hinzufügen …"), as every other German line
    here does; "Ändern…" and "wird geprüft…" stood out in the gallery."""
    tree = ET.parse(ROOT / "translations" / "presence_tray_de.ts")
    bad = [
        n.text
        for n in tree.iter("translation")
        if n.text and re.search(r"[^\W\d_]…", n.text) and "https://…" not in n.text
    ]
    assert bad == [], bad
