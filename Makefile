# Everything runs from a local venv that `make` creates on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: all install test test-unit test-integration test-ui test-desktop run demo bench package clean translations

all: test

INSTALL_LOG := $(VENV)/install.log

# A few lines of progress, not pip's output (which goes to $(INSTALL_LOG), shown if it fails).
$(STAMP): pyproject.toml server/pyproject.toml
	@echo "Setting up $(VENV) (first run only, about a minute; pip's output: $(INSTALL_LOG))"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@: > $(INSTALL_LOG)
	@echo "  1/2 updating pip …"
	@$(PY) -m pip install -q --disable-pip-version-check -U pip >> $(INSTALL_LOG) 2>&1 \
	  || { tail -n 30 $(INSTALL_LOG); exit 1; }
	@echo "  2/2 installing Presence Tray, Synapse and the test tools …"
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test,package]' -e ./server >> $(INSTALL_LOG) 2>&1 \
	  || { tail -n 30 $(INSTALL_LOG); exit 1; }
	@touch $(STAMP)
	@echo "  done."

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

# Qt's own tools (they ship in PySide6-Essentials): update the .ts files from the sources, then
# build the .qm files that ship in tray_app.resources (the wheel and the bundles take them there).
TS_FILES := $(wildcard translations/presence_tray_*.ts)
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -locations relative -extensions py tray_app -ts $(TS_FILES)
	for ts in $(TS_FILES); do \
	  $(VENV)/bin/pyside6-lrelease -silent $$ts -qm resources/$$(basename $${ts%.ts}).qm || exit 1; \
	done

package: $(STAMP)
	packaging/build-linux

clean:
	rm -rf build dist test-output .pytest_cache
