#!/bin/sh
# Container entry point: turns compose secrets into environment variables, then runs the jar.
# Each file /run/secrets/NAME whose NAME is an environment-variable name (e.g. KEYMAKER_HSM_PIN)
# is exported as NAME=<content>; secrets never sit in the image or in the compose file.
#
# For the broker (IFPP_BROKER_LINE_CLIENTS=true), the LINES secret (NAME=TOKEN per line) also
# becomes bootstrap clients 1..N bound to factory IFPP_FACTORY, one per line, each with the scopes
# IFPP_BROKER_LINE_SCOPES (config/broker.env).
set -eu
if [ -d /run/secrets ]; then
  for f in /run/secrets/*; do
    [ -f "$f" ] || continue
    name="$(basename "$f")"
    case "$name" in
      *[!A-Z0-9_]*|[0-9]*) continue ;;
    esac
    export "$name=$(cat "$f")"
  done
fi
if [ "${IFPP_BROKER_LINE_CLIENTS:-false}" = true ] && [ -f /run/secrets/LINES ]; then
  i=1
  while IFS='=' read -r line token; do
    [ -n "$line" ] || continue
    export "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_NAME=$line"
    export "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_TOKEN=$token"
    export "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_SCOPES=${IFPP_BROKER_LINE_SCOPES:?config/broker.env}"
    export "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_FACTORY=${IFPP_FACTORY:-factory-1}"
    export "IFPP_BROKER_BOOTSTRAPCLIENTS_${i}_LINE=$line"
    i=$((i + 1))
  done < /run/secrets/LINES
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS ${JAVA_EXTRA_OPTS:-} -jar /app/app.jar "$@"
