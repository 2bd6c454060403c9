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

.PHONY: run build test race lint bench screens deps test-deps modules clean

run: deps modules
	$(GO) run -tags $(TAGS) -ldflags "$(LDFLAGS)" . $(ARGS)

build: deps modules
	$(GO) build -tags $(TAGS) -trimpath -ldflags "$(LDFLAGS)" -o referraldesk .

deps:
	@bash scripts/deps.sh

test-deps:
	@bash scripts/deps.sh test

modules:
	@$(GO) mod download

# Every test, with the race detector, including the real-window smoke test under Xvfb.
test: test-deps modules
	$(GO) test -race -tags $(TAGS) -count=1 -timeout 20m ./...

lint: deps modules
	@echo "gofumpt"; out=$$($(GO) run $(GOFUMPT) -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofumpt would reformat:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...
	bash scripts/govulncheck.sh

bench: test-deps modules
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 200x ./app/icd10/ ./local/
	bash scripts/bench-startup.sh

screens: deps modules
	$(GO) run -tags $(TAGS) . screens --out docs/screens

clean:
	rm -rf referraldesk referraldesk.exe dist
