# Sourced by the CI scripts that test the API over HTTP: starts the app under gunicorn (as `make run` does) on a free
# loopback port, with a throwaway SQLite database holding the shipped content, and stops it on exit.
#
#   source ci/live_server.sh && start_live_server   # sets LIVE_URL (http://127.0.0.1:PORT) and LIVE_DIR
#
# The database is a fresh file in LIVE_DIR, whatever DATABASE_URL the caller had, so the run never
# touches a developer's db.sqlite3 or a CI database another phase created.

start_live_server() {
  LIVE_DIR="$(mktemp -d -t bonecare-live.XXXXXX)"
  export DATABASE_URL="sqlite:///${LIVE_DIR}/db.sqlite3"
  export DJANGO_SECRET_KEY="throwaway-$(date +%s)-$$-${RANDOM}${RANDOM}"
  export DJANGO_DEBUG=0
  # schemathesis sends over a thousand requests a minute from one address: far above the anonymous limit.
  # The limits stay on (their headers are checked against the schema); only the budget is raised.
  export BONECARE_ANONYMOUS_LIMIT="${BONECARE_ANONYMOUS_LIMIT:-1000000}"
  .venv/bin/python manage.py migrate --noinput -v 0
  .venv/bin/python manage.py load_content -v 0
  local port
  port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  LIVE_URL="http://127.0.0.1:${port}"
  .venv/bin/gunicorn bonecare.wsgi --config deploy/gunicorn.conf.py --bind "127.0.0.1:${port}" --workers 2 --no-control-socket \
    --error-logfile "${LIVE_DIR}/gunicorn.log" --capture-output &
  LIVE_PID=$!
  trap stop_live_server EXIT
  for _ in $(seq 1 60); do
    if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "${LIVE_URL}/api/v1/" 2>/dev/null; then
      echo "live server: ${LIVE_URL} (pid ${LIVE_PID}, log ${LIVE_DIR}/gunicorn.log)"
      return 0
    fi
    kill -0 "${LIVE_PID}" 2>/dev/null || break
    sleep 1
  done
  echo "live server did not answer on ${LIVE_URL}; its log:" >&2
  cat "${LIVE_DIR}/gunicorn.log" >&2 || true
  return 1
}

stop_live_server() {
  if [ -n "${LIVE_PID:-}" ] && kill -0 "${LIVE_PID}" 2>/dev/null; then
    kill "${LIVE_PID}"
    wait "${LIVE_PID}" 2>/dev/null || true
  fi
  if [ -n "${LIVE_DIR:-}" ] && [ -f "${LIVE_DIR}/gunicorn.log" ] && grep -q "Traceback" "${LIVE_DIR}/gunicorn.log"; then
    echo "== the live server logged errors:" >&2
    grep -B2 -A30 "Traceback" "${LIVE_DIR}/gunicorn.log" | tail -80 >&2
  fi
  [ -n "${LIVE_DIR:-}" ] && rm -rf "${LIVE_DIR}"
  LIVE_PID=""
}
