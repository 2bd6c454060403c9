#!/usr/bin/env bash
# A `go` wrapper for `fyne package` (it runs "$GO build ... -ldflags FLAGS"): appends the version stamp
# in $REFERRALDESK_LDFLAGS to the -ldflags of every `go build`. fyne's own way (-ldflags in GOFLAGS) is
# lost on the second build that `fyne package -os windows` does after adding the icon/version resource.
set -euo pipefail
real_go=${REFERRALDESK_REAL_GO:-go}
if [ "${1:-}" != build ] || [ -z "${REFERRALDESK_LDFLAGS:-}" ]; then exec "$real_go" "$@"; fi
args=() prev="" seen=""
for a in "$@"; do
  if [ "$prev" = -ldflags ]; then a="$a $REFERRALDESK_LDFLAGS" seen=1; fi
  args+=("$a")
  prev=$a
done
[ -n "$seen" ] || args=(build -ldflags "$REFERRALDESK_LDFLAGS" "${args[@]:1}")
exec "$real_go" "${args[@]}"
