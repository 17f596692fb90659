#!/usr/bin/env bash
# Creates a throwaway SoftHSM2 token, found later by its LABEL (the slot id is random on every
# init), in a directory of its own: its own softhsm2.conf (objectstore.backend = file; the SQLite
# backend has open concurrency bugs upstream) and its own token directory. Prints the path of the
# config file on stdout; point SOFTHSM2_CONF at it before the PKCS#11 library is loaded.
#
# Used by the Key Maker's integration tests, the demo and CI. Never for production: a production
# HSM is initialised in a key ceremony (docs/key-ceremony.md).
#
# usage: softhsm-token.sh --dir DIR --label LABEL (--pin-file FILE | --pin-env NAME) [--fresh]
#   The user PIN comes from a file or from the environment variable NAME, never from the command
#   line (any local user can read a process's arguments); the SO PIN is random and forgotten. The
#   token is initialised through OpenSC's pkcs11-tool, which reads both PINs from its environment
#   (softhsm2-util takes them only as arguments or from a terminal).
#   Several tokens may share one DIR (one config, one token directory); an existing token with the
#   same label is left as it is (idempotent). --fresh first deletes DIR's tokens and config.
#   SoftHSM reads its config and lists its tokens once, when a process loads it: create every token
#   a process needs before that process starts.
set -euo pipefail

dir="" label="" pin="" pin_file="" pin_env="" fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --pin-file) pin_file="$2"; shift 2 ;;
    --pin-env) pin_env="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
usage="usage: $0 --dir DIR --label LABEL (--pin-file FILE | --pin-env NAME) [--fresh]"
[ -n "$dir" ] && [ -n "$label" ] || { echo "$usage" >&2; exit 2; }
if [ -n "$pin_file" ]; then
  pin="$(tr -d '\r\n' < "$pin_file")"
elif [ -n "$pin_env" ]; then
  pin="${!pin_env:-}"
fi
[ -n "$pin" ] || { echo "a user PIN is required (--pin-file FILE, or --pin-env NAME with NAME set)" >&2; exit 2; }
module="${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"

command -v softhsm2-util >/dev/null || { echo "softhsm2-util not found (run scripts/ensure-deps.sh)" >&2; exit 1; }
command -v pkcs11-tool >/dev/null || { echo "pkcs11-tool not found (OpenSC; run scripts/ensure-deps.sh)" >&2; exit 1; }

if [ "$fresh" = 1 ] && [ -d "$dir" ]; then
  rm -rf -- "$dir/tokens" "$dir/softhsm2.conf"
fi
mkdir -p "$dir/tokens"
dir="$(cd "$dir" && pwd)"
conf="$dir/softhsm2.conf"
if [ ! -f "$conf" ]; then
  cat > "$conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
CONF
fi
export SOFTHSM2_CONF="$conf"

slots="$(softhsm2-util --show-slots 2>/dev/null || true)"
if grep -Eq "^[[:space:]]*Label:[[:space:]]+${label}[[:space:]]*$" <<<"$slots"; then
  echo "token '$label' already exists in $dir" >&2
else
  # SoftHSM keeps one uninitialised token in the last slot listed.
  free="$(awk '/^Slot /{slot=$2} /^[[:space:]]*Initialized:[[:space:]]*no/{free=slot} END{print free}' <<<"$slots")"
  [ -n "$free" ] || { echo "no free SoftHSM slot in $dir" >&2; exit 1; }
  IFPP_TOKEN_SO_PIN="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" IFPP_TOKEN_PIN="$pin"
  export IFPP_TOKEN_SO_PIN IFPP_TOKEN_PIN
  pkcs11-tool --module "$module" --slot "$free" --init-token --label "$label" \
    --so-pin env:IFPP_TOKEN_SO_PIN >/dev/null
  pkcs11-tool --module "$module" --token-label "$label" --login --login-type so \
    --so-pin env:IFPP_TOKEN_SO_PIN --init-pin --new-pin env:IFPP_TOKEN_PIN >/dev/null
  unset IFPP_TOKEN_SO_PIN IFPP_TOKEN_PIN
  echo "token '$label' created in $dir" >&2
fi
echo "$conf"
