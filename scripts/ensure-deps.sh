#!/usr/bin/env bash
# Installs what the tests and the demo need when it is missing: SoftHSM2 (PKCS#11 token for the Key
# Maker) and OpenSC's pkcs11-tool (initialises it, scripts/softhsm-token.sh), the PostgreSQL client
# tools, Chromium and chromium-driver (the consoles' browser tests). Idempotent; safe to run on
# every build.
# Tests and the demo use a real PostgreSQL: zonky embedded-postgres binaries by default (no Docker,
# nothing to install), Testcontainers where a Docker engine answers.
set -euo pipefail

need=()
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
[ -e /usr/lib/softhsm/libsofthsm2.so ] || need+=(softhsm2)
# Without its recommended pcscd: scripts/pcsc.sh runs its own for the PC/SC demo.
bare=()
command -v pkcs11-tool >/dev/null 2>&1 || bare+=(opensc)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
# The consoles' browser tests (*ConsoleBrowserIT): Debian's headless Chromium and its WebDriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)

all=(${need[@]+"${need[@]}"} ${bare[@]+"${bare[@]}"})
if [ ${#all[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "missing: ${all[*]}; install them with: sudo apt-get install -y ${all[*]}" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing: ${all[*]}"
  $SUDO apt-get update -qq
  [ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  [ ${#bare[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${bare[@]}" >/dev/null
fi
echo "softhsm2: $(softhsm2-util --version)"
