#!/usr/bin/env bash
# Static checks of the container stack, fast and without a Docker engine (CI's first container
# step; scripts/compose-ci.sh then builds and runs the stack where an engine can be started):
#  - docker-compose.yml is valid (docker compose config / docker-compose config), when either
#    tool is installed; skipped with a notice otherwise;
#  - docker/Dockerfile builds with the classic builder (no BuildKit-only syntax), takes its base
#    image as a build argument with a public default, runs as a non-root user with a health check,
#    shares the apt layer between modules (ARG MODULE after it) and hides no failure (|| true);
#  - every service is hardened (read-only root, no-new-privileges, all capabilities dropped, a
#    memory limit), publishes its ports on IFPP_BIND_ADDRESS (default 127.0.0.1) only, and gets
#    its secrets as files: no secret value in the compose file or in the Dockerfile; every service
#    serves HTTPS and every URL is https (no IFPP_WEB_PLAIN_HTTP);
#  - two of each: keymaker-2 and factory-broker-2 on the first instance's database (keymaker-2 on
#    the same token, its own audit checkpoints), factory-demo's lines over both brokers.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Placeholder secret files when missing, so that the config can be validated; removed after.
# Every secret file the compose file names, and the lines' certificates (a directory).
made=()
for f in $(sed -n 's#^ *file: \./\(demo-out/compose-secrets/.*\)$#\1#p' docker-compose.yml) demo-out/compose-secrets/tls/lines; do
  [ -e "$f" ] && continue
  mkdir -p "$(dirname "$f")"
  case "$f" in */tls/lines) mkdir "$f" ;; *) : >"$f" ;; esac
  made+=("$f")
done
trap 'rm -rf "${made[@]:-}"; find demo-out/compose-secrets -type d -empty -delete 2>/dev/null || true' EXIT

if docker compose version >/dev/null 2>&1; then
  docker compose config -q && ok "docker compose config" || bad "docker compose config"
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q && ok "docker-compose config" || bad "docker-compose config"
else
  echo "skip docker compose config: neither 'docker compose' nor 'docker-compose' is installed"
fi

df=docker/Dockerfile
grep -Eq '^USER +[a-z]' "$df" && ! grep -Eq '^USER +(root|0)\b' "$df" && ok "$df: non-root USER" || bad "$df: no non-root USER"
grep -q '^HEALTHCHECK' "$df" && grep -q '/actuator/health/readiness' "$df" && ok "$df: HEALTHCHECK on readiness" || bad "$df: no readiness HEALTHCHECK"
grep -Eq '^ARG JRE_IMAGE=eclipse-temurin:17-jre$' "$df" && grep -Eq '^FROM \$\{JRE_IMAGE\}' "$df" \
  && ok "$df: base image a build argument, public default" || bad "$df: base image not ARG JRE_IMAGE=eclipse-temurin:17-jre"
if grep -Eq -- '--mount=|--chmod=|^# *syntax=|<<' "$df"; then bad "$df: BuildKit-only syntax (classic builder)"; else ok "$df: classic builder syntax"; fi
if grep -Eq '\|\| *true' "$df"; then bad "$df: '|| true' hides a failure"; else ok "$df: no '|| true'"; fi
apt=$(grep -n 'apt-get install' "$df" | head -1 | cut -d: -f1)
arg=$(grep -n '^ARG MODULE' "$df" | head -1 | cut -d: -f1)
[ -n "$apt" ] && [ -n "$arg" ] && [ "$arg" -gt "$apt" ] && ok "$df: ARG MODULE after the apt step (one shared layer)" || bad "$df: ARG MODULE before the apt step"
if grep -Eiq '^(ENV|ARG).*(PIN|TOKEN|PASSWORD|SECRET)' "$df"; then bad "$df: a secret-looking ENV/ARG"; else ok "$df: no secret in ENV/ARG"; fi
if grep -E '^\s+[A-Z_]*(PIN|TOKEN|PASSWORD)[A-Z_]*:\s*\S' docker-compose.yml | grep -Ev '_(FILE|LABEL):'; then
  bad "docker-compose.yml: a secret value written in the file (above)"
