#!/usr/bin/env bash
# Wine smoke test of the Windows build (make test-windows). Runs dist/referraldesk.exe and the MSI under
# Wine 8 in a fresh private prefix on a virtual display and prints PASS/FAIL/SKIP per check and a summary
# line; exits non-zero if any check failed. Needs dist/referraldesk.exe and the MSI (make windows msi).
# Installs wine, xvfb etc. only when missing. KEEP_WINE=1 keeps the prefix for a look afterwards;
# SMOKE_ONLY="ocr msi" runs only the checks named.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
LOG_PREFIX=wine

if [ -z "${REFERRALDESK_SMOKE_INNER:-}" ]; then
  ensure_pkgs wine wine64 xvfb xauth x11-apps x11-utils imagemagick gcc-mingw-w64-x86-64 poppler-utils
  bash "$ROOT/scripts/deps.sh" # the Linux reference build
  # One virtual display for every Wine process (the GUI check, and Wine's own windows).
  exec xvfb-run -a -s '-screen 0 1280x800x24' env REFERRALDESK_SMOKE_INNER=1 VERSION="$VERSION" \
    COMMIT="$COMMIT" bash "$0" "$@"
fi

t0=$(date +%s)
EXE=${1:-$DIST/referraldesk.exe}
MSI=${2:-$DIST/ReferralDesk-$VERSION-x64.msi}
SHARED=${REFERRALDESK_SHARED:-$ROOT/../shared}
[ -f "$EXE" ] || die "$EXE is missing: run 'make windows' first"
[ -f "$MSI" ] || die "$MSI is missing: run 'make msi' (or make test-windows) first"

work=$(mktemp -d "${TMPDIR:-/tmp}/referraldesk-wine.XXXXXX")
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all LC_ALL=C.UTF-8 LANG=C.UTF-8
# Native ProcessPrng shim; no Mono/Gecko download prompts; no Linux menu entries from the MSI's shortcut.
export WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml=;winemenubuilder.exe=d"
unset REFERRALDESK_DATA
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  if [ -n "${KEEP_WINE:-}" ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

w() { timeout "${WINE_TIMEOUT:-180}" wine "$@"; } # one Windows program, with a time limit
winpath() { winepath -w "$1" 2>/dev/null; }

# --- the prefix and the test-only ProcessPrng shim (testdata/wine) ---
log "creating a Wine prefix in $WINEPREFIX"
tb=$(date +%s)
WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d" timeout 300 wineboot -i >/dev/null 2>&1 ||
  die "wineboot failed"
wineserver -w
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$work/bcryptprimitives.dll" "$ROOT/testdata/wine/processprng.c" \
  "$ROOT/testdata/wine/bcryptprimitives.def" -ladvapi32 || die "could not build the ProcessPrng shim"
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
WUSER=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public -printf '%f\n' | head -1)
[ -n "$WUSER" ] || die "no user folder in the new prefix"
log "prefix ready in $(($(date +%s) - tb)) s (Wine user: $WUSER)"
EXEW=$(winpath "$EXE")

passed=0 failed=0 skipped=0
# check NAME FUNC: runs FUNC; exit 0 = PASS, 77 = SKIP, else FAIL. Its last output line is the detail.
check() {
  local name=$1 out rc=0 s
  shift
  # SMOKE_ONLY="ocr msi" runs only those checks (by hand, while working on one).
  if [ -n "${SMOKE_ONLY:-}" ] && [[ " $SMOKE_ONLY " != *" $name "* ]]; then return 0; fi
  s=$(date +%s)
  out=$("$@" 2>&1) || rc=$?
  local detail
  detail=$(printf '%s\n' "$out" | tr -d '\r' | sed '/^$/d' | tail -1)
  case $rc in
    0) passed=$((passed + 1)); printf 'PASS  %-22s %s (%ss)\n' "$name" "$detail" "$(($(date +%s) - s))" ;;
    77) skipped=$((skipped + 1)); printf 'SKIP  %-22s %s\n' "$name" "$detail" ;;
    *)
      failed=$((failed + 1)); printf 'FAIL  %-22s %s\n' "$name" "$detail"
      printf '%s\n' "$out" | tr -d '\r' | tail -15 | sed 's/^/      | /'
      ;;
  esac
}

