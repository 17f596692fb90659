#!/usr/bin/env bash
# Creates a throwaway SoftHSM2 token, found later by its LABEL (the slot id is random on every
# init), in a directory of its own: its own softhsm2.conf (objectstore.backend = file; the SQLite
# backend has open concurrency bugs upstream) and its own token directory. Prints the path of the
# config file on stdout; point SOFTHSM2_CONF at it before the PKCS#11 library is loaded.
#
# Used by the Key Maker's integration tests, the demo and CI. Never for production: a production
# HSM is initialised in a key ceremony (docs/key-ceremony.md).
#
# usage: softhsm-token.sh --dir DIR --label LABEL [--pin PIN | --pin-file FILE] [--so-pin SOPIN]
#                         [--fresh]
#   Several tokens may share one DIR (one config, one token directory); an existing token with the
#   same label is left as it is (idempotent). --fresh first deletes DIR's tokens and config.
#   SoftHSM reads its config and lists its tokens once, when a process loads it: create every token
#   a process needs before that process starts.
set -euo pipefail

dir="" label="" pin="" pin_file="" so_pin="" fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --pin) pin="$2"; shift 2 ;;
    --pin-file) pin_file="$2"; shift 2 ;;
    --so-pin) so_pin="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -n "$label" ] || { echo "usage: $0 --dir DIR --label LABEL [--pin PIN|--pin-file FILE]" >&2; exit 2; }
if [ -z "$pin" ] && [ -n "$pin_file" ]; then pin="$(tr -d '\r\n' < "$pin_file")"; fi
[ -n "$pin" ] || { echo "a user PIN is required (--pin or --pin-file)" >&2; exit 2; }
# The SO PIN of a throwaway token is not worth remembering: random unless given.
[ -n "$so_pin" ] || so_pin="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

command -v softhsm2-util >/dev/null || { echo "softhsm2-util not found (run scripts/ensure-deps.sh)" >&2; exit 1; }

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
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >/dev/null
  echo "token '$label' created in $dir" >&2
fi
echo "$conf"
