# Simpul: `make run` starts the portal with demo data; `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 5000
export FLASK_APP := portal

.PHONY: run test setup lint format translations bench clean

$(BIN)/.installed: pyproject.toml
	@echo "Installing the Python packages into $(VENV) (once)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

instance/config.py:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print("SECRET_KEY = " + repr(secrets.token_hex(32)))' > $@
	@echo "Wrote instance/config.py with a new SECRET_KEY (never commit it)."

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -f -D "messages wtforms" -d portal/translations >/dev/null

setup: $(BIN)/.installed instance/config.py translations
	@echo "Migrating the database (instance/)…"
	$(BIN)/flask db upgrade
	$(BIN)/flask load-regions --if-empty
	$(BIN)/flask rebuild-tallies --if-needed
	$(BIN)/flask reindex-search --if-needed

# The demo prints its own address in the letters' QR codes (production sets PORTAL_PUBLIC_URL).
run: export PORTAL_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
# The demo is served over plain http: no Secure cookies, no HSTS (production leaves this unset).
run: export PORTAL_PLAIN_HTTP ?= 1
run: setup
	$(BIN)/flask seed-demo
	$(BIN)/flask analyze-db
	@echo ""
	@echo "  Simpul runs at http://127.0.0.1:$(PORT)/login"
	@echo "  Demo logins (password demo1234): pekerja, pekerja2 (pekerja sosial), manajer, manajer2, admin"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(BIN)/.installed translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.installed translations
	$(BIN)/python bench/seed_large.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# After adding or changing UI strings: extract every _()/_l()/lazy() string, merge it into the
# English catalog and compile. Translate the new (or "#, fuzzy") entries in
# portal/translations/en/LC_MESSAGES/messages.po, then run it again; tests/test_translations.py
# fails while the catalog lags behind the source.
.PHONY: messages
messages: $(BIN)/.installed
	pot=$$(mktemp) && \
	$(BIN)/pybabel -q extract --no-location --sort-output -F babel.cfg -k _l -k lazy -k lazy_in:1c,2 -o $$pot . && \
	$(BIN)/pybabel -q update -i $$pot -d portal/translations -l en --ignore-obsolete; \
	status=$$?; rm -f $$pot; exit $$status
	$(BIN)/pybabel compile -f -D "messages wtforms" -d portal/translations
