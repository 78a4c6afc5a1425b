"""The shipped translations as `make translations` leaves them: nothing unfinished, nothing
obsolete, and French typography (a no-break space before ":" and inside « », a narrow one
before ";", "!" and "?"), so a line never breaks before its colon."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = sorted((ROOT / "translations").glob("presence_tray_*.ts"))


def translations(ts: Path) -> list[tuple[str, str, str | None]]:
    """(source, translated text, type) of every message and plural form."""
    out = []
    for m in ET.parse(ts).iter("message"):
        source = m.findtext("source") or ""
        tr = m.find("translation")
        assert tr is not None
        forms = [f.text or "" for f in tr.iter("numerusform")] or [tr.text or ""]
        out += [(source, text, tr.get("type")) for text in forms]
    return out


def test_nothing_unfinished_or_obsolete():
    assert [ts.name for ts in TS] == ["presence_tray_de.ts", "presence_tray_fr.ts"]
    for ts in TS:
        left = [(s, kind) for s, _, kind in translations(ts) if kind is not None]
        assert left == [], ts.name


def test_french_typography():
    (fr,) = [ts for ts in TS if ts.name.endswith("_fr.ts")]
    bad = []
    for source, text, _ in translations(fr):
        if re.search(r"[^\u00a0\s]:(\s|$)", text) and not re.search(r"\w:\w", text.split(":")[0][-1:] + ":"):
            bad.append(("no space before ':'", text))
        if re.search(r" [:;!?»]|« ", text):
            bad.append(("a breaking space", text))
        if re.search(r"[^\u202f\s][;!?](\s|$)", text):
            bad.append(("no narrow space before ;!?", text))
    assert bad == []
