#!/usr/bin/env bash
# The IFPP demo (`./ifpp demo`): the whole in-factory flow on this machine, no Docker.
#
#   scripts/demo.sh [--devices N] [--lines N] [--stations K] [--overlap] [--warmup W]
#                   [--report-batch B] [--claim-batch C] [--keep-running] [--out DIR] [--plain-http]
#                   [--chip-transport http|pcsc]
#
# It prepares a throwaway SoftHSM token, starts PostgreSQL (embedded binaries), starts the Key
# Maker, the factory broker and the eUICC simulator as separate processes talking REST, then runs
# the flow (factory-demo demo-flow): import distinct-ICCID TS.48 profiles, manufacture N chips,
# import their eUICC data, bind, run the lines when every package is at the broker (--overlap: as
# soon as the first ones are), pull the loading report back into the Key Maker, and show the
# attacks failing (replay, clone, tamper, a finalisation signed by a wrong key), finalise every
# chip by the device maker's signed command (receipts verified by the Key Maker), then a replayed
# finalisation and a load after it fail too. Finally it dumps the broker's database and searches the dump and every log for
# the profiles' plain bytes. Everything it started is stopped on exit; logs stay in demo-out/.
# --warmup W first runs W other devices through the same flow, untimed, so that the timed figure is
# that of warm services (figures of both: docs/benchmarks.md section 5).
# --chip-transport pcsc: the stations reach the chips through PC/SC readers in APDUs (our own pcscd
# with a vpcd reader per station, scripts/pcsc.sh, stopped on exit), the attacks too.
# Every hop is HTTPS with a development PKI made for the run (`ifpp pki`, in $out/secrets/tls), and
# the broker requires each client's certificate to name the client its token belongs to (mutual
# TLS). --plain-http runs the same flow without TLS (the services warn), to measure TLS's cost.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

devices=1000
lines=4
stations=1
transport=http
pcsc_started=false
pcsc_pid=""
keep=false
plain_http=false
out=""
flow_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices="$2"; shift 2 ;;
    --lines) lines="$2"; shift 2 ;;
    --stations) stations="$2"; shift 2 ;;
    --keep-running) keep=true; shift ;;
    --overlap) flow_opts+=(--overlap); shift ;;
    --warmup) [[ "$2" =~ ^[0-9]+$ ]] || { echo "--warmup: a number of devices" >&2; exit 2; }
      flow_opts+=(--warmup "$2"); shift 2 ;;
    --report-batch) flow_opts+=(--report-batch "$2"); shift 2 ;;
    --claim-batch) flow_opts+=(--claim-batch "$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --chip-transport) transport="$2"; shift 2 ;;
    --plain-http) plain_http=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$devices" =~ ^[0-9]+$ ]] && [ "$devices" -ge 4 ] || { echo "--devices: at least 4" >&2; exit 2; }
[[ "$lines" =~ ^[0-9]+$ ]] && [ "$lines" -ge 1 ] || { echo "--lines: at least 1" >&2; exit 2; }
case "$transport" in http|pcsc) ;; *) echo "--chip-transport: http or pcsc" >&2; exit 2 ;; esac

PROFILES="${IFPP_TEST_DATA_DIR:-$ROOT/test-data}/profiles"
[ -d "$PROFILES" ] || { echo "no TS.48 test profiles in $PROFILES (set IFPP_TEST_DATA_DIR)" >&2; exit 1; }
out="${out:-$ROOT/demo-out/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out/logs" "$out/secrets"
chmod 700 "$out/secrets"
out="$(cd "$out" && pwd)"
LOGS="$out/logs"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step() { printf '   %s\n' "$*"; }