help_text() { w "$EXE" help 2>&1 | tr -d '\r'; }

# 1. --version: same version, commit and libraries as the Linux build of the same source.
c_version() {
  local win lin d
  win=$(w "$EXE" --version | tr -d '\r') || { echo "referraldesk.exe --version failed"; return 1; }
  printf '%s\n' "$win"
  [[ "$(sed -n 1p <<<"$win")" == "ReferralDesk $VERSION (commit $COMMIT, built "* ]] ||
    { echo "want version $VERSION, commit $COMMIT (FyneApp.toml, git HEAD): stale exe? run make windows"; return 1; }
  grep -q '^windows/amd64' <<<"$win" || { echo "not windows/amd64"; return 1; }
  d=$(sed -n '1s/.*built \([^)]*\)).*/\1/p' <<<"$win")
  (cd "$ROOT" && $GO build -tags "$TAGS" -trimpath -o "$work/referraldesk-linux" \
    -ldflags "-X main.version=$VERSION -X main.commit=$COMMIT -X main.buildDate=$d" .) ||
    { echo "Linux reference build failed"; return 1; }
  lin=$("$work/referraldesk-linux" --version) || { echo "Linux --version failed"; return 1; }
  [ "$(sed -n 1p <<<"$win")" = "$(sed -n 1p <<<"$lin")" ] || { echo "line 1 differs from Linux: $(sed -n 1p <<<"$lin")"; return 1; }
  [ "$(sed 1,2d <<<"$win")" = "$(sed 1,2d <<<"$lin")" ] || { echo "library/licence lines differ from Linux"; return 1; }
  echo "$(sed -n 1p <<<"$win") = Linux; $(sed -n 3p <<<"$win")"
}

# 2. The offline ICD-10-CM search.
c_icd10() {
  local out
  out=$(w "$EXE" icd10 search type 2 diabetes | tr -d '\r') || { echo "icd10 search failed"; return 1; }
  printf '%s\n' "$out"
  grep -m1 'E11\.9' <<<"$out" || { echo "E11.9 not listed"; return 1; }
}

