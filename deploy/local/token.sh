#!/usr/bin/env bash
# Prints a LOCAL-ONLY RS256 JWT for the stack started by deploy/local/up.sh, signed with the dev key in
# deploy/local/dev-keys (accepted only by the `local` profile; see dev-keys/README.md).
#
#   deploy/local/token.sh CLIENT_ID [ROLE...]
#
# sub = CLIENT_ID (the client_id of the API), groups = the roles (e.g. `ops` for ops endpoints),
# iss = payout-local, aud = payout-local, kid = payout-dev-1 (its public key is in dev-keys/jwks.json),
# exp = now + 1 h (the services accept at most 1 h: smallrye.jwt.time-to-live). Overrides: PAYOUT_JWT_PRIVATE_KEY
# (key file), PAYOUT_TOKEN_KID, PAYOUT_TOKEN_ISSUER, PAYOUT_TOKEN_AUDIENCE, PAYOUT_TOKEN_TTL_SECONDS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
key=${PAYOUT_JWT_PRIVATE_KEY:-$here/dev-keys/jwt-private.pem}
kid=${PAYOUT_TOKEN_KID:-payout-dev-1}
issuer=${PAYOUT_TOKEN_ISSUER:-payout-local}
audience=${PAYOUT_TOKEN_AUDIENCE:-payout-local}
ttl=${PAYOUT_TOKEN_TTL_SECONDS:-3600}

usage() {
  printf 'usage: %s CLIENT_ID [ROLE...]\n' "$(basename "$0")" >&2
  exit 2
}

if [ $# -lt 1 ] || [ -z "$1" ]; then usage; fi
[ -r "$key" ] || { printf 'token.sh: private key %s not readable\n' "$key" >&2; exit 1; }
[[ $ttl =~ ^[0-9]+$ ]] || { printf 'token.sh: PAYOUT_TOKEN_TTL_SECONDS must be a number\n' >&2; exit 2; }

# JSON string literal: escape backslash and quote; refuse control characters rather than encode them.
json_string() {
  local s=$1
  if [[ $s =~ [[:cntrl:]] ]]; then
    printf 'token.sh: control characters are not allowed in %q\n' "$s" >&2
    exit 2
  fi
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

new_jti() {
  if [ -r /proc/sys/kernel/random/uuid ]; then cat /proc/sys/kernel/random/uuid; else openssl rand -hex 16; fi
}

subject=$1
shift
groups=""
for role in "$@"; do
  groups+="${groups:+,}$(json_string "$role")"
done

iat=$(date +%s)
exp=$((iat + ttl))
header="{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":$(json_string "$kid")}"
claims="{\"iss\":$(json_string "$issuer"),\"aud\":$(json_string "$audience"),\"sub\":$(json_string "$subject"),\"groups\":[${groups}],\"iat\":${iat},\"exp\":${exp},\"jti\":\"$(new_jti)\"}"

signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s\n' "$signing_input" "$signature"