# ---------------------------------------------------------------------------------------------
# Processes we start, stopped in reverse order on exit (and only those).
PIDS=()
NAMES=()
cleanup() {
  local rc=$?
  if [ "$keep" = true ] && [ $rc -eq 0 ]; then
    echo "services left running (--keep-running): pids ${PIDS[*]:-}"
    return
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
  done
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    for _ in $(seq 1 50); do
      kill -0 "${PIDS[$i]}" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "${PIDS[$i]}" 2>/dev/null || true
  done
  [ ${#PIDS[@]} -gt 0 ] && echo "stopped: ${NAMES[*]}"
  [ "$pcsc_started" = true ] && IFPP_PCSC_DIR="$out/pcsc" bash "$ROOT/scripts/pcsc.sh" stop
  echo "logs and outputs: $out"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # name logfile cmd...
  local name="$1" log="$2"
  shift 2
  "$@" >"$log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Service ports come from below the kernel's ephemeral range: an outgoing connection (to
# PostgreSQL, between the services) cannot take one between its choice and its service's start.
EPHEMERAL_LO="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true)"
[[ "$EPHEMERAL_LO" =~ ^[0-9]+$ ]] && [ "$EPHEMERAL_LO" -gt 11000 ] || EPHEMERAL_LO=32768
pick_port() { # a free port in [10000, EPHEMERAL_LO), none of the arguments
  local p
  while :; do
    p=$((10000 + RANDOM % (EPHEMERAL_LO - 10000)))
    port_free "$p" && [[ " $* " != *" $p "* ]] && break
  done
  echo "$p"
}
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
# Each service's settings are described once, in config/<service>.env (also read by
# docker-compose.yml and the end-to-end tests): its environment variables, JAVA_EXTRA_OPTS (JVM
# options every launch needs) and SHORT_RUN_JAVA_OPTS (JIT settings for a run of minutes).
svc_env() { grep -Ev '^[[:space:]]*(#|$)' "config/$1.env" | grep -Ev '^(JAVA_EXTRA_OPTS|SHORT_RUN_JAVA_OPTS)=' || true; }
svc_opt() { sed -n "s/^$2=//p" "config/$1.env"; }

wait_ready() { # name url pid log
  local name="$1" url="$2" pid="$3" log="$4"
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during start-up; last lines of $log:" >&2
      tail -30 "$log" >&2
      exit 1
    fi
    if curl -fsS ${CURL_TLS[@]+"${CURL_TLS[@]}"} -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$name not ready after 120 s ($url); see $log" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
say "prerequisites"
bash scripts/ensure-deps.sh | sed 's/^/   /'
command -v java >/dev/null || { echo "Java 17 is required: apt-get install -y openjdk-17-jre-headless" >&2; exit 1; }
jv="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
[ "${jv%%.*}" -ge 17 ] || { echo "Java 17 or later is required (found $jv)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is required: apt-get install -y curl" >&2; exit 1; }

KEYMAKER_JAR="$(ls keymaker-service/target/keymaker-service-*.jar 2>/dev/null | grep -v original | head -1 || true)"
BROKER_JAR="$(ls factory-broker-service/target/factory-broker-service-*.jar 2>/dev/null | grep -v original | head -1 || true)"
SIM_JAR="$(ls euicc-simulator/target/euicc-simulator-*.jar 2>/dev/null | grep -v original | head -1 || true)"
DEMO_JAR="$(ls factory-demo/target/factory-demo-*.jar 2>/dev/null | grep -v original | head -1 || true)"
IFPP_JAR="ifpp-cli/target/ifpp.jar"
if [ -z "$KEYMAKER_JAR" ] || [ -z "$BROKER_JAR" ] || [ -z "$SIM_JAR" ] || [ -z "$DEMO_JAR" ] || [ ! -f "$IFPP_JAR" ]; then
  step "building the jars (./mvnw -q -B -DskipTests package)"
  ./mvnw -q -B -DskipTests package
  KEYMAKER_JAR="$(ls keymaker-service/target/keymaker-service-*.jar | grep -v original | head -1)"
  BROKER_JAR="$(ls factory-broker-service/target/factory-broker-service-*.jar | grep -v original | head -1)"
  SIM_JAR="$(ls euicc-simulator/target/euicc-simulator-*.jar | grep -v original | head -1)"
  DEMO_JAR="$(ls factory-demo/target/factory-demo-*.jar | grep -v original | head -1)"
fi
# The demo's orchestrator (factory-demo: embedded PostgreSQL, the flow, the scan); its lines are
# factory-line's, the driver a factory runs, used as a library.
DEMO=(java -XX:+UseParallelGC -jar "$DEMO_JAR")
step "jars: $(basename "$KEYMAKER_JAR") $(basename "$BROKER_JAR") $(basename "$SIM_JAR") $(basename "$DEMO_JAR")"

# ---------------------------------------------------------------------------------------------
say "secrets (random, this run only, in $out/secrets, never on a command line)"
HSM_PIN="$(secret)"
KM_OPERATOR_TOKEN="$(secret)"
KM_BROKER_ROLE_TOKEN="$(secret)"
KM_AUDITOR_TOKEN="$(secret)"
BROKER_KEYMAKER_TOKEN="$(secret)"
BROKER_SUPERVISOR_TOKEN="$(secret)"
printf '%s' "$HSM_PIN" >"$out/secrets/hsm-pin"
: >"$out/secrets/lines"
for i in $(seq 1 "$lines"); do echo "line-$i=$(secret)" >>"$out/secrets/lines"; done
printf '%s' "$KM_OPERATOR_TOKEN" >"$out/secrets/keymaker-operator-token"
printf '%s' "$KM_AUDITOR_TOKEN" >"$out/secrets/keymaker-auditor-token"
printf '%s' "$BROKER_SUPERVISOR_TOKEN" >"$out/secrets/broker-supervisor-token"
chmod 600 "$out/secrets"/*
step "HSM PIN, Key Maker operator, auditor and broker-role tokens, broker tokens for the Key Maker and $lines line(s)"

# TLS: a development PKI for this run (ifpp pki): a CA, a server certificate per service, a client
# certificate for the Key Maker and each line (subject CN = its broker client name), all 0600.
TLS="$out/secrets/tls"
SCHEME=https
CURL_TLS=(--cacert "$TLS/ca.crt")
KM_TLS=() BROKER_TLS=() SIM_TLS=() FLOW_TLS=() BROKER_MTLS=()
server_tls() { # name -> the Spring Boot SSL bundle "server" from the PKI's files
  echo "--server.ssl.bundle=server"
  echo "--spring.ssl.bundle.pem.server.keystore.certificate=file:$TLS/server/$1.crt"
  echo "--spring.ssl.bundle.pem.server.keystore.private-key=file:$TLS/server/$1.key"
}
if [ "$plain_http" = true ]; then
  SCHEME=http
  CURL_TLS=()
  KM_TLS=(--ifpp.web.plain-http=true) BROKER_TLS=(--ifpp.web.plain-http=true) SIM_TLS=(--ifpp.web.plain-http=true)
  step "plain HTTP (--plain-http): no TLS on any hop"
else
  java -jar "$IFPP_JAR" pki --out "$TLS" --lines-file "$out/secrets/lines" --days 2 | sed 's/^/   /'
  mapfile -t KM_TLS < <(server_tls keymaker)
  KM_TLS+=(
    --keymaker.broker.ssl-bundle=broker-client
    "--spring.ssl.bundle.pem.broker-client.truststore.certificate=file:$TLS/ca.crt"
    "--spring.ssl.bundle.pem.broker-client.keystore.certificate=file:$TLS/client/keymaker.crt"
    "--spring.ssl.bundle.pem.broker-client.keystore.private-key=file:$TLS/client/keymaker.key"
  )
  mapfile -t BROKER_TLS < <(server_tls broker)
  # Mutual TLS: a client certificate from the same CA, naming the token's client, on every /api/ call.
  BROKER_TLS+=(--server.ssl.client-auth=want "--spring.ssl.bundle.pem.server.truststore.certificate=file:$TLS/ca.crt")
  BROKER_MTLS=(IFPP_BROKER_CLIENT_CERTIFICATES=required)
  mapfile -t SIM_TLS < <(server_tls euicc-simulator)
  FLOW_TLS=(--tls-ca "$TLS/ca.crt" --tls-client-dir "$TLS/client")
fi

say "SoftHSM token"
SOFTHSM2_CONF="$(bash scripts/softhsm-token.sh --dir "$out/softhsm" --label ifpp-demo --pin-file "$out/secrets/hsm-pin" 2>"$LOGS/softhsm.log")"
export SOFTHSM2_CONF
step "token 'ifpp-demo' in $out/softhsm (SOFTHSM2_CONF=$SOFTHSM2_CONF)"

say "PostgreSQL (embedded binaries, no Docker)"
# Start-up bounds of 5 minutes: seconds on a quiet machine, but over a minute under a load average of
# 50 (2026-12-06); a process that dies is reported at once, so the bound only caps a hang.
start postgres "$LOGS/postgres.log" "${DEMO[@]}" postgres --data-dir "$out/pgdata" --port-file "$out/pg.port" keymaker broker
for _ in $(seq 1 600); do [ -s "$out/pg.port" ] && break; kill -0 "${PIDS[-1]}" 2>/dev/null || { tail "$LOGS/postgres.log" >&2; exit 1; }; sleep 0.5; done
[ -s "$out/pg.port" ] || { echo "PostgreSQL did not start; see $LOGS/postgres.log" >&2; exit 1; }
PG_PORT="$(cat "$out/pg.port")"
step "localhost:$PG_PORT, databases keymaker and broker"

say "Key Maker keys on the token (development CI; production: docs/key-ceremony.md)"
mkdir -p "$out/pki"
read -r -a KM_JAVA <<<"java $(svc_opt keymaker JAVA_EXTRA_OPTS)"
SOFTHSM2_CONF="$SOFTHSM2_CONF" KEYMAKER_HSM_PIN="$HSM_PIN" "${KM_JAVA[@]}" \
  -Dloader.main=org.ifpp.keymaker.bootstrap.BootstrapCommand -cp "$KEYMAKER_JAR" \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --token-label ifpp-demo --ci-out "$out/pki/keymaker-ci" --cert-out "$out/pki/binding-certificate.der" \
  >"$LOGS/keymaker-bootstrap.log" 2>&1 || { tail -20 "$LOGS/keymaker-bootstrap.log" >&2; exit 1; }
rm -f "$out/pki/keymaker-ci/ci-key.pem" # the development CI signs once; nobody needs its key again
step "binding key and key-encryption key generated inside the token; binding certificate in $out/pki"

KM_PORT="$(pick_port)"
BROKER_PORT="$(pick_port "$KM_PORT")"
SIM_PORT="$(pick_port "$KM_PORT" "$BROKER_PORT")"
KM_URL="$SCHEME://localhost:$KM_PORT"
BROKER_URL="$SCHEME://localhost:$BROKER_PORT"
SIM_URL="$SCHEME://localhost:$SIM_PORT"
JAVA_SVC=(java -XX:+UseParallelGC -Xss512k)
# JIT settings for a run of a few minutes (docs/demo.md): each service's
# SHORT_RUN_JAVA_OPTS in config/<service>.env, where the reason is written. A factory's
# long-running services would keep the JVM defaults. Override per service (word-split; empty for
# the JVM defaults): IFPP_DEMO_KEYMAKER_JAVA_OPTS, IFPP_DEMO_BROKER_JAVA_OPTS,
# IFPP_DEMO_SIMULATOR_JAVA_OPTS, IFPP_DEMO_LINE_JAVA_OPTS.
read -r -a KM_OPTS <<<"${IFPP_DEMO_KEYMAKER_JAVA_OPTS-$(svc_opt keymaker SHORT_RUN_JAVA_OPTS)}"
read -r -a BROKER_OPTS <<<"${IFPP_DEMO_BROKER_JAVA_OPTS-$(svc_opt broker SHORT_RUN_JAVA_OPTS)}"
read -r -a SIM_OPTS <<<"${IFPP_DEMO_SIMULATOR_JAVA_OPTS-$(svc_opt euicc-simulator SHORT_RUN_JAVA_OPTS)}"
read -r -a LINE_OPTS <<<"${IFPP_DEMO_LINE_JAVA_OPTS-$(svc_opt factory-line SHORT_RUN_JAVA_OPTS)}"

# ---------------------------------------------------------------------------------------------
say "services"
# The broker: the Key Maker's client and one client per line, created at first start.
mapfile -t broker_env < <(svc_env broker)
broker_env+=(
  SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PG_PORT/broker"
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD=postgres
  IFPP_BROKER_BOOTSTRAPCLIENTS_0_TOKEN="$BROKER_KEYMAKER_TOKEN"
  ${BROKER_MTLS[@]+"${BROKER_MTLS[@]}"}
)
i=1
while IFS='=' read -r name token; do
  broker_env+=(
    "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_NAME=$name"
    "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_TOKEN=$token"
    "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_SCOPES=$(svc_opt broker IFPP_BROKER_LINE_SCOPES)"
    "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_FACTORY=demo-factory"
    "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_LINE=$name"
  )
  i=$((i + 1))
done <"$out/secrets/lines"
# The factory supervisor: the broker's console (docs/console.md).
broker_env+=(
  "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_NAME=supervisor"
  "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_TOKEN=$BROKER_SUPERVISOR_TOKEN"
  "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_SCOPES=supervise"
)
start broker "$LOGS/broker.log" env "${broker_env[@]}" "${JAVA_SVC[@]}" ${BROKER_OPTS[@]+"${BROKER_OPTS[@]}"} -jar "$BROKER_JAR" \
  --server.port="$BROKER_PORT" "${BROKER_TLS[@]}"
BROKER_PID="${PIDS[-1]}"

# The simulator (also the EUM): its state in the output dir, fsync off: the fleet is throwaway, and
# on a real line each chip writes its own NVM, not the factory host's disk. The crash-safety of a
# destroyed one-time key is proved with fsync on by the simulator's tests (docs/euicc-simulator.md).
# An fsync per install doubles a chip's CPU per install and triples its time (docs/benchmarks.md,
# section 4).
mapfile -t sim_env < <(svc_env euicc-simulator)
start euicc-simulator "$LOGS/euicc-simulator.log" env ${sim_env[@]+"${sim_env[@]}"} "${JAVA_SVC[@]}" ${SIM_OPTS[@]+"${SIM_OPTS[@]}"} -jar "$SIM_JAR" \
  --server.port="$SIM_PORT" --ifpp.euicc.state-dir="$out/euicc-state" --ifpp.euicc.fsync=false \
  --ifpp.euicc.trusted-ci-certificates="$out/pki/keymaker-ci/ci.der" "${SIM_TLS[@]}"
SIM_PID="${PIDS[-1]}"
wait_ready euicc-simulator "$SIM_URL/actuator/health/readiness" "$SIM_PID" "$LOGS/euicc-simulator.log"
step "eUICC simulator ready on $SIM_URL"

# The Key Maker: the token, its keys (bootstrapped at first start), its database, the broker.
mapfile -t km_env < <(svc_env keymaker)
start keymaker "$LOGS/keymaker.log" env "${km_env[@]}" \
  SOFTHSM2_CONF="$SOFTHSM2_CONF" \
  KEYMAKER_HSM_PIN="$HSM_PIN" KEYMAKER_HSM_TOKEN_LABEL=ifpp-demo \
  KEYMAKER_DB_URL="jdbc:postgresql://localhost:$PG_PORT/keymaker" \
  KEYMAKER_DB_USER=postgres KEYMAKER_DB_PASSWORD=postgres \
  KEYMAKER_API_OPERATOR_TOKEN="$KM_OPERATOR_TOKEN" KEYMAKER_API_BROKER_TOKEN="$KM_BROKER_ROLE_TOKEN" \
  KEYMAKER_API_AUDITOR_TOKEN="$KM_AUDITOR_TOKEN" \
  KEYMAKER_BROKER_URL="$BROKER_URL" KEYMAKER_BROKER_TOKEN="$BROKER_KEYMAKER_TOKEN" \
  "${KM_JAVA[@]}" -XX:+UseParallelGC ${KM_OPTS[@]+"${KM_OPTS[@]}"} -jar "$KEYMAKER_JAR" --server.port="$KM_PORT" \
  --keymaker.trust.ci-certificates="$out/euicc-state/eum/ci.der" \
  --keymaker.broker.target-factory=demo-factory \
  --keymaker.audit.checkpoints.directory="$out/keymaker-audit-checkpoints" "${KM_TLS[@]}"
KM_PID="${PIDS[-1]}"
wait_ready broker "$BROKER_URL/actuator/health/readiness" "$BROKER_PID" "$LOGS/broker.log"
step "factory broker ready on $BROKER_URL"
wait_ready keymaker "$KM_URL/actuator/health/readiness" "$KM_PID" "$LOGS/keymaker.log"
step "Key Maker ready on $KM_URL"

# ---------------------------------------------------------------------------------------------
if [ "$transport" = pcsc ]; then
  say "PC/SC: a vpcd reader for each of the $((lines * stations)) stations"
  if IFPP_PCSC_DIR="$out/pcsc" bash scripts/pcsc.sh start $((lines * stations)) 2>"$LOGS/pcsc.log"; then
    pcsc_started=true
    pcsc_pid="$(cat "$out/pcsc/pcscd.pid")"
    step "$(tail -1 "$LOGS/pcsc.log")"
  else
    echo "PC/SC cannot start: $(tail -1 "$LOGS/pcsc.log")" >&2
    exit 1
  fi
  flow_opts+=(--chip-transport pcsc)
fi

say "the flow: $devices devices, $lines line(s)"
export DEMO_KEYMAKER_OPERATOR_TOKEN="$KM_OPERATOR_TOKEN"
# The line driver's JIT settings for a short run: SHORT_RUN_JAVA_OPTS in config/factory-line.env
# (IFPP_DEMO_LINE_JAVA_OPTS replaces them).
java -XX:+UseParallelGC ${LINE_OPTS[@]+"${LINE_OPTS[@]}"} -jar "$DEMO_JAR" demo-flow \
  --keymaker "$KM_URL" --broker "$BROKER_URL" --chips "$SIM_URL" \
  --lines-file "$out/secrets/lines" --devices "$devices" --stations "$stations" \
  --profiles "$PROFILES" --out "$out" --factory demo-factory --keymaker-ci "$out/pki/keymaker-ci/ci.der" \
  ${flow_opts[@]+"${flow_opts[@]}"} ${FLOW_TLS[@]+"${FLOW_TLS[@]}"} \
  --processes "keymaker=$KM_PID,broker=$BROKER_PID,euicc-simulator=$SIM_PID,postgres=$(head -1 "$out/pgdata/postmaster.pid" 2>/dev/null || echo 0)${pcsc_pid:+,pcscd=$pcsc_pid}" \
  2> >(tee "$LOGS/demo-flow.log" >&2)

# ---------------------------------------------------------------------------------------------
say "GENS09: no plain profile byte on the factory side"
pg_dump -h localhost -p "$PG_PORT" -U postgres -d broker --no-owner -f "$out/broker-dump.sql"
step "broker database dumped: $out/broker-dump.sql ($(du -h "$out/broker-dump.sql" | cut -f1))"
"${DEMO[@]}" scan --profiles "$PROFILES" "$out/broker-dump.sql" "$LOGS" \
  | sed 's/^/   /'

say "done"
if [ "$keep" = true ]; then
  # The consoles stay up: their addresses, and the files holding this run's throwaway logins.
  step "Key Maker console:     $KM_URL/console      (login: the operator token, in $out/secrets/keymaker-operator-token)"
  step "                       (the security officer: the auditor token, in $out/secrets/keymaker-auditor-token)"
  step "factory broker console: $BROKER_URL/console  (login: the supervisor token, in $out/secrets/broker-supervisor-token)"
fi
