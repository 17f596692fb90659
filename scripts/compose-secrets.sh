#!/usr/bin/env bash
# Creates the random secrets docker-compose.yml mounts as compose secrets (files, never in an image
# or in the compose file), in demo-out/compose-secrets/ (ignored by git). Idempotent: existing
# secrets are kept, so a running stack's tokens stay valid.
#
# usage: scripts/compose-secrets.sh [--lines N]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=4
[ "${1:-}" = "--lines" ] && lines="$2"
dir=demo-out/compose-secrets
mkdir -p "$dir"
chmod 700 "$dir"
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
for name in postgres_password hsm_pin keymaker_operator_token keymaker_broker_role_token keymaker_auditor_token broker_keymaker_token; do
  [ -s "$dir/$name" ] || secret >"$dir/$name"
done
if [ ! -s "$dir/lines" ]; then
  for i in $(seq 1 "$lines"); do echo "line-$i=$(secret)"; done >"$dir/lines"
fi
chmod 644 "$dir"/* # read by the containers' non-root user (uid 10001) through the bind mount
echo "compose secrets in $dir: $(ls "$dir" | tr '\n' ' ')"
