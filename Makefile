# Every target sets itself up: a fresh machine needs only python3 (3.11+) and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: chat test lint bench mutate package clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/closer chat

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint infra/template.yaml
	$(BIN)/checkov --directory infra --framework cloudformation --compact --quiet --skip-download

# Two workers: the suite is CPU-bound, and every machine this project runs on has two cores.
test: lint
	$(BIN)/pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Not part of `make test`: about half an hour (README, Tests).
mutate: $(STAMP)
	$(BIN)/python -m tests.mutation.run

package: $(STAMP)
	$(BIN)/closer package

clean:
	rm -rf $(VENV) build .closer .pytest_cache
