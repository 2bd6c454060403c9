#!/usr/bin/env bash
# Cross-builds static Leptonica and Tesseract for x86_64-w64-mingw32 (the OCR engine of the Windows build,
# app/ocr) from Debian bookworm's source packages, and stages the English and orientation models from
# Debian's tesseract-ocr-eng/-osd packages. Only what app/ocr uses is built: Leptonica without image codecs
# (we pass raw pixels), Tesseract without training tools, OpenMP, libarchive or curl; static, -O2.
#
# The result is cached in .cache/build/win-tesseract-<tesseract>-lept<leptonica>/ (include/, lib/,
# tessdata/, LICENSES/); a second run finds it and does nothing. Prints the folder on stdout.
# Usage: scripts/windows/tesseract.sh   (build.sh runs it; JOBS=N sets make's parallelism, default: the number of cores)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOG_PREFIX=win-tesseract

# Debian bookworm's versions (the same Tesseract as the Linux build's libtesseract5 package).
TESS_VERSION=${TESS_VERSION:-5.3.0}
LEPT_VERSION=${LEPT_VERSION:-1.82.0}
JOBS=${JOBS:-$(nproc)} # every core unless told (JOBS=1 on a machine shared with other builds)

out=$CACHE/build/win-tesseract-$TESS_VERSION-lept$LEPT_VERSION
if [ -f "$out/.done" ]; then
  echo "$out"
  exit 0
fi

# The models: Debian's tessdata_fast files (Apache-2.0), the same the Linux build reads.
ensure_pkgs cmake make gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 tesseract-ocr-eng tesseract-ocr-osd
# Tesseract uses std::thread and std::mutex: the posix-threads flavour of mingw-w64's gcc has them.
CC_W=x86_64-w64-mingw32-gcc-posix
CXX_W=x86_64-w64-mingw32-g++-posix
command -v "$CXX_W" >/dev/null || die "$CXX_W not found after installing g++-mingw-w64-x86-64"

