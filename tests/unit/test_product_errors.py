"""tests/conftest.py fails a test during which the product logged an ERROR it did not declare,
and shows the record (with its traceback). Checked on a small suite of its own, run apart."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

SUITE = """
import logging

import pytest

log = logging.getLogger("tray_app.somewhere")


def test_an_unexpected_error_fails():
    log.error("the answer was %s", "garbage")


def test_a_logged_exception_fails_with_its_traceback():
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("refresh crashed")


def test_the_server_module_counts_too():
    logging.getLogger("synapse_presence_override.module").error("server side")


@pytest.mark.expected_errors("garbage")
def test_a_declared_error_passes():
    log.error("the answer was %s", "garbage")


def test_an_error_declared_by_the_fixture_passes(expect_errors):
    expect_errors("bang")
    log.error("bang")


def test_a_declared_part_does_not_cover_another_error():
    pass


@pytest.mark.expected_errors("something else")
def test_a_declaration_covers_only_its_own_part():
    log.error("not that")


@pytest.fixture
def fails_as_it_ends():
    yield
    log.error("while tearing down")


def test_an_error_while_fixtures_tear_down_fails_the_teardown(fails_as_it_ends):
    pass


def test_warnings_and_other_loggers_pass():
    log.warning("only a warning")
    logging.getLogger("nio").error("not the product")
"""


def test_unexpected_product_errors_fail_the_test_and_show_the_record(tmp_path):
    conftest = CONFTEST.read_text().replace('pytest_plugins = ["tests.harness.fixtures"]', "")
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    expected_errors: declared\n")
    (tmp_path / "test_suite.py").write_text(SUITE)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-p", "no:xdist", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = run.stdout + run.stderr
    failing = {
        "test_an_unexpected_error_fails",
        "test_a_logged_exception_fails_with_its_traceback",
        "test_the_server_module_counts_too",
        "test_a_declaration_covers_only_its_own_part",
    }
    assert re.search(r"^ERROR \S*::test_an_error_while_fixtures_tear_down_fails_the_teardown", out, re.M), out
    outcomes = dict((name, outcome) for outcome, name in re.findall(r"^(PASSED|FAILED) \S*::(\w+)", out, re.M))
    assert outcomes == {name: "FAILED" if name in failing else "PASSED" for name in outcomes} and len(outcomes) == 9, (
        out
    )
    # The message shows each record: level, logger, message, and a logged exception's traceback.
    assert "ERROR tray_app.somewhere: the answer was garbage" in out, out
    assert "ERROR tray_app.somewhere: refresh crashed" in out and "ZeroDivisionError: division by zero" in out, out
    assert "ERROR synapse_presence_override.module: server side" in out, out
    assert "ERROR tray_app.somewhere: while tearing down" in out, out
