#!/usr/bin/env bash
# Authenticode-signs Windows files in place with osslsigncode when a certificate is given:
#   REFERRALDESK_SIGN_CERT  certificate (PEM/DER chain, or a .pfx/.p12 bundle that also holds the key)
#   REFERRALDESK_SIGN_KEY   private key (PEM/DER); not needed with a .pfx/.p12
#   REFERRALDESK_SIGN_PASS  optional key/bundle password (passed through a pipe, not the command line)
#   REFERRALDESK_SIGN_TIMESTAMP  optional RFC 3161 timestamp server URL
# Without a certificate it prints "unsigned build" and succeeds. Never put these files in the repo.
# Usage: scripts/windows/sign.sh FILE...
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOG_PREFIX=sign

cert=${REFERRALDESK_SIGN_CERT:-}
key=${REFERRALDESK_SIGN_KEY:-}
if [ -z "$cert" ]; then
  log "unsigned build (set REFERRALDESK_SIGN_CERT and REFERRALDESK_SIGN_KEY, optionally REFERRALDESK_SIGN_PASS, to sign): $*"
  exit 0
fi
[ -r "$cert" ] || die "REFERRALDESK_SIGN_CERT=$cert is not a readable file"
ensure_pkgs osslsigncode

args=(sign -h sha256 -n ReferralDesk -i https://github.com/referraldesk/referraldesk)
case "$cert" in
  *.pfx | *.p12) args+=(-pkcs12 "$cert") ;;
  *)
    [ -n "$key" ] || die "REFERRALDESK_SIGN_KEY is not set (needed with a PEM/DER certificate)"
    [ -r "$key" ] || die "REFERRALDESK_SIGN_KEY=$key is not a readable file"
    args+=(-certs "$cert" -key "$key")
    ;;
esac
[ -n "${REFERRALDESK_SIGN_TIMESTAMP:-}" ] && args+=(-ts "$REFERRALDESK_SIGN_TIMESTAMP")

for f in "$@"; do
  [ -f "$f" ] || die "$f does not exist"
  tmp="$f.signing"
  rm -f "$tmp"
  if [ -n "${REFERRALDESK_SIGN_PASS:-}" ]; then
    osslsigncode "${args[@]}" -readpass <(printf '%s' "$REFERRALDESK_SIGN_PASS") -in "$f" -out "$tmp" >/dev/null
  else
    osslsigncode "${args[@]}" -in "$f" -out "$tmp" >/dev/null
  fi || { rm -f "$tmp"; die "osslsigncode could not sign $f"; }
  mv "$tmp" "$f"
  log "signed $(basename "$f")"
done
