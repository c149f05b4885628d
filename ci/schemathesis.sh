#!/usr/bin/env bash
# schemathesis with every check against the live API, as CI runs it: gunicorn on a free loopback port,
# a throwaway database with the shipped content, the schema the server itself publishes. Any failure fails.
#
#   bash ci/schemathesis.sh                           # what CI runs (fixed seed: the same cases every run)
#   SCHEMATHESIS_SEED=random SCHEMATHESIS_EXAMPLES=200 bash ci/schemathesis.sh   # explore further by hand
set -euo pipefail
cd "$(dirname "$0")/.."
source ci/live_server.sh
start_live_server

seed=(--seed "${SCHEMATHESIS_SEED:-1}")
[ "${SCHEMATHESIS_SEED:-}" = random ] && seed=()
# 50 cases per operation and phase keeps the run to about two minutes on two cores.
.venv/bin/schemathesis --no-color --config-file ci/schemathesis.toml run "${LIVE_URL}/api/v1/schema/" \
  --checks all \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" \
  "${seed[@]}" \
  --workers 2 \
  --request-timeout 30