else
  ok "docker-compose.yml: secrets only as compose secrets"
fi

# Per-service rules on the parsed file (anchors and merge keys resolved by PyYAML).
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - <<'PY' || fail=1
import re, sys, yaml
services = yaml.safe_load(open("docker-compose.yml"))["services"]
bad = []
for name in ("postgres", "hsm-init", "euicc-simulator", "factory-broker", "factory-broker-2",
             "keymaker", "keymaker-2", "factory-demo"):
    if name not in services:
        bad.append(f"service {name} missing")
for name, s in services.items():
    if s.get("read_only") is not True:
        bad.append(f"{name}: root filesystem not read_only")
    if "no-new-privileges:true" not in (s.get("security_opt") or []):
        bad.append(f"{name}: no no-new-privileges")
    if "ALL" not in (s.get("cap_drop") or []):
        bad.append(f"{name}: capabilities not dropped (cap_drop: [ALL])")
    if not s.get("mem_limit"):
        bad.append(f"{name}: no mem_limit")
    for p in s.get("ports") or []:
        if not str(p).startswith("${IFPP_BIND_ADDRESS:-127.0.0.1}:"):
            bad.append(f"{name}: port {p} not bound to ${{IFPP_BIND_ADDRESS:-127.0.0.1}}")
    env = s.get("environment") or {}
    for k, v in (env.items() if isinstance(env, dict) else []):
        if re.search(r"PIN|TOKEN|PASSWORD|SECRET", k) and not re.search(r"_(FILE|LABEL)$", k):
            bad.append(f"{name}: secret-looking environment variable {k}")
    # TLS on every hop (docs/operations.md, TLS): no plain HTTP by setting or by URL.
    if "IFPP_WEB_PLAIN_HTTP" in env or "http://" in str(s):
        bad.append(f"{name}: plain HTTP (IFPP_WEB_PLAIN_HTTP or an http:// URL)")
for name in ("euicc-simulator", "factory-broker", "factory-broker-2", "keymaker", "keymaker-2"):
    if (services.get(name, {}).get("environment") or {}).get("SERVER_SSL_BUNDLE") != "server":
        bad.append(f"{name}: no TLS (SERVER_SSL_BUNDLE=server)")
# Two of each (docs/operations.md): the second instance on the first one's database, the Key
# Makers on one token, each its own audit checkpoints; the lines over both brokers.
def env(name):
    return services.get(name, {}).get("environment") or {}
for first, second, db in (("factory-broker", "factory-broker-2", "SPRING_DATASOURCE_URL"),
                          ("keymaker", "keymaker-2", "KEYMAKER_DB_URL")):
    if not env(first).get(db) or env(first).get(db) != env(second).get(db):
        bad.append(f"{second}: not on {first}'s database ({db})")
volumes = {n: set(services.get(n, {}).get("volumes") or []) for n in ("keymaker", "keymaker-2")}
if not any(v.startswith("hsm-tokens:") for v in volumes["keymaker-2"]):
    bad.append("keymaker-2: not on the Key Maker's token volume (hsm-tokens)")
checkpoints = [{v for v in volumes[n] if "audit-checkpoints" in v} for n in volumes]
if checkpoints[0] & checkpoints[1]:
    bad.append("keymaker-2: shares keymaker's audit checkpoint volume")
demo = " ".join(map(str, services.get("factory-demo", {}).get("command") or []))
if "https://factory-broker:8080,https://factory-broker-2:8080" not in demo:
    bad.append("factory-demo: its lines are not spread over both brokers (--broker)")
for b in bad:
    print("FAIL " + b)
if not bad:
    print(f"ok   docker-compose.yml: {len(services)} services read-only, no-new-privileges, cap_drop ALL,"
          " memory-limited, ports on 127.0.0.1 by default, no secret in the environment, TLS on every hop;"
          " two Key Makers and two brokers, each pair on one database, the lines over both brokers")
sys.exit(1 if bad else 0)
PY
else
  echo "skip per-service compose rules: python3 with PyYAML is not installed"
fi
exit $fail
