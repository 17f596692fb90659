#!/usr/bin/env bash
# Static checks of the container stack, for CI and for machines without a Docker engine:
#  - docker-compose.yml is valid (docker compose config / docker-compose config), when either
#    tool is installed; skipped with a notice otherwise;
#  - every service built from docker/Dockerfile runs as a non-root user with a health check;
#  - no secret is baked into an image or written in the compose file (secrets come from files).
# No image is built and nothing is started here: that needs a Docker engine (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Placeholder secret files when missing, so that the config can be validated; removed after.
made=()
for s in postgres_password hsm_pin keymaker_operator_token keymaker_broker_role_token broker_keymaker_token lines; do
  f="demo-out/compose-secrets/$s"
  if [ ! -e "$f" ]; then mkdir -p "$(dirname "$f")"; : >"$f"; made+=("$f"); fi
done
trap 'rm -f "${made[@]:-}"' EXIT

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
grep -Eq '^FROM .* AS build' "$df" && grep -Eq '^FROM eclipse-temurin:17-jre' "$df" && ok "$df: multi-stage, JRE runtime" || bad "$df: not multi-stage"
if grep -Eiq '^(ENV|ARG).*(PIN|TOKEN|PASSWORD|SECRET)' "$df"; then bad "$df: a secret-looking ENV/ARG"; else ok "$df: no secret in ENV/ARG"; fi
if grep -E '^\s+[A-Z_]*(PIN|TOKEN|PASSWORD)[A-Z_]*:\s*\S' docker-compose.yml | grep -Ev '_(FILE|LABEL):'; then
  bad "docker-compose.yml: a secret value written in the file (above)"
else
  ok "docker-compose.yml: secrets only as compose secrets"
fi
for svc in euicc-simulator factory-broker keymaker; do
  grep -q "^  $svc:" docker-compose.yml && ok "service $svc present" || bad "service $svc missing"
done
exit $fail
