# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 3

.PHONY: run serve setup test lint bench translations clean

run: setup
	@$(FLASK) demo logins
	@echo "安知 serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	ANZHI_DEMO_MODE=true $(MAKE) --no-print-directory serve

serve:
	$(BIN)/gunicorn --workers $(WORKERS) --threads 4 --bind $(HOST):$(PORT) \
	  --access-logfile - wsgi:app

# Everything `make run` needs: install, translations, database, demo content, search index.
# Each step is idempotent: a second `make run` changes nothing.
setup: $(VENV)/.installed translations
	$(FLASK) db upgrade
	ANZHI_DEMO_MODE=true $(FLASK) demo load
	$(FLASK) content import
	$(FLASK) questions import
	ANZHI_DEMO_MODE=true $(FLASK) demo training
	ANZHI_DEMO_MODE=true $(FLASK) demo safety
	$(FLASK) search load-synonyms
	$(FLASK) search status --check > /dev/null || $(FLASK) search reindex

$(VENV)/.installed: setup.cfg pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations --statistics 2>&1 | tail -n 2

test: $(VENV)/.installed translations
	$(BIN)/ruff check .
	env -u TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on $$TEST_DATABASE_URL (database-backed tests)"; \
	  $(BIN)/pytest -q -m "not e2e" ; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python bench/search.py
	$(BIN)/python bench/submit.py

# Re-extract UI strings after changing templates or code, then translate en/messages.po.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance/search-index
