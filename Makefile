# Everything runs from a local venv that `make` creates on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: all install test test-unit test-integration test-ui test-desktop run demo bench soak package clean

all: test

$(STAMP): pyproject.toml server/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -U pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,package]' -e ./server
	@touch $(STAMP)

install: $(STAMP)

# The whole suite: unit, integration (real Synapse, real Secret Service, PostgreSQL),
# ui (pytest-qt offscreen) and desktop (Xvfb + trayer).
test: $(STAMP)
	tests/run-suite $(PYTEST_ARGS)

test-unit: $(STAMP)
	tests/run-suite tests/unit $(PYTEST_ARGS)

test-integration: $(STAMP)
	tests/run-suite tests/integration $(PYTEST_ARGS)

test-ui: $(STAMP)
	tests/run-suite tests/ui $(PYTEST_ARGS)

test-desktop: $(STAMP)
	tests/run-suite tests/desktop $(PYTEST_ARGS)

run: $(STAMP)
	$(VENV)/bin/presence-tray

demo: $(STAMP)
	$(PY) -m tests.harness.demo

bench: $(STAMP)
	$(PY) bench/bench.py

# A compressed week of the applet (tray and window mode) against a real Synapse: ~25-40 min.
# SOAK_ARGS=--minutes 3 --accounts 3 --changes 300 for a short one.
SOAK_ARGS ?=
soak: $(STAMP)
	$(PY) bench/soak.py $(SOAK_ARGS)

package: $(STAMP)
	packaging/build-linux

clean:
	rm -rf build dist test-output .pytest_cache
