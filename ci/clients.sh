#!/usr/bin/env bash
# Clients generated from the live schema, as a partner would make them, used against the live API.
#
#  1. The TypeScript client: openapi-typescript (types) + openapi-fetch (calls), versions pinned in
#     clients/typescript/package-lock.json; generation must print nothing but its banner, and tsc must accept
#     the generated types together with clients/typescript/src/example.ts.
#  2. The Python client: openapi-python-client (ci/requirements-clients.txt) with --fail-on-warning, installed
#     with pip into a throwaway venv, then clients/python/smoke.py calls list, detail, sync and glossary (and
#     search once the schema has /api/v1/search/), anonymously and with an API key; then
#     clients/python/partner_infobutton.py, a health partner's program: the Infobutton for ICD-10-CM C79.51 in
#     Spanish, each linked article followed with the generated client, its licence read where there is one.
#
# The key comes from `manage.py create_api_key`; on a checkout without that command the keyed calls are
# SKIPPED, loudly. Same server start as ci/schemathesis.sh (ci/live_server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
source ci/live_server.sh
start_live_server

SCHEMA="${LIVE_DIR}/openapi.json"
.venv/bin/python -c "import sys, urllib.request; open(sys.argv[2], 'wb').write(urllib.request.urlopen(sys.argv[1]).read())" \
  "${LIVE_URL}/api/v1/schema/?format=json" "${SCHEMA}"

echo "== TypeScript client (openapi-typescript, openapi-fetch, tsc)"
(
  cd clients/typescript
  npm ci --no-audit --no-fund --loglevel=error
  npx --no-install openapi-typescript "${SCHEMA}" --output generated/schema.d.ts > "${LIVE_DIR}/ts-generate.log" 2>&1
  cat "${LIVE_DIR}/ts-generate.log"
  # Anything but the banner and the line naming the output file is a warning (or worse).
  if grep -v -e '^✨ openapi-typescript' -e '^🚀 ' "${LIVE_DIR}/ts-generate.log" | grep -q .; then
    echo "openapi-typescript printed warnings: failing" >&2
    exit 1
  fi
  npx --no-install tsc --noEmit -p .
  echo "TypeScript client: generated with no warnings, type-checks"
)

echo "== Python client (openapi-python-client)"
VENV="${LIVE_DIR}/client-venv"
.venv/bin/python -m venv "${VENV}"
pip_quietly() {
  "${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "$@" > "${LIVE_DIR}/pip.log" 2>&1 \
    || { cat "${LIVE_DIR}/pip.log"; return 1; }
}
pip_quietly -r ci/requirements-clients.txt
(
  cd "${LIVE_DIR}"
  # ruff, which formats the generated code, must be on PATH or the generator warns.
  PATH="${VENV}/bin:${PATH}" "${VENV}/bin/openapi-python-client" generate --path "${SCHEMA}" \
    --config "${ROOT}/clients/python/config.yml" --meta setup --fail-on-warning --output-path bonecare-client \
    > py-generate.log 2>&1 || { cat py-generate.log; exit 1; }
  cat py-generate.log
  if grep -q -i -e warning -e error py-generate.log; then
    echo "openapi-python-client printed warnings: failing" >&2
    exit 1
  fi
)
pip_quietly "${LIVE_DIR}/bonecare-client"
"${VENV}/bin/python" -m pip show bonecare-client | grep -E '^(Name|Version):'

API_KEY=""
if .venv/bin/python manage.py help create_api_key >/dev/null 2>&1; then
  key_output="$(.venv/bin/python manage.py create_api_key ci-generated-clients)"
  # The command prints the key and the X-API-Key header: take the header's value, else the last word printed.
  API_KEY="$(printf '%s\n' "${key_output}" | sed -n 's/.*X-API-Key:[[:space:]]*\([^[:space:]]*\).*/\1/p' | tail -1)"
  [ -n "${API_KEY}" ] || API_KEY="$(printf '%s\n' "${key_output}" | awk 'NF {last = $NF} END {print last}')"
  echo "API key created for the keyed calls (${#API_KEY} characters)"
else
  echo "######################################################################################"
  echo "## SKIPPED: the calls WITH AN API KEY. This checkout has no 'manage.py create_api_key';"
  echo "## only the anonymous calls run. They run by themselves once that command exists."
  echo "######################################################################################"
fi
"${VENV}/bin/python" clients/python/smoke.py "${LIVE_URL}" "${SCHEMA}" ${API_KEY:+"${API_KEY}"}
"${VENV}/bin/python" clients/python/partner_infobutton.py "${LIVE_URL}"
