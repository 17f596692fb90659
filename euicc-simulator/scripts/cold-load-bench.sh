#!/usr/bin/env bash
# A fresh simulator JVM (the demo's flags, fsync off) answers N raw loads from 8 connections; prints
# the simulator's CPU in that window, total and of its JIT compiler threads, per load
# (docs/euicc-simulator.md, section 6). Usage, from the repository root after
# `./mvnw -q -B -DskipTests -pl euicc-simulator -am package` and a test-compile with ${CP_FILE:-/tmp/cp-sim.txt}:
#   euicc-simulator/scripts/cold-load-bench.sh <work-dir> [loads=10000] [threads=8]
# The first run prepares <work-dir>/fleet (chips and bound packages, once); every run loads a
# fresh copy of it. SIM_OPTS overrides the JIT flags (default: the demo's directive); EXTRA_OPTS
# adds flags (e.g. JFR). BENCH_KEY=N binds each package to the chip's key N (0..3, at prepare:
# use a fresh <work-dir> per N); BENCH_KEY_ID=true sends each package's key id (X-Bpp-Euicc-Otpk).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$1"; loads="${2:-10000}"; threads="${3:-8}"
jar="${JAR:-$(ls "$root"/euicc-simulator/target/euicc-simulator-*.jar | grep -v original | head -1)}"
cp="$root/euicc-simulator/target/test-classes:$root/euicc-simulator/target/classes:$root/common-crypto/target/classes:$(tr ':' '\n' <"${CP_FILE:-/tmp/cp-sim.txt}" | grep -v common-crypto | paste -sd:)"
fleet="$work/fleet"
if [ ! -f "$fleet/packages.bin" ]; then
  mkdir -p "$fleet"
  java -Difpp.test-data.dir="$root/test-data" -Dbench.key="${BENCH_KEY:-0}" -cp "$cp" org.ifpp.euicc.web.ColdLoadBenchmark prepare "$fleet" "$loads" >"$work/prepare.log" 2>&1
fi
run="$work/run"; rm -rf "$run"; mkdir -p "$run"; cp -a "$fleet/state" "$run/state"
sim_opts="${SIM_OPTS--XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$root/scripts/jit/c2-for-jdk-crypto-only.json}"
port=$((20000 + RANDOM % 20000))
# shellcheck disable=SC2086
java -XX:+UseParallelGC -Xss512k $sim_opts ${EXTRA_OPTS:-} -jar "$jar" --server.port=$port \
  --ifpp.euicc.state-dir="$run/state" --ifpp.euicc.fsync=false --ifpp.web.plain-http=true \
  --ifpp.euicc.trusted-ci-certificates="$fleet/ci.der" >"$run/sim.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1 && break; sleep 0.5
done
sleep 1
cpu() { # total jit gc user, in clock ticks
  awk '{print $14+$15}' /proc/$pid/stat
  local j=0 g=0
  for t in /proc/$pid/task/*; do
    local s; s="$(cat "$t/stat" 2>/dev/null)" || continue
    local comm="${s#*(}"; comm="${comm%%)*}"; local rest="${s##*) }"
    local v; v=$(echo "$rest" | awk '{print $12+$13}')
    case "$comm" in C1\ CompilerThre*|C2\ CompilerThre*) j=$((j+v));; GC\ Thread*|ParGC*|VM\ Thread) g=$((g+v));; esac
  done
  echo $j; echo $g
  awk '{print $14}' /proc/$pid/stat
}
read -r -d '' t0 j0 g0 u0 < <(cpu; printf '\0') || true
up0="$(cut -d' ' -f1 /proc/loadavg)"
java -Dbench.key-id="${BENCH_KEY_ID:-false}" -cp "$cp" org.ifpp.euicc.web.ColdLoadBenchmark send "$fleet" $port "$threads" | tee "$run/send.log"
read -r -d '' t1 j1 g1 u1 < <(cpu; printf '\0') || true
up1="$(cut -d' ' -f1 /proc/loadavg)"
hz=$(getconf CLK_TCK)
awk -v t=$((t1-t0)) -v j=$((j1-j0)) -v g=$((g1-g0)) -v u=$((u1-u0)) -v n="$loads" -v hz="$hz" -v a="$up0" -v b="$up1" \
  'BEGIN{printf "simulator CPU %.2f s (user %.2f, JIT %.2f, GC/VM %.2f) = %.3f ms/load (JIT %.3f, non-JIT %.3f); load %s -> %s\n", t/hz, u/hz, j/hz, g/hz, t/hz*1000/n, j/hz*1000/n, (t-j)/hz*1000/n, a, b}'
if [ -n "${THREADS:-}" ]; then # per thread name: user and system seconds since start
  for t in /proc/$pid/task/*; do s="$(cat "$t/stat")"; c="${s#*(}"; c="${c%%)*}"; r="${s##*) }"
    echo "$r" | awk -v c="${c%%-[0-9]*}" -v hz="$hz" '{printf "%s\t%.2f\t%.2f\n", c, $12/hz, $13/hz}'; done |
    awk -F'\t' '{u[$1]+=$2; s[$1]+=$3} END {for (k in u) printf "%-24s user %6.2f sys %6.2f\n", k, u[k], s[k]}' | sort -k5 -nr | head -12
fi
cat /proc/$pid/task/*/status | awk '/^voluntary_ctxt/{v+=$2} /^nonvoluntary_ctxt/{n+=$2} END {printf "context switches since start: %d voluntary, %d involuntary\n", v, n}'
kill $pid; wait $pid 2>/dev/null || true