# 3. Records packet over three sample PDFs (one damaged but repairable: MuPDF renders it, which runs
#    the setjmp shim) plus an unreadable file; every page's stamp is checked on the Linux side.
c_packet() {
  if ! grep -qE '^ +referraldesk packet' <<<"$(help_text)"; then
    echo "no 'packet' subcommand in 'referraldesk.exe help' yet (records-packet issue)"
    return 77
  fi
  local in=$work/packet-in out=$work/packet-out log f pdf n i text files=()
  if [ ! -d "$SHARED/data/pdfs" ]; then
    echo "the shared sample PDFs are not present ($SHARED/data/pdfs): skipping the packet check"
    return 77
  fi
  mkdir -p "$in" "$out"
  for f in pdf20--Simple_PDF_2.0_file.pdf pdf20--PDF_2.0_with_page_level_output_intent.pdf qpdf--issue-202.pdf; do
    cp "$SHARED/data/pdfs/$f" "$in/" || { echo "sample PDF $f missing in $SHARED/data/pdfs"; return 1; }
    files+=("$(winpath "$in/$f")")
  done
  printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R\ntruncated' >"$in/unreadable.pdf"
  files+=("$(winpath "$in/unreadable.pdf")")
  # MuPDF's repair warnings go to stderr (many lines); keep them out of the report.
  log=$(w "$EXE" packet --last Doe --first Jane --dob 1970-01-02 --mrn 123 --out "$(winpath "$out")" "${files[@]}" \
    2>"$work/packet.stderr" | tr -d '\r') || { printf '%s\n' "$log"; echo "packet exited non-zero"; return 1; }
  printf '%s\n' "$log"
  grep -q '^repaired *qpdf--issue-202\.pdf' <<<"$log" || { echo "qpdf--issue-202.pdf was not reported repaired"; return 1; }
  grep -q '^error *unreadable\.pdf: .*damaged' <<<"$log" || { echo "no clear error for unreadable.pdf"; return 1; }
  pdf=$(find "$out" -name '*.pdf' | head -1)
  [ -n "$pdf" ] || { echo "no packet PDF in the --out folder"; return 1; }
  n=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  [ "${n:-0}" -ge 3 ] && [ "${n:-0}" -le 50 ] || { echo "packet has ${n:-0} pages, want 3..50"; return 1; }
  for i in $(seq 1 "$n"); do
    text=$(pdftotext -f "$i" -l "$i" "$pdf" - 2>/dev/null)
    grep -qi 'doe' <<<"$text" && grep -q '1970-01-02' <<<"$text" && grep -q "$i of $n" <<<"$text" ||
      { echo "page $i of $n lacks the stamp (name, DOB, '$i of $n')"; return 1; }
  done
  # issue-202's pages were rebuilt from their images, encoded by the libturbojpeg.dll beside the exe:
  # its JPEGs start with a JFIF marker (FF D8 FF E0), those of Go's image/jpeg with a table (FF DB).
  local jpegs=0 j
  mkdir -p "$work/packet-img"
  pdfimages -j "$pdf" "$work/packet-img/img" || { echo "pdfimages could not read the packet"; return 1; }
  for j in "$work/packet-img/"*.jpg; do
    [ -f "$j" ] || continue
    jpegs=$((jpegs + 1))
    [ "$(head -c 4 "$j" | od -An -tx1 | tr -d ' \n')" = ffd8ffe0 ] ||
      { echo "$(basename "$j") of the packet was not encoded by TurboJPEG (libturbojpeg.dll beside the exe)"; return 1; }
  done
  [ "$jpegs" -ge 10 ] || { echo "the packet holds $jpegs JPEG pages, want issue-202's 10 rebuilt pages"; return 1; }
  echo "'$(basename "$pdf")': $n pages, each stamped; issue-202 repaired ($jpegs pages by TurboJPEG), unreadable.pdf: clear error"
}

