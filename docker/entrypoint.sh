#!/bin/sh
# Container entry point: runs the jar. Secrets stay in files: compose mounts each one under
# /run/secrets with the name of the Spring property it sets (e.g. spring.datasource.password), and
# the service reads that directory itself as a config tree (SPRING_CONFIG_IMPORT, set in
# docker-compose.yml), so no secret enters the process environment or a command line.
#
# The broker's bootstrap clients (IFPP_BROKER_BOOTSTRAP_FILES=true) are a list, which Spring takes
# whole from one source: client 0 (the Key Maker: IFPP_BROKER_BOOTSTRAPCLIENTS_0_NAME and _SCOPES
# from config/broker.env, its token from /run/secrets/keymaker-client-token) and one client per
# line of /run/secrets/lines (NAME=TOKEN; scopes IFPP_BROKER_LINE_SCOPES, factory IFPP_FACTORY) are
# written to a properties file on the private tmpfs /tmp (mode 600) that the broker imports.
set -eu
if [ "${IFPP_BROKER_BOOTSTRAP_FILES:-false}" = true ]; then
  for f in keymaker-client-token lines; do
    [ -f "/run/secrets/$f" ] || { echo "entrypoint: secret /run/secrets/$f is missing" >&2; exit 1; }
  done
  clients=/tmp/ifpp-bootstrap-clients.properties
  umask 077
  {
    echo "ifpp.broker.bootstrap-clients[0].name=${IFPP_BROKER_BOOTSTRAPCLIENTS_0_NAME:?config/broker.env}"
    echo "ifpp.broker.bootstrap-clients[0].scopes=${IFPP_BROKER_BOOTSTRAPCLIENTS_0_SCOPES:?config/broker.env}"
    echo "ifpp.broker.bootstrap-clients[0].token=$(cat /run/secrets/keymaker-client-token)"
    i=1
    while IFS='=' read -r line token; do
      [ -n "$line" ] || continue
      p="ifpp.broker.bootstrap-clients[$i]"
      echo "$p.name=$line"
      echo "$p.token=$token"
      echo "$p.scopes=${IFPP_BROKER_LINE_SCOPES:?config/broker.env}"
      echo "$p.factory=${IFPP_FACTORY:?docker-compose.yml}"
      echo "$p.line=$line"
      i=$((i + 1))
    done </run/secrets/lines
  } >"$clients"
  # The environment's list would win over the file's (a list binds from one source only).
  unset IFPP_BROKER_BOOTSTRAPCLIENTS_0_NAME IFPP_BROKER_BOOTSTRAPCLIENTS_0_SCOPES
  SPRING_CONFIG_IMPORT="${SPRING_CONFIG_IMPORT:+$SPRING_CONFIG_IMPORT,}file:$clients"
  export SPRING_CONFIG_IMPORT
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS ${JAVA_EXTRA_OPTS:-} -jar /app/app.jar "$@"
