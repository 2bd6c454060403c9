# ReferralDesk build and test entry points. `make run` starts the app; `make test` runs every test.
# Both install what they need first (Debian/Ubuntu packages only when missing, Go modules).

# One tag set for every go command: a different set recompiles SQLite's C code.
TAGS      := sqlite_fts5,migrated_fynedo
VERSION   := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT    := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE      := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(DATE)
GO        ?= go
# Go 1.26.10 carries the standard-library security fixes that govulncheck asks for; the go command
# fetches it from the module proxy on first use (about 76 MB). Machines default to GOTOOLCHAIN=local.
export GOTOOLCHAIN := go1.26.10
GOBIN     := $(shell $(GO) env GOPATH)/bin
GOFUMPT   := mvdan.cc/gofumpt@v0.9.2
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export XDG_RUNTIME_DIR ?= $(shell mktemp -d)

.PHONY: run build test race lint bench bench-packet fuzz screens deps test-deps modules clean windows win-tesseract msi package test-windows

run: deps modules
	$(GO) run -tags $(TAGS) -ldflags "$(LDFLAGS)" . $(ARGS)

# The app and, next to it, its file-reading worker (cmd/referraldesk-worker; the app starts it for each
# sandbox worker, or itself when it is not there, as under `make run`).
build: deps modules
	$(GO) build -tags $(TAGS) -trimpath -ldflags "$(LDFLAGS)" -o referraldesk .
	$(GO) build -tags $(TAGS) -trimpath -o referraldesk-worker ./cmd/referraldesk-worker

deps:
	@bash scripts/deps.sh

test-deps:
	@bash scripts/deps.sh test

modules:
	@$(GO) mod download

# Every test, with the race detector: store, headless UI, CLI, the real window under Xvfb, the FHIR
# and DICOMweb test peers (started by the tests on loopback), the tests of our changes to vendored
# pdfcpu (third_party/pdfcpu/REFERRALDESK.md), then the real OS keychain under D-Bus.
PATCHED_PKGS = github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types
test: test-deps modules
	$(GO) test -race -tags $(TAGS) -count=1 -timeout 25m ./... $(PATCHED_PKGS)
	GO=$(GO) TAGS=$(TAGS) bash scripts/keychain-test.sh

lint: deps modules
	@echo "gofumpt"; out=$$($(GO) run $(GOFUMPT) -l $$(git ls-files '*.go' ':!third_party')); if [ -n "$$out" ]; then echo "gofumpt would reformat:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	bash scripts/govulncheck.sh

# Every benchmark with its goals; `make bench-packet` runs the packet one alone (whole processes:
# referraldesk packet against qpdf and mutool on the mixed sample set; PACKET_BENCH_REPS=15 runs each).
bench: test-deps modules
	bash scripts/bench-core.sh
	bash scripts/bench-startup.sh
	bash scripts/bench-sync.sh
	bash scripts/bench-images.sh
	bash scripts/bench-packet.sh
	bash scripts/bench-import.sh
	bash scripts/bench-ocr.sh

bench-packet: test-deps modules
	bash scripts/bench-packet.sh

# Fuzz the readers of outside files from their seeds (the shared samples, hostile files), FUZZTIME
# each (`make test` runs every seed once). A crash found is saved under testdata/fuzz/ of its package.
FUZZTIME ?= 60s
fuzz: test-deps modules
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzInspectPDF$$' -fuzztime $(FUZZTIME) ./app/packet/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzDocDate$$' -fuzztime $(FUZZTIME) ./app/packet/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzDatePatterns$$' -fuzztime $(FUZZTIME) ./app/packet/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./app/dicom/

screens: deps modules
	$(GO) run -tags $(TAGS) . screens --out docs/screens
	$(GO) run -tags $(TAGS) . screens --lang es --out /tmp/referraldesk-screens-es && cp /tmp/referraldesk-screens-es/home.png docs/screens/es/
	$(GO) run -tags $(TAGS) . screens --lang zh --out /tmp/referraldesk-screens-zh && cp /tmp/referraldesk-screens-zh/review.png docs/screens/zh/

# Release builds (scripts/windows/, packaging/): one stamp (FyneApp.toml Version, commit, date) for
# every artifact of one make run. `make windows`: dist/referraldesk.exe (mingw-w64 cross build, fyne
# package, with OCR: static Tesseract from `make win-tesseract`, cached in .cache/build) and its models in
# dist/tessdata; `make msi`: dist/ReferralDesk-$(VERSION)-x64.msi (wixl); `make package`: both plus the Linux
# tar.xz and dist/SHA256SUMS. Signed when REFERRALDESK_SIGN_CERT/_KEY (/_PASS) are set (see sign.sh).
STAMP := VERSION=$(VERSION) COMMIT=$(COMMIT) DATE=$(DATE) TAGS=$(TAGS)

windows: modules
	@$(STAMP) bash scripts/windows/build.sh

# Only the Windows OCR engine (Leptonica + Tesseract for mingw-w64; long the first time, then cached).
win-tesseract:
	@bash scripts/windows/tesseract.sh >/dev/null

msi: windows
	@$(STAMP) bash scripts/windows/msi.sh

package: deps modules windows msi
	@$(STAMP) bash packaging/package.sh

# The Windows build under Wine (installs wine, xvfb and mingw-w64 when missing); fails if a check fails
# (among them `ocr`: a scanned page read by the built-in Tesseract).
test-windows: msi
	@$(STAMP) bash scripts/windows/smoke.sh

clean:
	rm -rf referraldesk referraldesk-worker referraldesk.exe dist
