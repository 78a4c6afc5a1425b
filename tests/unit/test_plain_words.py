"""Plain words where a person reads: no proposal numbers (MSC4043, MSC4532, …) in any text
marked for translation, but in the "Server details…" view, which is there to name them (and
ApiMode.label, the command line's `status`). What the views show rendered: tests/ui/test_pseudo_locale.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.support.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
PROPOSAL = re.compile(r"(?i)\bmsc\s*\d")
# Where a translated text may name a proposal, and why.
NAMING_ALLOWED = {
    "tray_app/ui/server_details.py": "the Server details view",
    "tray_app/session_state.py": "ApiMode.label: the command line's `status` and `login`",
}


def marked_texts(path: Path) -> list[tuple[int, str]]:
    """The string literals passed to translate() / self.tr() in a module."""
    out = []
    for node in ast.walk(parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        if name not in ("translate", "tr"):
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append((node.lineno, arg.value))
    return out


def test_the_scan_sees_the_marked_texts():
    texts = [t for _, t in marked_texts(ROOT / "tray_app" / "ui" / "server_details.py")]
    assert any(PROPOSAL.search(t) is None and "Homeserver" in t for t in texts)
    assert any("{msc}" in t for t in texts)


def test_no_proposal_numbers_in_marked_texts():
    found = []
    for path in sorted((ROOT / "tray_app").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in NAMING_ALLOWED:
            continue
        found += [f"{rel}:{line}: {text}" for line, text in marked_texts(path) if PROPOSAL.search(text)]
    assert found == []


def test_no_proposal_numbers_in_the_translations_but_the_allowed_ones():
    """The .ts files hold the same texts (and what translators wrote)."""
    allowed_contexts = {"Details", "Mode"}
    for ts in sorted((ROOT / "translations").glob("*.ts")):
        context = None
        found = []
        for line in ts.read_text(encoding="utf-8").splitlines():
            if m := re.search(r"<name>(.*)</name>", line):
                context = m.group(1)
            elif "<translation" in line or "<source>" in line:
                if "vanished" not in line and context not in allowed_contexts and PROPOSAL.search(line):
                    found.append((context, line.strip()))
        assert found == [], ts.name
