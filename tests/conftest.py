"""Every worker of a parallel run (tests/run-suite) gets XDG folders of its own, so settings,
single-instance locks and caches of tests running side by side never meet.

Every test fails when the product logged an ERROR (or worse) that the test did not declare:
an exception logged and swallowed is a bug no assertion would otherwise see. A test that
provokes one on purpose says so with `@pytest.mark.expected_errors("part of the message", ...)`
or, where only the test body knows, by calling the `expect_errors` fixture."""

import logging
import os
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.harness.fixtures"]

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        if os.environ.get(_name):
            _path = Path(os.environ[_name]) / _worker
            _path.mkdir(parents=True, exist_ok=True)
            os.environ[_name] = str(_path)

# The product's loggers: the applet and the Synapse module (when a test loads it in-process).
PRODUCT_LOGGERS = ("tray_app", "synapse_presence_override")


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _record_text(record: logging.LogRecord) -> str:
    text = f"{record.levelname} {record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
    return text


_EXPECTED = pytest.StashKey[list[str]]()
_RECORDS = pytest.StashKey[_ErrorRecords]()
_REPORTED = pytest.StashKey[int]()


@pytest.fixture
def expect_errors(request: pytest.FixtureRequest) -> Callable[..., None]:
    """Call with parts of the messages this test's product errors may carry (as the marker)."""

    def expect(*parts: str) -> None:
        request.node.stash.setdefault(_EXPECTED, []).extend(parts)

    return expect


def _unexpected(item: pytest.Item, records: list[logging.LogRecord]) -> str | None:
    expected = list(item.stash.get(_EXPECTED, []))
    for marker in item.iter_markers("expected_errors"):
        expected.extend(marker.args)
    unexpected = [text for text in map(_record_text, records) if not any(part in text for part in expected)]
    if not unexpected:
        return None
    return (
        f"the product logged {len(unexpected)} error(s) this test does not expect "
        "(declare them with @pytest.mark.expected_errors(...) or expect_errors(...)):\n\n" + "\n\n".join(unexpected)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Errors logged up to the end of the test's body fail the test itself (not its teardown)."""
    report = yield
    handler = item.stash.get(_RECORDS, None)
    if call.when == "call" and report.passed and handler is not None:
        message = _unexpected(item, handler.records)
        if message:
            report.outcome = "failed"
            report.longrepr = message
        item.stash[_REPORTED] = len(handler.records)
    return report


@pytest.fixture(autouse=True)
def _no_unexpected_product_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collects the product's ERROR records; those logged while fixtures tear down (after the
    report on the test's body) fail the teardown."""
    handler = _ErrorRecords()
    request.node.stash[_RECORDS] = handler
    loggers = [logging.getLogger(name) for name in PRODUCT_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    message = _unexpected(request.node, handler.records[request.node.stash.get(_REPORTED, 0) :])
    if message:
        pytest.fail(message, pytrace=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """For a parallel run (tests/run-suite, `--dist loadgroup`): tests go to whichever worker is
    free, except that a file's tests sharing a wider-than-function fixture of that file (a
    wheel or a bundle built once, a Synapse with workers) stay on one worker. The slow tests go first, so
    the run does not end waiting on one of them."""
    for item in items:
        infos = getattr(item, "_fixtureinfo", None)
        if infos is None:
            continue
        path = item.nodeid.split("::", 1)[0]
        defs = [d for ds in infos.name2fixturedefs.values() for d in ds]
        # Shared fixtures of the file itself (a wheel or a bundle built once); a conftest's
        # session-wide servers are one per worker anyway.
        if any(d.scope != "function" and d.baseid == path for d in defs):
            item.add_marker(pytest.mark.xdist_group(path))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
