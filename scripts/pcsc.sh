#!/usr/bin/env bash
# pcsc.sh: our own pcscd with N virtual readers (vsmartcard's vpcd) for the PC/SC chip transport.
#
#   scripts/pcsc.sh start [N]   install pcscd and vsmartcard-vpcd where missing (Debian/Ubuntu),
#                               start pcscd with N vpcd readers on TCP ports 35963.. (default 4;
#                               rounded up to even: a vpcd reader entry has two slots)
#   scripts/pcsc.sh stop        stop the pcscd this script started (and only that one)
#   scripts/pcsc.sh status      say whether ours runs and on which ports
#
# pcscd is machine-global (one socket, /run/pcscd/pcscd.comm): start refuses when another pcscd
# runs. Port 35963+k is reader "Virtual PCD 0<k/2> 0<k%2>" (00 00, 00 01, 01 00, ...); a card (`ifpp chip --vpcd`,
# the simulator's readers API) connects to its reader's port. Prints one line saying why when
# PC/SC cannot start. IFPP_PCSC_DIR (default /tmp/ifpp-pcsc) holds the config, pid and log.
set -euo pipefail
dir="${IFPP_PCSC_DIR:-/tmp/ifpp-pcsc}"
first_port=35963
pidfile="$dir/pcscd.pid"

sudo_cmd() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

ours_running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

install_missing() {
  local missing=()
  command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || missing+=(pcscd)
  [ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || missing+=(vsmartcard-vpcd)
  local libs; libs="$(ldconfig -p 2>/dev/null || true)"
  grep -q libpcsclite.so.1 <<<"$libs" || missing+=(libpcsclite1)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "pcsc: ${missing[*]} missing and no apt-get to install them" >&2; return 1
  fi
  echo "pcsc: installing ${missing[*]}" >&2
  sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { sudo_cmd apt-get update -qq >/dev/null 2>&1 && sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } \
    || { echo "pcsc: cannot install ${missing[*]} (need root or sudo)" >&2; return 1; }
}

start() {
  local n="${1:-4}"
  if ours_running; then echo "pcsc: ours already runs (pid $(cat "$pidfile"))" >&2; return 0; fi
  install_missing || return 1
  if pgrep -x pcscd >/dev/null; then
    echo "pcsc: another pcscd runs (pid $(pgrep -x pcscd | head -1)); not starting a second one" >&2; return 1
  fi
  [ "$(id -u)" -eq 0 ] || { echo "pcsc: pcscd must be started as root (its socket is in /run/pcscd)" >&2; return 1; }
  mkdir -p "$dir/reader.conf.d"
  rm -f "$dir/reader.conf.d/"*
  # Debian's vpcd entry (/etc/reader.conf.d/vpcd), once per two readers: each entry is a reader
  # with two slots listening on its port and the next ("Virtual PCD 0i 00" and "Virtual PCD 0i 01").
  n=$(( (n + 1) / 2 * 2 ))
  for ((i = 0; i < n / 2; i++)); do
    name="Virtual PCD"; [ "$i" -eq 0 ] || name="Virtual PCD $i"
    # The driver keeps its slots in globals: pcscd shares one loaded copy between entries naming the
    # same file, and then only the last entry's readers answer. A copy per entry keeps them apart.
    lib=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
    if [ "$i" -gt 0 ]; then cp "$lib" "$dir/libifdvpcd-$i.so"; lib="$dir/libifdvpcd-$i.so"; fi
    printf 'FRIENDLYNAME "%s"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      %s\nCHANNELID    0x%X\n' \
      "$name" $((first_port + 2 * i)) "$lib" $((first_port + 2 * i)) >"$dir/reader.conf.d/vpcd-$i"
  done
  mkdir -p /run/pcscd
  /usr/sbin/pcscd -f -c "$dir/reader.conf.d" >"$dir/pcscd.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 50); do
    if [ -S /run/pcscd/pcscd.comm ] && [[ "$(ss -ltn 2>/dev/null)" == *":$((first_port + n - 1)) "* ]]; then
      echo "pcsc: pcscd $(cat "$pidfile") with $n vpcd readers on ports $first_port..$((first_port + n - 1))" >&2
      return 0
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || break
    sleep 0.1
  done
  echo "pcsc: pcscd did not come up (see $dir/pcscd.log)" >&2
  stop; return 1
}

stop() {
  if ours_running; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "pcsc: stopped pcscd $pid" >&2
  fi
  rm -f "$pidfile"
}

status() {
  if ours_running; then
    echo "pcsc: pcscd $(cat "$pidfile") runs with $(( $(ls "$dir/reader.conf.d" | wc -l) * 2 )) readers from port $first_port"
  else
    echo "pcsc: ours is not running"; return 1
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
