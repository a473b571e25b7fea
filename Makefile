# The front door. `make` sets up and runs the main job; `make test` sets up and runs every test.
# Set-up needs only Python 3.11 with pip (venv) and the package index: versions come from
# requirements.lock, checked against its hashes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all setup reports analyze lab test test-fast lint lock clean notebooks

all: reports

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name research-kit \
		--display-name "Python (research-kit)" > /dev/null
	touch $@

reports: setup
	$(BIN)/research-kit reports --jobs 2

analyze: setup
	$(BIN)/research-kit analyze data/raw

lab: setup
	$(BIN)/jupyter lab notebooks/

lint: setup
	$(BIN)/ruff check src tests benchmarks notebooks

# Everything, as CI runs it.
test: lint
	$(BIN)/python -m pytest

# The quick loop: no subprocesses, notebooks, JupyterLab or Dask (tests marked slow).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# Re-pin every dependency (needs the network); keep environment.yml in step (a test checks).
lock: setup
	$(BIN)/python -m pip install --quiet "uv==0.13.9"
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra dask --extra dev \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes \
		--custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# Notebooks are edited as their jupytext sources (notebooks/*.py); this brings each pair in step.
notebooks: setup
	$(BIN)/jupytext --sync notebooks/*.py
