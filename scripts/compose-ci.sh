#!/usr/bin/env bash
# CI's container stage: the whole flow as containers, checked, then removed with its volumes.
#   1. base images (public, or local stand-ins offline) and the images, from the jars in */target
#      (run after `./mvnw verify` or package; --maven builds them first);
#   2. `up -d` with IFPP_DEVICES devices (default 300) under the project name ifpp-ci: the time to
#      every service healthy (within IFPP_CI_HEALTHY_TIMEOUT s, default 600) is the cold start;
#   3. kills (SIGKILL) keymaker-2 while the Key Makers bind (while it holds reserved bindings, which
#      the other Key Maker re-plans once its lease expires; the count is printed) and
#      factory-broker-2 while the lines run (a fifth of the results in), then waits
#      (IFPP_CI_TIMEOUT s, default 900) for factory-demo's verdict; every service must have become
#      healthy, the survivors must still be, the one-shots must have exited 0, the verdict line
#      must be there; the survivors must log that native crypto (ACCP) loaded, and the line driver
#      no TLS without it; then, in the databases: nothing left reserved or unsent at the Key Maker,
#      no one-time key behind two bindings, the broker holding exactly the packages the Key Maker
#      sent (the same transaction ids, each once) with no one-time key in two packages;
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
healthy_s="${IFPP_CI_HEALTHY_TIMEOUT:-600}"
out=build-out/compose-ci
rm -rf "$out" && mkdir -p "$out"
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose -p ifpp-ci "$@"; }
else
  compose() { docker-compose -p ifpp-ci "$@"; }
fi
say() { echo "compose-ci [$(date -u +%H:%M:%S)] $*"; }
services=(postgres hsm-init euicc-simulator factory-broker factory-broker-2 keymaker keymaker-2 factory-demo)
healthy=(postgres euicc-simulator factory-broker factory-broker-2 keymaker keymaker-2)
killed=(keymaker-2 factory-broker-2)
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
    [ $(($(date +%s) - t1)) -lt "$healthy_s" ] || { failed=("$s"); fail "$s not healthy within $healthy_s s"; }
    sleep 1
  done
done
t_cold=$(($(date +%s) - t1))
say "every service healthy, cold start ${t_cold} s"

# psql DATABASE QUERY: one value, from inside the PostgreSQL container.
sql() { docker exec "$(cid postgres)" psql -U postgres -d "$1" -tAc "$2"; }
# kill_when SERVICE DATABASE QUERY AT PROGRESS: SIGKILL once QUERY's count reaches AT (mid-phase),
# then says how far the phase was (PROGRESS, on the same database, read inside the same wait so
# that it is the count at the trigger). The wait runs inside the PostgreSQL container, a query
# every 0.05 s: a `docker exec` per poll took up to 2 s under load, longer than 300 bindings take.
kill_when() {
  local target demo
  target="$(cid "$1")" demo="$(cid factory-demo)"
  docker exec -e Q="$3" -e AT="$4" -e DB="$2" -e P="$5" "$(cid postgres)" sh -c '
    until [ "$(psql -U postgres -d "$DB" -tAc "$Q" 2>/dev/null || echo 0)" -ge "$AT" ]; do
      sleep 0.05
    done
    psql -U postgres -d "$DB" -tAc "$P"' >"$out/trigger-$1" 2>/dev/null &
  local waiter=$!
  while kill -0 "$waiter" 2>/dev/null; do
    [ "$(docker inspect -f '{{.State.Running}}' "$demo")" = true ] || { kill "$waiter"; return 0; }
    sleep 0.05
  done
  docker kill -s KILL "$target" >/dev/null
  say "killed $1 (SIGKILL) at $(cat "$out/trigger-$1")"
}
compose logs --no-color keymaker-2 >"$out/keymaker-2.start.log" 2>&1
km2="$(sed -n 's/.*key maker instance \([0-9a-f-]*\) registered.*/\1/p' "$out/keymaker-2.start.log" | tail -1)"
[ -n "$km2" ] || { failed=(keymaker-2); fail "keymaker-2 did not log its instance id"; }
(
  # While keymaker-2 holds reserved bindings (its lease then expires and the other Key Maker
  # re-plans them), or, if it is never seen holding any (300 take about a second), once all are
  # bound.
  kill_when keymaker-2 keymaker "select (count(*) filter (where state = 'RESERVED' and reserved_by = '$km2') > 0
      or count(*) filter (where state in ('BOUND', 'INSTALLED')) >= $IFPP_DEVICES)::int from bindings" 1 \
    "select count(*) filter (where state in ('BOUND', 'INSTALLED')) || ' of $IFPP_DEVICES bound, '
      || count(*) filter (where state = 'RESERVED' and reserved_by = '$km2') || ' reserved by it' from bindings"
  kill_when factory-broker-2 broker "select count(*) from installation_result" $((IFPP_DEVICES / 5)) \
    "select count(*) || ' of $IFPP_DEVICES results in' from installation_result"
) >"$out/kills.log" 2>&1 &
killer=$!

