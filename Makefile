# BoneCare: `make run` sets everything up and serves the API; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# bonecare/settings.py builds development's BONECARE_PUBLIC_URL (the links in answers) from it.
export PORT
WORKERS ?= 2

.PHONY: run serve worker setup test install messages clean axe

# The web server and a webhook worker beside it; when the server stops (Ctrl-C), the worker is stopped too.
run: setup
	@$(BIN)/python manage.py requeue_webhook_deliveries
	@$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory serve

# Runs due webhook deliveries (and their retries) from the database queue; run several for more throughput.
WORKER = $(BIN)/python manage.py db_worker --no-reload --interval 1
worker:
	$(BIN)/python manage.py requeue_webhook_deliveries
	$(WORKER)

serve:
	@echo "BoneCare is serving on http://127.0.0.1:$(PORT)/  (API docs: /api/v1/docs/, admin: /admin/)"
	$(BIN)/gunicorn bonecare.wsgi --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

setup: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# translate-toolkit's pocompile is pure Python, so no system gettext is needed.
messages: install
	@for po in locale/*/LC_MESSAGES/django.po; do $(BIN)/pocompile --progress=none "$$po" "$${po%.po}.mo" || exit 1; done

# axe-core for the browser test's accessibility check (tests/test_browser.py), pinned by its package-lock.json.
AXE := tests/axe/node_modules/.installed
axe: $(AXE)
$(AXE): tests/axe/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: the browser test's axe-core check will be skipped (apt-get install npm)"; exit 0; }; \
	cd tests/axe && npm ci --no-audit --no-fund --silent && touch node_modules/.installed

test: install messages axe
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 state tests/axe/node_modules
