# The two commands of the README:
#   make run [SEEDS=path/to/reports]   set up, migrate, ingest a folder, serve http://127.0.0.1:8000/
#   make test                          set up with test tools, lint, check migrations, run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEEDS  ?= seeds/
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint serve bench browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	@if [ -d "$(SEEDS)" ]; then \
		$(BIN)/python manage.py ingest "$(SEEDS)" || echo "Some files could not be ingested (see above); serving the rest."; \
	else \
		echo "No reports folder at $(SEEDS), so nothing was ingested."; \
		echo "To ingest a folder of reports and serve them:  make run SEEDS=path/to/reports"; \
		echo "Serving the catalogue as it is."; \
	fi
	$(BIN)/python manage.py runserver $(HOST)

browser-deps:
	@sh scripts/install-browser.sh

test: $(VENV)/.installed-test browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .data staticfiles
