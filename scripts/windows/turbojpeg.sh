#!/usr/bin/env bash
# Cross-builds libjpeg-turbo's TurboJPEG library as a DLL for x86_64-w64-mingw32 (libturbojpeg.dll),
# from Debian bookworm's source package, with its SIMD code (NASM): the Windows worker encodes the
# pages the packet rebuilds from their image with it, several times faster than Go's image/jpeg, as
# the Linux build does with the system's libturbojpeg.so.0 (app/packet/jpegfast_cgo.go). It is a DLL
# loaded at run time from the program's own folder, never linked: MuPDF's own libjpeg, linked into
# the program, has the same symbol names.
#
# The result is cached in .cache/build/win-turbojpeg-<version>/ (libturbojpeg.dll, LICENSES/); a second
# run finds it and does nothing. Prints the folder on stdout.
# Usage: scripts/windows/turbojpeg.sh   (build.sh runs it; JOBS=N sets make's parallelism)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOG_PREFIX=win-turbojpeg

# Debian bookworm's version (the same as the Linux build's libturbojpeg0 package).
TJ_VERSION=${TJ_VERSION:-2.1.5}
JOBS=${JOBS:-$(nproc)}

out=$CACHE/build/win-turbojpeg-$TJ_VERSION
if [ -f "$out/.done" ]; then
  echo "$out"
  exit 0
fi

ensure_pkgs cmake make nasm gcc-mingw-w64-x86-64
# The win32-threads gcc: TurboJPEG uses no threads, and the posix one would need libwinpthread-1.dll.
CC_W=x86_64-w64-mingw32-gcc-win32
command -v "$CC_W" >/dev/null || die "$CC_W not found after installing gcc-mingw-w64-x86-64"

work=$CACHE/build/win-turbojpeg-work
start=$(date +%s)
rm -rf "$work" "$out.tmp"
mkdir -p "$out.tmp/LICENSES"
debian_source "$work" libjpeg-turbo
tarball=$(cd "$work" && ls libjpeg-turbo_"$TJ_VERSION".orig.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || die "Debian no longer has libjpeg-turbo $TJ_VERSION (now: $(cd "$work" && ls ./*.orig.tar.* | tr '\n' ' ')); set TJ_VERSION here"
# Debian's patches are packaging fixes for Linux; the upstream tarball is what we build.
tar -xf "$work/$tarball" -C "$work"
src=$work/libjpeg-turbo-$TJ_VERSION
[ -d "$src" ] || die "no $src in $tarball"

cat >"$work/mingw.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER $CC_W)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF
log "building TurboJPEG $TJ_VERSION (DLL, SIMD) with make -j$JOBS"
mkdir -p "$work/build"
(
  cd "$work/build"
  # libgcc linked in: the DLL needs no mingw runtime DLL beside it.
  cmake -G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$work/mingw.cmake" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$work/install" -DCMAKE_SHARED_LINKER_FLAGS="-static-libgcc" -DENABLE_SHARED=ON -DENABLE_STATIC=OFF \
    -DWITH_TURBOJPEG=ON -DWITH_JAVA=OFF -DWITH_SIMD=ON -DREQUIRE_SIMD=ON \
    "$src" >cmake.log 2>&1 &&
    make -j"$JOBS" turbojpeg >make.log 2>&1
) || { tail -n 40 "$work/build/"*.log >&2; die "TurboJPEG build failed (logs in $work/build)"; }

dll=$(find "$work/build" -maxdepth 1 -iname '*turbojpeg*.dll' | head -1)
[ -n "$dll" ] || die "the build made no turbojpeg DLL (in $work/build)"
cp "$dll" "$out.tmp/libturbojpeg.dll"
x86_64-w64-mingw32-strip --strip-unneeded "$out.tmp/libturbojpeg.dll"
# Only Windows' own DLLs may be needed (no libgcc or libwinpthread beside it).
info=$(x86_64-w64-mingw32-objdump -p "$out.tmp/libturbojpeg.dll")
deps=$(sed -n 's/^\s*DLL Name: //p' <<<"$info" | tr '\n' ' ')
case " ${deps,,} " in
  *" libgcc"* | *" libwinpthread"* | *" libstdc++"*) die "libturbojpeg.dll needs a mingw runtime DLL: $deps" ;;
esac
for f in tjInitCompress tjCompress2 tjFree tjDestroy; do
  grep -qw "$f" <<<"$info" || die "libturbojpeg.dll does not export $f"
done
cp "$src/LICENSE.md" "$out.tmp/LICENSES/libjpeg-turbo-LICENSE.md"
cp "$src/README.ijg" "$out.tmp/LICENSES/libjpeg-turbo-README.ijg"

touch "$out.tmp/.done"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$work"
log "built libturbojpeg.dll $TJ_VERSION in $(($(date +%s) - start)) s ($(human_size "$out/libturbojpeg.dll"); needs $deps)"
echo "$out"