work=$CACHE/build/win-tesseract-work
start=$(date +%s)
toolchain() {
  cat >"$work/mingw.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $CC_W)
set(CMAKE_CXX_COMPILER $CXX_W)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
# Find only what we build (and mingw's own files), never the Linux host's libraries.
set(CMAKE_FIND_ROOT_PATH $out.tmp /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
}
# -muse-unaligned-vector-move: gcc does not align the stack to 32 bytes for AVX spills on 64-bit
# Windows (gcc bug 54412), so Tesseract's AVX2/FMA code crashes on aligned moves; the assembler makes
# them unaligned (same speed on CPUs with AVX).
opt="-O2 -DNDEBUG -Wa,-muse-unaligned-vector-move"
common=(-G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$work/mingw.cmake" -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_C_FLAGS_RELEASE="$opt" -DCMAKE_CXX_FLAGS_RELEASE="$opt"
  -DCMAKE_INSTALL_PREFIX="$out.tmp" -DBUILD_SHARED_LIBS=OFF -DSW_BUILD=OFF
  -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON -DCMAKE_DISABLE_FIND_PACKAGE_TIFF=ON)

# A run that failed after Leptonica was built starts again at Tesseract.
if [ ! -f "$work/leptonica.ok" ]; then
rm -rf "$work" "$out.tmp"
mkdir -p "$out.tmp"
debian_source "$work" leptonlib tesseract
for f in "leptonlib_$LEPT_VERSION.orig.tar.gz" "tesseract_$TESS_VERSION.orig.tar.gz"; do
  [ -f "$work/$f" ] || die "Debian no longer has $f (now: $(cd "$work" && ls ./*.orig.tar.* | tr '\n' ' ')); set TESS_VERSION/LEPT_VERSION here"
done
# Debian's patches are packaging fixes for Linux; the upstream tarballs are what we build.
tar -xzf "$work/leptonlib_$LEPT_VERSION.orig.tar.gz" -C "$work"
tar -xzf "$work/tesseract_$TESS_VERSION.orig.tar.gz" -C "$work"

toolchain
log "building Leptonica $LEPT_VERSION (static, no image codecs) with make -j$JOBS"
mkdir -p "$work/lept-build"
(
  cd "$work/lept-build"
  cmake "${common[@]}" -DBUILD_PROG=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_GIF=ON -DCMAKE_DISABLE_FIND_PACKAGE_JPEG=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_PNG=ON -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON \
    "$work/leptonica-$LEPT_VERSION" >cmake.log 2>&1 &&
    make -j"$JOBS" >make.log 2>&1 && make install >install.log 2>&1
) || { tail -n 40 "$work/lept-build/"*.log >&2; die "Leptonica build failed (logs in $work/lept-build)"; }
touch "$work/leptonica.ok"
fi
toolchain

log "building Tesseract $TESS_VERSION (static, no training tools/OpenMP/libarchive/curl) with make -j$JOBS"
# Tesseract's CMake links its tesseract.exe with "Ws2_32", which a case-sensitive file system does not
# find among mingw's lowercase libraries: a link under that name. (Kept: a rerun after a failure only
# builds what is missing.)
mkdir -p "$work/tess-build" "$work/winlibs"
ln -sf "$(x86_64-w64-mingw32-gcc-posix -print-file-name=libws2_32.a)" "$work/winlibs/libWs2_32.a"
(
  cd "$work/tess-build"
  cmake "${common[@]}" -DLeptonica_DIR="$out.tmp/lib/cmake/leptonica" -DCMAKE_EXE_LINKER_FLAGS="-L$work/winlibs" \
    -DBUILD_TRAINING_TOOLS=OFF -DBUILD_TESTS=OFF -DOPENMP_BUILD=OFF -DDISABLE_ARCHIVE=ON -DDISABLE_CURL=ON \
    -DGRAPHICS_DISABLED=ON -DENABLE_OPENCL=OFF -DINSTALL_CONFIGS=OFF \
    "$work/tesseract-$TESS_VERSION" >cmake.log 2>&1 &&
    make -j"$JOBS" >make.log 2>&1 && make install >install.log 2>&1
) || { tail -n 40 "$work/tess-build/"*.log >&2; die "Tesseract build failed (logs in $work/tess-build)"; }

# Stable names for app/ocr's #cgo windows LDFLAGS (-ltesseract -lleptonica), whatever the version suffix.
lib=$out.tmp/lib
tlib=$(find "$lib" -maxdepth 1 -name 'libtesseract*.a' | head -1)
llib=$(find "$lib" -maxdepth 1 -name 'libleptonica*.a' | head -1)
[ -n "$tlib" ] && [ -n "$llib" ] || die "no libtesseract*.a / libleptonica*.a in $lib"
[ "$tlib" = "$lib/libtesseract.a" ] || mv "$tlib" "$lib/libtesseract.a"
[ "$llib" = "$lib/libleptonica.a" ] || mv "$llib" "$lib/libleptonica.a"
x86_64-w64-mingw32-strip --strip-debug "$lib/libtesseract.a" "$lib/libleptonica.a"

# Models and licences (shipped in the MSI next to the exe: see msi.sh and packaging/windows).
mkdir -p "$out.tmp/tessdata" "$out.tmp/LICENSES"
src=/usr/share/tesseract-ocr/5/tessdata
for m in eng osd; do
  [ -f "$src/$m.traineddata" ] || die "$src/$m.traineddata missing (tesseract-ocr-$m)"
  cp "$src/$m.traineddata" "$out.tmp/tessdata/"
done
cp "$work/tesseract-$TESS_VERSION/LICENSE" "$out.tmp/LICENSES/tesseract-LICENSE.txt"
cp "$work/leptonica-$LEPT_VERSION/leptonica-license.txt" "$out.tmp/LICENSES/leptonica-LICENSE.txt"
cp /usr/share/doc/tesseract-ocr-eng/copyright "$out.tmp/LICENSES/tessdata-eng-copyright.txt"
cp /usr/share/doc/tesseract-ocr-osd/copyright "$out.tmp/LICENSES/tessdata-osd-copyright.txt"

touch "$out.tmp/.done"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$work"
log "built $(basename "$out") in $(($(date +%s) - start)) s (libtesseract.a $(human_size "$out/lib/libtesseract.a"), libleptonica.a $(human_size "$out/lib/libleptonica.a"))"
echo "$out"