# OCR: a fax-like scanned discharge summary (image only, no metadata date; made by testdata/wine/scanpage)
#   is read by the exe's built-in Tesseract with the models from tessdata\ beside it: once from dist\, then
#   from a copy in a folder with non-ASCII letters (as under a user named José: app/ocr then loads the
#   models from memory, as Tesseract cannot open such a path). Passes only if the date came from the
#   scanned text and the packet's text layer holds the page's words: an exe without OCR fails it.
ocr_packet() { # EXE OUTDIR: the packet of the scanned page; prints the confidence of its date
  local exe=$1 out=$2 log pdf text
  mkdir -p "$out"
  log=$(w "$exe" packet --json --last Doe --first Jane --dob 1970-01-02 --mrn 123 \
    --out "$(winpath "$out")" "$(winpath "$work/discharge-fax.pdf")" 2>"$out.stderr" | tr -d '\r') ||
    { printf '%s\n' "$log"; tail -5 "$out.stderr"; echo "packet exited non-zero"; return 1; }
  printf '%s\n' "$log" >"$out.json"
  if grep -q '"scan_note"' <<<"$log"; then
    printf '%s\n' "$log"
    echo "scanned page not read: $(sed -n 's/.*"scan_note": *"\([^"]*\)".*/\1/p' <<<"$log")"
    return 1
  fi
  grep -q '"date_source": "scan"' <<<"$log" && grep -q '"date": "2024-03-09"' <<<"$log" ||
    { printf '%s\n' "$log"; echo "not dated 2024-03-09 from the scanned text (want the discharge date read by OCR)"; return 1; }
  pdf=$(find "$out" -name '*.pdf' | head -1)
  [ -n "$pdf" ] || { echo "no packet PDF in the --out folder"; return 1; }
  text=$(pdftotext "$pdf" - 2>/dev/null)
  grep -q 'DISCHARGE SUMMARY' <<<"$text" && grep -q 'uncomplicated' <<<"$text" ||
    { echo "the packet's text layer lacks the scanned page's words"; return 1; }
  sed -n 's/.*"date_confidence": *\([0-9]*\).*/\1/p' <<<"$log"
}

c_ocr() {
  local dir="$WINEPREFIX/drive_c/users/José Müller/Programs/ReferralDesk" c1 c2
  [ -f "$(dirname "$EXE")/tessdata/eng.traineddata" ] ||
    { echo "no tessdata/eng.traineddata beside $EXE (make windows copies the models to dist/tessdata)"; return 1; }
  (cd "$ROOT" && $GO build -tags "$TAGS" -o "$work/scanpage" ./testdata/wine/scanpage) ||
    { echo "could not build testdata/wine/scanpage"; return 1; }
  "$work/scanpage" "$work/discharge-fax.pdf" || { echo "scanpage failed"; return 1; }
  c1=$(ocr_packet "$EXE" "$work/ocr-dist") || { printf '%s\n' "$c1"; return 1; }
  mkdir -p "$dir"
  cp "$EXE" "$dir/referraldesk.exe"
  cp -r "$(dirname "$EXE")/tessdata" "$dir/"
  c2=$(ocr_packet "$dir/referraldesk.exe" "$work/ocr-unicode") ||
    { printf '%s\n' "$c2" | sed '$s/$/ (the copy in a non-ASCII folder)/'; return 1; }
  echo "scanned page dated 2024-03-09 from its text ($c1 % sure; from a non-ASCII folder $c2 %), words searchable in the packet"
}

# 4. A data folder with a space and non-ASCII letters.
c_datapath() {
  local dir='C:\users\José Müller\Referral Data' out name last
  w "$EXE" demo-data --data "$dir" --patients 20 || { echo "demo-data failed"; return 1; }
  out=$(w "$EXE" status --data "$dir" | tr -d '\r') || { echo "status failed"; return 1; }
  name=$(awk -F'\t' 'NF >= 3 && $3 ~ /,/ { print $3; exit }' <<<"$out")
  last=${name%%,*}
  [ -n "$last" ] || { printf '%s\n' "$out"; echo "no patient name in status output"; return 1; }
  out=$(w "$EXE" patients search --data "$dir" "$last" | tr -d '\r') || { echo "patients search failed"; return 1; }
  printf '%s\n' "$out"
  grep -qF "$last" <<<"$out" || { echo "search for '$last' found nothing"; return 1; }
  [ -f "$WINEPREFIX/drive_c/users/José Müller/Referral Data/referraldesk.db" ] ||
    { echo "database not at the expected (UTF-8) path in the prefix"; return 1; }
  echo "'$dir': 20 patients, search '$last' -> $(grep -cF "$last" <<<"$out") hit(s)"
}

# 7 (brief item 7). Without --data the data folder is %AppData%\ReferralDesk.
c_default_data() {
  local out want
  # demo-data never writes into the default (real) folder, so a plain command opens it.
  out=$(w "$EXE" status | tr -d '\r') || { echo "status failed"; return 1; }
  printf '%s\n' "$out"
  want="C:\\users\\$WUSER\\AppData\\Roaming\\ReferralDesk"
  [ -f "$WINEPREFIX/drive_c/users/$WUSER/AppData/Roaming/ReferralDesk/referraldesk.db" ] ||
    { echo "no referraldesk.db under AppData/Roaming/ReferralDesk"; return 1; }
  echo "$want\\referraldesk.db"
}

# 5. Credential store (Wine's Credential Manager): a 5,000-byte secret (over Windows' 2,560-byte limit,
#    so app/creds splits it) is set, read back by `account test` against a stub FHIR server that accepts
#    only that secret, then deleted.
c_creds() {
  if ! grep -qE '^ +referraldesk account' <<<"$(help_text)"; then
    echo "no 'account' subcommand in 'referraldesk.exe help' yet (sync issue, app/creds)"
    return 77
  fi
  local d out addr stub
  d=$(winpath "$work/creds-data")
  head -c 3750 /dev/urandom | base64 -w0 >"$work/secret.txt" # 5,000 bytes
  (cd "$ROOT" && $GO build -o "$work/fhirstub" ./testdata/wine/fhirstub) || { echo "could not build the FHIR stub"; return 1; }
  "$work/fhirstub" -user wine-smoke -secret-file "$work/secret.txt" >"$work/fhirstub.addr" 2>"$work/fhirstub.log" &
  stub=$!
  for _ in $(seq 1 50); do [ -s "$work/fhirstub.addr" ] && break; sleep 0.1; done
  addr=$(head -1 "$work/fhirstub.addr")
  [ -n "$addr" ] || { kill "$stub"; echo "FHIR stub did not start"; return 1; }
  out=$(w "$EXE" account add --data "$d" --url "http://$addr/fhir" --user wine-smoke <"$work/secret.txt" 2>&1 | tr -d '\r') ||
    { kill "$stub"; printf '%s\n' "$out"; echo "account add failed"; return 1; }
  out=$(w "$EXE" account test --data "$d" 2>&1 | tr -d '\r') ||
    { kill "$stub"; printf '%s\n' "$out"; echo "account test failed (secret not read back?)"; return 1; }
  kill "$stub" 2>/dev/null || true
  grep -q '^connected to' <<<"$out" || { printf '%s\n' "$out"; echo "account test did not connect"; return 1; }
  if grep -rqF "$(head -c 40 "$work/secret.txt")" "$work/creds-data"; then echo "the secret is in the data folder"; return 1; fi
  out=$(w "$EXE" account remove --data "$d" 2>&1 | tr -d '\r') || { printf '%s\n' "$out"; echo "account remove failed"; return 1; }
  if out=$(w "$EXE" account test --data "$d" 2>&1); then echo "account test still works after remove"; return 1; fi
  echo "5,000-byte secret set, read back (stub server accepted it) and removed via Credential Manager"
}

# Console: output of a GUI-subsystem exe reaches a file when redirected by cmd.exe.
c_cmd_redirect() {
  rm -f "$WINEPREFIX/drive_c/rd-version.txt"
  w cmd /c "$EXEW --version > C:\\rd-version.txt" || { echo "cmd /c failed"; return 1; }
  grep -q "^ReferralDesk $VERSION" "$WINEPREFIX/drive_c/rd-version.txt" 2>/dev/null ||
    { echo "no version text in the redirected file"; return 1; }
  echo "cmd /c \"referraldesk.exe --version > file\": $(head -1 "$WINEPREFIX/drive_c/rd-version.txt" | tr -d '\r')"
}

# 6. The window on the virtual display: a screenshot that is not blank.
c_gui() {
  local shot=$work/gui.png pid i colours
  wine "$EXE" --data "$(winpath "$work/gui-data")" >"$work/gui.log" 2>&1 &
  pid=$!
  for i in $(seq 1 60); do
    xwininfo -root -tree 2>/dev/null | grep -q '"ReferralDesk"' && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/gui.log"; echo "the program exited before showing a window"; return 1; }
    sleep 1
  done
  sleep 4 # first paint (software OpenGL)
  xwd -root -silent | convert xwd:- "png:$shot"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  colours=$(convert "$shot" -format %k info:)
  mkdir -p "$CACHE/wine" && cp "$shot" "$CACHE/wine/screenshot.png"
  [ "$i" -lt 60 ] || { echo "no ReferralDesk window within 60 s"; return 1; }
  [ "$colours" -gt 64 ] || { echo "screenshot has only $colours colours (blank?)"; return 1; }
  echo "window shown after ${i}s; screenshot $colours colours (.cache/wine/screenshot.png)"
}

# 7. The MSI: silent per-user install, the installed program runs, silent uninstall keeps the data.
c_msi() {
  local msiw exe="" c lnk data="$WINEPREFIX/drive_c/users/$WUSER/AppData/Roaming/ReferralDesk/referraldesk.db" out
  msiw=$(winpath "$MSI")
  w msiexec /i "$msiw" /qn /l*v 'C:\msi-install.log' || { tail -20 "$WINEPREFIX/drive_c/msi-install.log" | iconv -f UTF-16LE -t UTF-8 2>/dev/null; echo "msiexec /i failed"; return 1; }
  for c in "$WINEPREFIX/drive_c/users/$WUSER/AppData/Local/Programs/ReferralDesk/referraldesk.exe" \
    "$WINEPREFIX/drive_c/Program Files/ReferralDesk/referraldesk.exe"; do
    [ -f "$c" ] && exe=$c && break
  done
  [ -n "$exe" ] || { echo "installed referraldesk.exe not found"; return 1; }
  for c in eng osd; do
    [ -f "$(dirname "$exe")/tessdata/$c.traineddata" ] || { echo "the MSI did not install tessdata\\$c.traineddata beside the exe"; return 1; }
  done
  [ -f "$(dirname "$exe")/referraldesk-worker.exe" ] || { echo "the MSI did not install referraldesk-worker.exe beside the exe"; return 1; }
  [ -f "$(dirname "$exe")/libturbojpeg.dll" ] || { echo "the MSI did not install libturbojpeg.dll beside the exe"; return 1; }
  [ -f "$(dirname "$exe")/licenses/libjpeg-turbo-LICENSE.md" ] || { echo "the MSI did not install libjpeg-turbo's licence"; return 1; }
  lnk=$(find "$WINEPREFIX/drive_c" -name 'ReferralDesk.lnk' | head -1)
  [ -n "$lnk" ] || { echo "no Start-menu shortcut ReferralDesk.lnk"; return 1; }
  out=$(w "$exe" --version | tr -d '\r') || { echo "installed exe --version failed"; return 1; }
  grep -q "^ReferralDesk $VERSION (commit $COMMIT" <<<"$out" || { echo "installed --version: $(head -1 <<<"$out")"; return 1; }
  w "$exe" status >/dev/null || { echo "installed exe cannot read the data folder (status failed)"; return 1; }
  w msiexec /x "$msiw" /qn || { echo "msiexec /x failed"; return 1; }
  [ ! -e "$exe" ] || { echo "uninstall left $exe"; return 1; }
  [ ! -e "$(dirname "$exe")/referraldesk-worker.exe" ] || { echo "uninstall left referraldesk-worker.exe"; return 1; }
  [ ! -e "$(dirname "$exe")/libturbojpeg.dll" ] || { echo "uninstall left libturbojpeg.dll"; return 1; }
  [ ! -e "$(dirname "$exe")/tessdata" ] || { echo "uninstall left the tessdata folder"; return 1; }
  [ ! -e "$lnk" ] || { echo "uninstall left the shortcut"; return 1; }
  [ -f "$data" ] || { echo "uninstall removed the data folder"; return 1; }
  echo "installed to ${exe#"$WINEPREFIX/drive_c/"} (+ referraldesk-worker.exe, libturbojpeg.dll, tessdata) + ${lnk#"$WINEPREFIX/drive_c/"}; --version OK; uninstalled, data kept"
}

# 8. Chinese with real glyphs: Fyne falls back to a system font (go-text fontscan reads C:\Windows\Fonts)
# for letters its own font lacks. A Wine prefix has no CJK font, so the zh window is taken twice: without
# one (missing glyphs: placeholders) and with Droid Sans Fallback (Apache-2.0, fonts-droid-fallback) in
# the prefix's Fonts folder, as Microsoft YaHei is on every Windows 10/11. The fallback works when the
# second screenshot differs from the first and its title lines hold many more distinct glyph shapes.
cjk_shot() { # DATA-DIR OUT.png: the window of the program on that data folder
  local pid i
  wine "$EXE" --data "$(winpath "$1")" >"$2.log" 2>&1 &
  pid=$!
  for i in $(seq 1 60); do
    xwininfo -root -tree 2>/dev/null | grep -q '"ReferralDesk"' && break
    kill -0 "$pid" 2>/dev/null || { cat "$2.log"; echo "the program exited before showing a window"; return 1; }
    sleep 1
  done
  sleep 4 # first paint (software OpenGL)
  xwd -root -silent | convert xwd:- "png:$2"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$i" -lt 60 ] || { echo "no ReferralDesk window within 60 s"; return 1; }
}
# shapes PNG: distinct shapes (size and area) of the ink blobs in the window's title lines. Missing
# glyphs are one repeated placeholder (touching ones merge into bars); Chinese strokes give many shapes.
shapes() {
  convert "$1" -crop 1190x100+0+20 +repage -colorspace Gray -threshold 55% -negate \
    -define connected-components:verbose=true -connected-components 8 null: 2>/dev/null |
    awk 'NR > 1 && $NF == "gray(255)" { split($2, a, "+"); print a[1], $4 }' | sort -u | wc -l
}
c_cjk() {
  local font=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf data=$work/cjk-data
  local boxes=$work/zh-boxes.png glyphs=$work/zh-glyphs.png fonts="$WINEPREFIX/drive_c/windows/Fonts" a b diff
  [ -f "$font" ] || ensure_pkgs fonts-droid-fallback
  [ -f "$font" ] || { echo "no $font"; return 77; }
  w "$EXE" settings set --data "$(winpath "$data")" language zh-Hans >/dev/null || { echo "settings set language failed"; return 1; }
  rm -f "$fonts/DroidSansFallbackFull.ttf"
  cjk_shot "$data" "$boxes" || return 1
  cp "$font" "$fonts/"
  cjk_shot "$data" "$glyphs" || return 1
  rm -f "$fonts/DroidSansFallbackFull.ttf" # the other checks see the prefix as it was
  mkdir -p "$CACHE/wine" && cp "$boxes" "$CACHE/wine/zh-no-cjk-font.png" && cp "$glyphs" "$CACHE/wine/zh.png"
  a=$(shapes "$boxes") b=$(shapes "$glyphs")
  diff=$(compare -metric AE "$boxes" "$glyphs" null: 2>&1 | awk '{printf "%d", $1}' || true)
  [ "${diff:-0}" -gt 2000 ] || { echo "the zh window looks the same with a CJK font ($diff pixels differ): no fallback"; return 1; }
  [ "$b" -gt 50 ] && [ "$b" -gt $((a * 2)) ] ||
    { echo "$b distinct glyph shapes with the CJK font vs $a without: no real glyphs"; return 1; }
  echo "zh window: $diff pixels differ once a CJK font is in C:\\Windows\\Fonts; glyph shapes $a -> $b (.cache/wine/zh.png)"
}

check version c_version
check icd10 c_icd10
check packet c_packet
check ocr c_ocr
check data-path-unicode c_datapath
check default-data-folder c_default_data
check credentials c_creds
check cmd-redirect c_cmd_redirect
check gui-screenshot c_gui
check cjk-glyphs c_cjk
check msi c_msi

log "smoke run took $(($(date +%s) - t0)) s"
echo "wine: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
