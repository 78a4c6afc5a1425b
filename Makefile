# Everything runs from a local venv that `make` creates on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: all install test test-unit test-integration test-ui test-desktop run demo bench bench-module synapse-tests package wheel-check clean \
	server-matrix server-window-ends server-synapse-tests clean-matrix translations soak lint format gallery

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

# Lint, format check, types and dead code (a few seconds). mypy and vulture look at the product
# code only (vulture: code that only tests use counts as dead; tests/vulture_allow.py lists what
# Qt, D-Bus, Synapse or the tests call by name).
LINT_PATHS := tray_app server tests bench setup.py
lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy
	$(VENV)/bin/vulture tray_app server/synapse_presence_override tests/vulture_allow.py --min-confidence 60

# What `make lint` can fix by itself: ruff's safe fixes, then its formatter.
format: $(STAMP)
	$(VENV)/bin/ruff check --fix-only --quiet $(LINT_PATHS) && $(VENV)/bin/ruff format --quiet $(LINT_PATHS)

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

# The server module against every Synapse release of its tested window
# (server/synapse_presence_override/version_window.py): a cached venv per release in
# .venv-synapse/<release>/, the project's server tests on it, then Synapse's own presence tests
# with the module loaded. MATRIX_ARGS e.g. --project-only.
MATRIX_ARGS ?=
server-matrix: $(STAMP)
	server/run-version-matrix $(MATRIX_ARGS) all

# Only the oldest and the newest release of the window (.ci/run runs these, less what make test
# has already covered).
server-window-ends: $(STAMP)
	server/run-version-matrix $(MATRIX_ARGS) ends

# Synapse's own presence-related tests (from its sdist) with the module loaded, on the window's
# newest release (its matrix venv carries Synapse's test dependencies).
server-synapse-tests: $(STAMP)
	server/run-version-matrix --synapse-only newest

run: $(STAMP)
	$(VENV)/bin/presence-tray

demo: $(STAMP)
	$(PY) -m tests.harness.demo

bench: $(STAMP)
	$(PY) bench/bench.py

# What a held override costs Synapse per simulated hour at 1 and 10,000 overrides (issue 14).
bench-module: $(STAMP)
	$(PY) bench/module_cost.py --python $(PY)

# Synapse's own presence-related tests, from the sdist of the installed Synapse, with the module
# loaded (SYNAPSE_TESTS_ARGS=--without-module for the same tests on stock Synapse).
SYNAPSE_TESTS_ARGS ?=
synapse-tests: $(STAMP)
	server/run-synapse-tests --python $(PY) $(SYNAPSE_TESTS_ARGS)

# Qt's own tools (they ship in PySide6-Essentials): update the .ts files from the sources, then
# build the .qm files that ship in tray_app.resources (the wheel and the bundles take them there).
TS_FILES := $(wildcard translations/presence_tray_*.ts)
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -locations relative -no-obsolete -extensions py tray_app -ts $(TS_FILES)
	for ts in $(TS_FILES); do \
	  $(VENV)/bin/pyside6-lrelease -silent $$ts -qm resources/$$(basename $${ts%.ts}).qm || exit 1; \
	done

# Screenshots of every menu, window and dialog state in English, German and French (not a test; a
# private 1280x800 Xvfb + trayer, ~1 min): test-output/gallery/<lang>-<state>.png. GALLERY_LANGS=de.
GALLERY_LANGS ?= en de fr
gallery: $(STAMP)
	$(PY) -m tests.desktop.screenshot_gallery $(GALLERY_LANGS)

# A compressed week of the applet (tray and window mode) against a real Synapse: ~25-40 min.
# SOAK_ARGS=--minutes 3 --accounts 3 --changes 300 for a short one.
SOAK_ARGS ?=
soak: $(STAMP)
	$(PY) bench/soak.py $(SOAK_ARGS)

package: $(STAMP)
	packaging/build-linux
	server/build-dist

# The wheel as pip/pipx installs it: built from the sdist, installed non-editable into a fresh venv
# (dependencies from PyPI), then `--selftest` and `status --help` from outside the checkout (~30 s).
wheel-check: $(STAMP)
	packaging/check-wheel

clean:
	rm -rf build dist test-output .pytest_cache

# The matrix's venvs and Synapse sdists (rebuilt on demand).
clean-matrix:
	rm -rf .venv-synapse
