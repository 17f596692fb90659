#!/usr/bin/env bash
# Creates the secrets docker-compose.yml mounts as compose secrets (files, never in an image or in
# the compose file), in demo-out/compose-secrets/ (ignored by git): random tokens, the HSM PIN and
# the database password; and the development TLS PKI of every hop (`ifpp pki`, docs/operations.md
# "TLS"): tls/ca.crt, tls/server/<service>.{crt,key}, tls/client/keymaker.{crt,key} and
# tls/lines/<line>.{crt,key} (one per line of the lines secret; the line driver gets this directory
# only, not the Key Maker's key). Idempotent: existing secrets are kept, so a running stack's tokens
# stay valid; the PKI is made again when missing, older than 25 days (its certificates last 30) or
# when the lines changed.
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
tls="$dir/tls"
fresh=true
[ -s "$tls/ca.crt" ] && [ -z "$(find "$tls/ca.crt" -mtime +25)" ] || fresh=false
while IFS='=' read -r name _; do
  [ -n "$name" ] && { [ -s "$tls/lines/$name.crt" ] || fresh=false; }
done <"$dir/lines"
if [ "$fresh" = false ]; then
  rm -rf "$tls"
  ./ifpp pki --out "$tls" --lines-file "$dir/lines" --days 30 >/dev/null
  mkdir "$tls/lines"
  while IFS='=' read -r name _; do
    [ -n "$name" ] && mv "$tls/client/$name.crt" "$tls/client/$name.key" "$tls/lines/"
  done <"$dir/lines"
fi
# Read by the containers' non-root user (uid 10001) through the bind mounts; the directory above
# them stays 700.
find "$dir" -mindepth 1 -type d -exec chmod 755 {} +
find "$dir" -type f -exec chmod 644 {} +
echo "compose secrets in $dir: $(ls "$dir" | tr '\n' ' ')(tls: ca, servers, Key Maker and line clients)"
