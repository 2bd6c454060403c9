# Shared helpers for the Windows build, MSI, signing and Wine smoke scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TAGS=${TAGS:-sqlite_fts5,migrated_fynedo}
FYNE_TOOLS_VERSION=${FYNE_TOOLS_VERSION:-v1.7.4} # fyne.io/tools, the `fyne` packaging command
MINGW_CC=x86_64-w64-mingw32-gcc
DIST=${DIST:-$ROOT/dist}
CACHE=${REFERRALDESK_CACHE:-$ROOT/.cache}
GO=${GO:-go}
# The Makefile pins the Go toolchain (export GOTOOLCHAIN := goX.Y.Z); use the same one when a script is
# run on its own, or the build cache is not shared and everything recompiles.
if [ -z "${GOTOOLCHAIN:-}" ]; then
  GOTOOLCHAIN=$(sed -n 's/^export GOTOOLCHAIN *:= *//p' "$ROOT/Makefile")
  if [ -n "$GOTOOLCHAIN" ]; then export GOTOOLCHAIN; else unset GOTOOLCHAIN; fi
fi

# One version, from FyneApp.toml; the Makefile passes VERSION/COMMIT/DATE so every artifact of one
# `make` run carries the same stamp.
VERSION=${VERSION:-$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' "$ROOT/FyneApp.toml")}
COMMIT=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
DATE=${DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
[ -n "$VERSION" ] || { echo "no Version in $ROOT/FyneApp.toml" >&2; exit 1; }

log() { printf '%s: %s\n' "${LOG_PREFIX:-windows}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ensure_pkgs PKG... installs the Debian packages that are missing (dpkg -s), like scripts/deps.sh.
ensure_pkgs() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages (${missing[*]}) and no apt-get here; install them with your package manager"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# debian_source DIR PKG... downloads the source packages PKG of Debian bookworm into DIR with apt-get
# source and a private deb-src list under DIR/apt (the system's lists are left alone); DIR/apt.log
# keeps apt's output. The upstream tarballs are DIR/<pkg>_<version>.orig.tar.*.
debian_source() {
  local dir=$1
  shift
  mkdir -p "$dir/apt/lists/partial"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    >"$dir/apt/src.sources"
  local apt_src=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$dir/apt" -o "Dir::State::Lists=$dir/apt/lists"
    -o APT::Sandbox::User=root) # root: files land in our folder, not _apt's
  log "fetching the source packages $* (Debian bookworm)"
  apt-get "${apt_src[@]}" update -qq >"$dir/apt.log" 2>&1 || { cat "$dir/apt.log" >&2; die "apt-get update (deb-src) failed"; }
  (cd "$dir" && apt-get "${apt_src[@]}" source --download-only "$@" >>apt.log 2>&1) ||
    { cat "$dir/apt.log" >&2; die "apt-get source $* failed"; }
}

# ensure_fyne puts the pinned `fyne` command in $FYNE.
ensure_fyne() {
  local bin
  bin="$($GO env GOPATH)/bin/fyne"
  local have
  have=$("$bin" version 2>/dev/null || true)
  if [[ "$have" != *"cli version: $FYNE_TOOLS_VERSION"* ]]; then
    log "installing fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
    GOFLAGS='' GOOS='' GOARCH='' CGO_ENABLED=1 CC='' $GO install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
  fi
  FYNE=$bin
}

# stage_src DIR copies the working tree (tracked and untracked files that are not ignored) to DIR.
# fyne package writes into its source folder (a .syso, a generated metadata .go file, and it bumps
# the Build number in FyneApp.toml); doing that in a copy keeps the work tree and other builds
# running in it untouched. With -trimpath the Go build cache is shared with builds from the tree.
stage_src() {
  local dst=$1
  rm -rf "$dst"
  mkdir -p "$dst"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -cf -) | tar -xf - -C "$dst"
  else
    (cd "$ROOT" && tar --exclude=./dist --exclude=./.cache --exclude=./build --exclude='*.test' -cf - .) |
      tar -xf - -C "$dst"
  fi
}

# fyne_env exports what `fyne package` needs to stamp the version: it runs go through go-stamp.sh.
fyne_env() {
  export REFERRALDESK_REAL_GO=$GO GO=$ROOT/scripts/windows/go-stamp.sh
  export REFERRALDESK_LDFLAGS="-X main.version=$VERSION -X main.commit=$COMMIT -X main.buildDate=$DATE"
}

human_size() { numfmt --to=iec --suffix=B "$(stat -c %s "$1")"; }
