#!/usr/bin/env bash
# Chooses the base images of the container stack and prints them as shell assignments:
#
#   eval "$(scripts/base-images.sh)"    # then docker build / docker compose use them
#
# IFPP_JRE_IMAGE (runtime of docker/Dockerfile) and IFPP_POSTGRES_IMAGE (docker-compose.yml) keep
# their public defaults (eclipse-temurin:17-jre, postgres:16-alpine) when those are present or pull
# within IFPP_PULL_TIMEOUT seconds (default 60). Otherwise, on a machine that cannot reach a public
# image registry, a local stand-in is built from Debian bookworm packages with mmdebstrap (about two
# minutes each, once) and chosen instead:
#   ifpp-standin/jre:17         openjdk-17-jre-headless (plus passwd for useradd)
#   ifpp-standin/postgres:15    postgresql-15, docker/standin/postgres-entrypoint.sh
# The stand-ins carry their own names: nothing is tagged as a public image, so a connected user's
# build never picks one up by accident. An IFPP_*_IMAGE already set in the environment is kept.
# Needs a Docker engine; runs as root to build a stand-in (mmdebstrap is installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
timeout_s="${IFPP_PULL_TIMEOUT:-60}"
log() { echo "base-images: $*" >&2; }

present() { docker image inspect "$1" >/dev/null 2>&1; }
pullable() { timeout "$timeout_s" docker pull -q "$1" >/dev/null 2>&1; }

need_mmdebstrap() {
  command -v mmdebstrap >/dev/null 2>&1 && return
  log "installing mmdebstrap"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >&2
}

build_jre() {
  need_mmdebstrap
  mmdebstrap --variant=apt --include=openjdk-17-jre-headless,passwd \
    --customize-hook='chroot "$1" apt-get clean' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
    bookworm - | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["java", "-version"]' \
    - ifpp-standin/jre:17 >/dev/null
}

build_postgres() {
  need_mmdebstrap
  # No default cluster: the entry point runs initdb in PGDATA on first start.
  mmdebstrap --variant=apt --include=postgresql-15 \
    --essential-hook='mkdir -p "$1"/etc/postgresql-common && echo "create_main_cluster = false" >"$1"/etc/postgresql-common/createcluster.conf' \
    --customize-hook='copy-in docker/standin/postgres-entrypoint.sh /usr/local/bin' \
    --customize-hook='chroot "$1" sh -c "mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 700 /var/lib/postgresql/data"' \
    --customize-hook='chroot "$1" apt-get clean' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
    bookworm - | docker import \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'USER postgres' \
    --change 'EXPOSE 5432' \
    --change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]' \
    --change 'CMD ["postgres"]' \
    - ifpp-standin/postgres:15 >/dev/null
}

# choose VAR PUBLIC STANDIN BUILDER
choose() {
  local var="$1" public="$2" standin="$3" builder="$4" t0
  if [ -n "${!var:-}" ]; then
    log "$var=${!var} (set by the caller)"
  elif present "$public" || pullable "$public"; then
    log "$var=$public (public image)"
    printf -v "$var" '%s' "$public"
  else
    if present "$standin"; then
      log "$public cannot be pulled; $standin already built"
    else
      log "$public cannot be pulled within ${timeout_s}s; building the stand-in $standin"
      t0=$(date +%s)
      "$builder"
      log "$standin built in $(($(date +%s) - t0)) s"
    fi
    printf -v "$var" '%s' "$standin"
  fi
  echo "export $var=${!var}"
}

docker info >/dev/null 2>&1 || { log "no Docker engine answers"; exit 1; }
choose IFPP_JRE_IMAGE eclipse-temurin:17-jre ifpp-standin/jre:17 build_jre
choose IFPP_POSTGRES_IMAGE postgres:16-alpine ifpp-standin/postgres:15 build_postgres
