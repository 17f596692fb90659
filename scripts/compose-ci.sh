#!/usr/bin/env bash
# CI's container stage: the whole flow as containers, checked, then removed with its volumes.
#   1. base images (public, or local stand-ins offline) and the images, from the jars in */target
#      (run after `./mvnw verify` or package; --maven builds them first);
#   2. `up -d` with IFPP_DEVICES devices (default 300) under the project name ifpp-ci: the time to
#      every service healthy is the stack's cold start;
#   3. waits (IFPP_CI_TIMEOUT s, default 900) for factory-demo's verdict; every service must have
#      become healthy, the one-shots must have exited 0, the verdict line must be there;
#   4. the demo's plain-profile scan (factory-demo scan) on a dump of the broker's database and on
#      every container's log, plus a search for each compose secret's value in them and in every
#      image's history and configuration (`docker history`, `docker inspect`);
#   5. `down -v`. A failure prints the last log lines of the failing services.
# Works with `docker compose` (v2) or docker-compose 1.29. Needs a Docker engine
# (scripts/docker-engine.sh starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
maven=--no-maven
[ "${1:-}" = --maven ] && maven=""
export IFPP_DEVICES="${IFPP_DEVICES:-300}"
# Host ports chosen by Docker: nothing here needs them, and 8081-8083 may be taken.
export IFPP_KEYMAKER_PORT="" IFPP_BROKER_PORT="" IFPP_SIMULATOR_PORT=""
timeout_s="${IFPP_CI_TIMEOUT:-900}"
out=build-out/compose-ci
rm -rf "$out" && mkdir -p "$out"
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose -p ifpp-ci "$@"; }
else
  compose() { docker-compose -p ifpp-ci "$@"; }
fi
say() { echo "compose-ci [$(date -u +%H:%M:%S)] $*"; }
services=(postgres hsm-init euicc-simulator factory-broker keymaker factory-demo)
healthy=(postgres euicc-simulator factory-broker keymaker)
cid() { compose ps -q "$1"; }
failed=()
fail() {
  echo "compose-ci FAIL: $*" >&2
  for s in "${failed[@]:-${services[@]}}"; do
    echo "---- last log lines of $s ----" >&2
    compose logs --no-color --tail=40 "$s" >&2 || echo "(no log: $s never started)" >&2
  done
  exit 1
}
cleanup() { compose down -v --remove-orphans >/dev/null 2>&1 || echo "compose-ci: down -v failed" >&2; }
trap cleanup EXIT

t0=$(date +%s)
say "images"
eval "$(bash scripts/images.sh $maven)"
t_images=$(($(date +%s) - t0))
bash scripts/compose-secrets.sh >/dev/null

say "up: $IFPP_DEVICES devices"
t1=$(date +%s)
compose up -d >"$out/up.log" 2>&1 || { cat "$out/up.log" >&2; fail "docker compose up"; }
for s in "${healthy[@]}"; do
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(cid "$s")")" = healthy ]; do
    [ $(($(date +%s) - t1)) -lt 600 ] || { failed=("$s"); fail "$s not healthy within 600 s"; }
    sleep 1
  done
done
t_cold=$(($(date +%s) - t1))
say "every service healthy, cold start ${t_cold} s"

demo="$(cid factory-demo)"
rc="$(timeout "$timeout_s" docker wait "$demo")" || { failed=(factory-demo); fail "no verdict within $timeout_s s"; }
t_flow=$(($(date +%s) - t1))
compose logs --no-color >"$out/containers.log" 2>&1
[ "$rc" = 0 ] || { failed=(factory-demo); fail "factory-demo exited $rc"; }
grep -q "verdict: every device installed, every attack rejected" "$out/containers.log" \
  || { failed=(factory-demo); fail "no verdict line"; }
grep -E "end to end:|verdict:" "$out/containers.log" | sed 's/^/   /'
for s in "${healthy[@]}"; do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$(cid "$s")")" = healthy ] \
    || { failed=("$s"); fail "$s no longer healthy"; }
done
[ "$(docker inspect -f '{{.State.ExitCode}}' "$(cid hsm-init)")" = 0 ] || { failed=(hsm-init); fail "hsm-init failed"; }

say "scans"
docker exec "$(cid postgres)" pg_dump -U postgres -d broker --no-owner >"$out/broker-dump.sql"
if ! java -jar factory-demo/target/factory-demo-*[0-9T].jar scan --profiles "${IFPP_TEST_DATA_DIR:-test-data}/profiles" \
  "$out/broker-dump.sql" "$out/containers.log" | sed 's/^/   /'; then
  fail "plain profile bytes in the broker's database or the logs"
fi
: >"$out/images.txt"
for m in keymaker-service factory-broker-service euicc-simulator factory-demo factory-line; do
  { docker history --no-trunc "ifpp/$m:dev"; docker inspect "ifpp/$m:dev"; } >>"$out/images.txt"
done
for s in "${services[@]}"; do docker inspect "$(cid "$s")" >>"$out/images.txt"; done
# Every secret value (the line tokens after NAME=) must be absent from all of it.
cut -d= -f2- demo-out/compose-secrets/lines >"$out/needles"
for f in demo-out/compose-secrets/*; do
  [ -f "$f" ] && [ "$(basename "$f")" != lines ] && { cat "$f"; echo; } >>"$out/needles"
done
# The TLS private keys too: each base64 line of their PEM bodies.
find demo-out/compose-secrets/tls -name '*.key' -type f -exec grep -hv -e '^-----' {} + >>"$out/needles" 2>/dev/null || true
# An empty pattern would match every line.
sed -i '/^[[:space:]]*$/d' "$out/needles"
if grep -F -l -f "$out/needles" "$out/broker-dump.sql" "$out/containers.log" "$out/images.txt"; then
  fail "a secret value is in the file(s) above"
fi
echo "   secret scan: $(wc -l <"$out/needles") secret values in the broker's dump, the logs, the images' history and configuration and the containers' configuration: none found"
rm -f "$out/needles"
say "ok: images ${t_images} s, cold start ${t_cold} s, up to verdict ${t_flow} s ($IFPP_DEVICES devices)"
