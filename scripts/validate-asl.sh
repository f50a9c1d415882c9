#!/usr/bin/env bash
# Validates Amazon States Language definitions with the asl-validator npm package (AWS Labs' schema
# checks: state types, transitions, JSONata and JSONPath fields), installed on first use into
# .cache/asl-validator with the machine's npm:
#
#   scripts/validate-asl.sh <definition.asl.json>...
#
# Exit codes: 0 every definition valid, 1 one is not (asl-validator's report on stderr), 2 no npm.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

ASL_VALIDATOR_VERSION=4.0.0
[ $# -ge 1 ] || die "usage: scripts/validate-asl.sh <definition.asl.json>..."
PREFIX="$REPO_ROOT/.cache/asl-validator-$ASL_VALIDATOR_VERSION"
BIN="$PREFIX/node_modules/.bin/asl-validator"
if [ ! -x "$BIN" ]; then
  command -v npm >/dev/null || die "Cannot validate ASL: npm is not installed (Node.js 18 or newer)"
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "asl-validator@$ASL_VALIDATOR_VERSION" >&2 \
    || die "Cannot validate ASL: npm could not install asl-validator@$ASL_VALIDATOR_VERSION"
fi
ARGS=()
for file in "$@"; do
  [ -f "$file" ] || die "Cannot validate '$file': no such file"
  ARGS+=(--json-path "$file")
done
exec "$BIN" "${ARGS[@]}"