demo="$(cid factory-demo)"
rc="$(timeout "$timeout_s" docker wait "$demo")" || { failed=(factory-demo); fail "no verdict within $timeout_s s"; }
wait "$killer" || true
sed 's/^/   /' "$out/kills.log"
t_flow=$(($(date +%s) - t1))
compose logs --no-color >"$out/containers.log" 2>&1
[ "$rc" = 0 ] || { failed=(factory-demo); fail "factory-demo exited $rc"; }
grep -q "verdict: every device installed, every attack rejected" "$out/containers.log" \
  || { failed=(factory-demo); fail "no verdict line"; }
grep -E "end to end:|verdict:" "$out/containers.log" | sed 's/^/   /'
for s in "${healthy[@]}"; do
  case " ${killed[*]} " in *" $s "*) continue ;; esac
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$(cid "$s")")" = healthy ] \
    || { failed=("$s"); fail "$s no longer healthy"; }
done
for s in "${killed[@]}"; do
  [ "$(docker inspect -f '{{.State.Running}} {{.State.ExitCode}}' "$(cid "$s")")" = "false 137" ] \
    || { failed=("$s" factory-demo); fail "$s was not killed mid-run (see kills above)"; }
done

say "native crypto"
# In the logs saved above (a pipe from `compose logs` into `grep -q` fails under pipefail: grep
# stops at the match and compose logs dies of SIGPIPE), each line prefixed "<service>_1 |"
# (docker-compose 1.29) or "<service>-1 |" (docker compose v2).
for s in euicc-simulator factory-broker keymaker; do
  grep -Eq "^${s}[-_][0-9]+ +\| .*native crypto \(ACCP\): loaded" "$out/containers.log" \
    || { failed=("$s"); fail "$s runs without native crypto (its log line: native crypto (ACCP))"; }
done
! grep -q "TLS without native crypto" "$out/containers.log" \
  || { failed=(factory-demo); fail "the line driver's TLS runs without native crypto"; }
echo "   ACCP loaded in the simulator, the brokers, the Key Makers and the line driver"

say "nothing lost or duplicated"
left="$(sql keymaker "select count(*) from bindings where state in ('PLANNED', 'RESERVED')")"
unsent="$(sql keymaker "select count(*) from outbox where state <> 'SENT'")"
twice="$(sql keymaker "select count(*) from (select one_time_key_id from bindings where one_time_key_id is not null group by 1 having count(*) > 1) k")"
binders="$(sql keymaker "select count(distinct reserved_by) from bindings where state in ('BOUND', 'INSTALLED')")"
sent="$(sql keymaker "select count(*) || ' ' || md5(string_agg(encode(transaction_id, 'hex'), ',' order by transaction_id)) from outbox")"
stored="$(sql broker "select count(distinct transaction_id) || ' ' || md5(string_agg(encode(transaction_id, 'hex'), ',' order by transaction_id)) from package")"
packages="$(sql broker "select count(*) from package")"
otpk_twice="$(sql broker "select count(*) from (select bpp_euicc_otpk from package_content where bpp_euicc_otpk is not null group by 1 having count(*) > 1) k")"
installed="$(sql broker "select count(*) from installation_result where outcome = 'INSTALLED'")"
by_lines="$(sql broker "select count(distinct line) from installation_result")"
replanned="$(sed -n 's/.* \([0-9]*\) bindings interrupted by a stopped instance were abandoned and re-planned.*/\1/p' "$out/containers.log" | awk '{s += $1} END {print s + 0}')"
echo "   Key Maker: ${sent%% *} packages sent, bound by $binders instances, ${replanned:-0} re-planned after keymaker-2's kill, $left left reserved, $unsent unsent, $twice one-time keys behind two bindings"
echo "   broker: $packages packages (${stored%% *} distinct transaction ids), $otpk_twice one-time keys in two packages, $installed INSTALLED results from $by_lines lines"
# Installed: at least every chip the lines programmed (all but the three kept for the attacks).
[ "$left" = 0 ] && [ "$unsent" = 0 ] && [ "$twice" = 0 ] && [ "$otpk_twice" = 0 ] \
  && [ "$sent" = "$stored" ] && [ "$packages" = "${stored%% *}" ] && [ "$installed" -ge $((IFPP_DEVICES - 3)) ] \
  || { failed=(keymaker factory-broker factory-demo); fail "something lost or duplicated (above)"; }
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
