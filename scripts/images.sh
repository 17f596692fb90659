#!/usr/bin/env bash
# Builds the container images of docker-compose.yml from jars built here, on the host:
#   1. the base images (scripts/base-images.sh: public ones, or local stand-ins offline);
#   2. the runnable jars (`./mvnw -o package -DskipTests` for the five modules; --no-maven to reuse
#      the jars already in */target), staged as build-out/docker/<module>.jar;
#   3. ifpp/<module>:dev from docker/Dockerfile with the classic builder (DOCKER_BUILDKIT=0: no
#      buildx needed), one shared layer up to the jar.
# Prints the chosen base images as shell assignments on stdout, like scripts/base-images.sh:
#
#   eval "$(scripts/images.sh)" && docker compose up -d
set -euo pipefail
cd "$(dirname "$0")/.."
maven=true
[ "${1:-}" = --no-maven ] && maven=false
log() { echo "images: $*" >&2; }
modules=(keymaker-service factory-broker-service euicc-simulator factory-demo factory-line)

bases="$(bash scripts/base-images.sh)"
eval "$bases"

if $maven; then
  log "building the jars (./mvnw package -DskipTests)"
  ./mvnw -q -B -o package -DskipTests -Dspotless.check.skip=true \
    -pl "$(IFS=,; echo "${modules[*]}")" -am >&2
fi
mkdir -p build-out/docker
for m in "${modules[@]}"; do
  if [ "$m" = factory-line ]; then
    jar=(factory-line/target/factory-line-*-exec.jar)
  else
    jar=("$m"/target/"$m"-*[0-9T].jar)
  fi
  [ -f "${jar[0]}" ] || { log "no jar for $m in $m/target (build it, or drop --no-maven)"; exit 1; }
  cp "${jar[0]}" "build-out/docker/$m.jar"
done

for m in "${modules[@]}"; do
  log "ifpp/$m:dev"
  DOCKER_BUILDKIT=0 docker build -q -f docker/Dockerfile \
    --build-arg "JRE_IMAGE=$IFPP_JRE_IMAGE" --build-arg "MODULE=$m" -t "ifpp/$m:dev" . >&2
done
echo "$bases"
