#!/usr/bin/env bash
# The end-to-end tests (the built program in a real pseudo-terminal) on the Node.js versions after
# the one the suite runs on: the binaries come from npm's `node` package, fetched once into npm's
# cache by npx. Each version writes its own report, reports/vitest-node<major>.json, which .ci/run
# counts with the rest. BACKUP_PANEL_TEST_NODES picks the versions (default: 22 24).
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
for major in ${BACKUP_PANEL_TEST_NODES:-22 24}; do
  report="reports/vitest-node${major}.json"
  rm -f "$report"
  echo "== end-to-end tests on Node.js ${major}"
  # vitest itself runs on that Node, so every program the tests start (process.execPath) does too.
  if ! BACKUP_PANEL_TEST_REPORT="$report" npx -y -p "node@${major}" node node_modules/vitest/vitest.mjs run test/e2e; then
    status=1
  fi
  [ -f "$report" ] || { echo "no report from Node.js ${major} (could not fetch or start it)"; status=1; }
done
exit "$status"
