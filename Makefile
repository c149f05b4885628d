# BoneCare: `make run` sets everything up and serves the API; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# bonecare/settings.py builds development's BONECARE_PUBLIC_URL (the links in answers) from it.
export PORT
WORKERS ?= 2

.PHONY: run serve worker setup speech test install messages clean axe

# The web server, a webhook worker and an audio worker beside it; when the server stops (Ctrl-C), they are stopped too.
run: speech setup
	@$(BIN)/python manage.py requeue_webhook_deliveries
	@$(BIN)/python manage.py read_aloud
	@$(WORKER) & worker=$$!; $(AUDIO_WORKER) & reader=$$!; \
	trap 'kill $$worker $$reader 2>/dev/null; wait $$worker $$reader 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory serve

# Runs due webhook deliveries (and their retries) from the database queue; run several for more throughput.
WORKER = $(BIN)/python manage.py db_worker --no-reload --interval 1
# Reads published articles aloud (content/audio/), in its own queue so webhooks never wait behind a reading.
AUDIO_WORKER = $(BIN)/python manage.py db_worker --no-reload --interval 1 --queue-name audio
worker:
	$(BIN)/python manage.py requeue_webhook_deliveries
	$(WORKER)

serve:
	@echo "BoneCare is serving on http://127.0.0.1:$(PORT)/  (API docs: /api/v1/docs/, admin: /admin/)"
	$(BIN)/gunicorn bonecare.wsgi --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

# eSpeak NG reads articles aloud (content/audio/). It is a system package: installed here when it is missing and this
# is root on Debian/Ubuntu; otherwise `manage.py read_aloud` (in `run`) prints the one command to run, and everything
# else is served, with `audio: null` and the reason `synthesizer_missing`.
HAS_ESPEAK = $(BIN)/python -c "import ctypes.util, sys; sys.exit(ctypes.util.find_library('espeak-ng') is None)"
speech: install
	@if ! $(HAS_ESPEAK); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing espeak-ng (articles read aloud)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng >/dev/null 2>&1 \
	      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng >/dev/null; } \
	      || echo "espeak-ng could not be installed: articles are served with audio: null."; \
	  fi; \
	fi

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
