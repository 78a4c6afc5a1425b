"""No test module imports another test module: what tests share lives in a conftest.py or in
tests/harness/ (or tests/support/), so running one file never runs or depends on another's tests
and a fixture imported by name cannot shadow the conftest's."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.syntax import parse

TESTS = Path(__file__).resolve().parents[1]


def _is_test_module(dotted: str) -> bool:
    return dotted.split(".")[-1].startswith("test_")


def _imported_modules(source: str, package: str) -> list[str]:
    """Dotted names of the modules `source` (a module of `package`) imports, relative imports
    resolved."""
    found = []
    for node in ast.walk(parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            found.append(base)
            # `from tests.desktop import test_x` imports a module too
            found += [f"{base}.{alias.name}" for alias in node.names if alias.name.startswith("test_")]
    return found


def test_no_test_module_imports_another():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        package = ".".join(path.relative_to(TESTS.parent).parts[:-1])
        for name in _imported_modules(path.read_text(), package):
            if name.startswith("tests.") and _is_test_module(name):
                offenders.append(f"{path.relative_to(TESTS.parent)} imports {name}")
    assert offenders == [], "\n".join(offenders)


def test_no_module_imports_the_conftest_of_another_folder():
    """A conftest's helpers are its folder's; what two folders share goes to tests/harness/."""
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        package = ".".join(path.relative_to(TESTS.parent).parts[:-1])
        for name in _imported_modules(path.read_text(), package):
            if name.startswith("tests.") and name.endswith(".conftest") and name.rsplit(".", 1)[0] != package:
                offenders.append(f"{path.relative_to(TESTS.parent)} imports {name}")
    assert offenders == [], "\n".join(offenders)


def test_the_check_sees_absolute_relative_and_from_package_imports():
    source = (
        "import tests.ui.test_icons\nfrom .test_tray_desktop import x\nfrom tests.integration import test_session\n"
    )
    names = _imported_modules(source, "tests.desktop")
    assert [n for n in names if _is_test_module(n)] == [
        "tests.ui.test_icons",
        "tests.desktop.test_tray_desktop",
        "tests.integration.test_session",
    ]
