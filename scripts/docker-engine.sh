#!/usr/bin/env bash
# A Docker engine for CI: `start` uses the engine that answers (DOCKER_HOST or the default socket)
# or, when none does, installs Debian's docker.io if needed and starts dockerd as root (on
# DOCKER_HOST's unix socket when set), waiting up to 60 s for it; `stop` stops only a dockerd that
# `start` started (its pid file), never another.
#
#   scripts/docker-engine.sh start && trap 'scripts/docker-engine.sh stop' EXIT
set -euo pipefail
state=/run/ifpp-ci-dockerd
case "${1:-}" in
  start)
    if docker info >/dev/null 2>&1; then
      echo "docker engine: one answers already (left running at the end)"
      exit 0
    fi
    if ! command -v dockerd >/dev/null 2>&1; then
      [ "$(id -u)" -eq 0 ] || { echo "docker engine: none answers and not root" >&2; exit 1; }
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    mkdir -p "$state"
    # On DOCKER_HOST when it names a unix socket (an engine of one's own beside the default one).
    host=()
    case "${DOCKER_HOST:-}" in unix://*) host=(-H "$DOCKER_HOST") ;; esac
    setsid dockerd "${host[@]}" --pidfile "$state/dockerd.pid" >"$state/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
      if docker info >/dev/null 2>&1; then
        echo "docker engine: dockerd started (pid $(cat "$state/dockerd.pid"), log $state/dockerd.log)"
        exit 0
      fi
      sleep 1
    done
    echo "docker engine: dockerd did not answer within 60 s; its log:" >&2
    tail -20 "$state/dockerd.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$state/dockerd.pid" ] || exit 0
    pid="$(cat "$state/dockerd.pid")"
    kill "$pid" 2>/dev/null || echo "docker engine: dockerd $pid had already exited"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    rm -f "$state/dockerd.pid"
    echo "docker engine: dockerd $pid stopped"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
