#!/usr/bin/env bash
# A round trip with the `ifpp` tool: bind a GSMA TS.48 test profile to a freshly generated eUICC
# one-time key, inspect the package without keys, open it again with the chip's key, and check that
# the recovered profile is byte-identical. Also shows that another chip's key cannot open it.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
data="${IFPP_TEST_DATA_DIR:-$root/test-data}"
profile="${1:-$data/profiles/TS48V1-A-UNIQUE.der}"
out="$root/demo-out/roundtrip-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
ifpp() { "$root/ifpp" "$@"; }
eid=89049032123451234512345678901235

echo "== 1. keys: a chip's one-time key pair, and another chip's"
ifpp keygen --curve p256 -o "$out/otk-euicc"
ifpp keygen --curve p256 -o "$out/otk-other"
echo "   otPK.EUICC = $(cut -c1-24 "$out/otk-euicc.pub.hex")..."

echo "== 2. bind $(basename "$profile") ($(stat -c %s "$profile") bytes) with the SGP.26 test DPpb key, PPK mode"
ifpp bind --upp "$profile" --otpk-euicc "$(cat "$out/otk-euicc.pub.hex")" --eid "$eid" \
  --host-id ifpp-keymaker --signing-key "$data/sgp26-certs/SK_S_SM_DPpb_ECDSA_NIST.pem" \
  --mode ppk -o "$out/profile.bpp"

echo "== 3. inspect (no key needed)"
ifpp inspect "$out/profile.bpp" | grep -vE '^ ' | grep -v structure

echo "== 4. open with the chip's key, verifying the binding certificate against the SGP.26 CI"
ifpp open --bpp "$out/profile.bpp" --eid "$eid" --host-id ifpp-keymaker \
  --otsk-euicc "$out/otk-euicc.key.pem" \
  --dp-cert "$data/sgp26-certs/CERT_S_SM_DPpb_ECDSA_NIST.der" \
  --ci "$data/sgp26-certs/CERT_CI_ECDSA_NIST.der" -o "$out/profile.upp"
cmp "$profile" "$out/profile.upp" && echo "   recovered profile is byte-identical to the input"

echo "== 5. another chip's key must not open it"
if ifpp open --bpp "$out/profile.bpp" --eid "$eid" --host-id ifpp-keymaker \
  --otsk-euicc "$out/otk-other.key.pem" \
  --dp-cert "$data/sgp26-certs/CERT_S_SM_DPpb_ECDSA_NIST.der" \
  --ci "$data/sgp26-certs/CERT_CI_ECDSA_NIST.der" -o "$out/clone.upp"; then
  echo "   FAILED: a clone opened the package" >&2
  exit 1
fi
[ ! -e "$out/clone.upp" ] && echo "   rejected, and nothing was written"
echo "== done; files in $out"
