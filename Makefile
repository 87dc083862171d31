# Two entry points: `make run` and `make test`. Both build the environment
# (.venv) first when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CASE   ?= data/national-municipal-solution

.PHONY: run test env clean-env bench lint notebook-filter

env: $(STAMP) notebook-filter

# the tracked notebooks stay stripped (procurement/app/savehook.py): JupyterLab started from .venv writes them
# stripped (its pre-save hook), and git stores them stripped whatever wrote them (.gitattributes, clean filter), so a
# run's outputs, a traceback or widget state never reach `git status` or a commit
notebook-filter: $(STAMP)
	@$(BIN)/python -m procurement.app.savehook > /dev/null
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.notebooks-stripped.clean '$(BIN)/python scripts/strip_notebooks.py --filter'; fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the workbench and its dependencies into $(VENV) (first time: a minute or two) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --progress-bar off -e '.[test]'
	@touch $(STAMP)

run: $(STAMP) notebook-filter
	@$(BIN)/procurement run

# the lint and type gate: ruff (E, F, W, B, UP, SIM, C90 with complexity <= 15), mypy on src/ and the import-linter
# contracts of the layers (faces > engine > drawing > domain > input > words, no circle), all in pyproject.toml
lint: $(STAMP)
	@$(BIN)/ruff check conftest.py src tests benchmarks scripts notebooks
	@$(BIN)/mypy
	@$(BIN)/lint-imports --no-logo

# the suite starts some 300 Python processes (commands, kernels, Dask workers): each keeps the package's compiled
# modules (src/**/__pycache__, ignored by git) for the next, even where the environment says not to write them
# (PYTHONDONTWRITEBYTECODE=1 made every process compile the package from source: 9 s of a 351 s run, measured)
test: $(STAMP) notebook-filter lint
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean-env:
	rm -rf $(VENV)
