# chase.md — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
GOBIN := $(shell go env GOPATH)/bin
WAILS := $(GOBIN)/wails
# One version number: VERSION holds the semantic version; the binary reports it plus the
# build (0.9.0+1a2b3c4). wails.json's productVersion (the Windows file properties and the
# installer) must say the same: `make check-version` fails when they differ.
VERSION := $(shell cat VERSION)
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
# A release build carries the product's own Xero app client ID (PKCE: no secret), so
# people sign in without creating a Xero app; empty here, so each practice enters its own.
XERO_CLIENT_ID ?=
# A release build also names its update feed and the feed's public key (backend/update).
UPDATE_FEED_URL ?=
UPDATE_PUBLIC_KEY ?=
LDFLAGS := -X chase.md/backend/config.Version=$(VERSION)+$(COMMIT) -X chase.md/backend/config.BuiltinClientID=$(XERO_CLIENT_ID) \
	-X chase.md/backend/config.UpdateFeedURL=$(UPDATE_FEED_URL) -X chase.md/backend/config.UpdatePublicKey=$(UPDATE_PUBLIC_KEY)
BIN := build/bin/chase
ART := artifacts

.PHONY: check-version dist test-dist test-deb-install run build setup setup-dist setup-test frontend test test-go test-frontend test-windows test-e2e test-smoke bench clean

## run: install what is missing, build, open the app in demo mode
run: build
	CHASE_DEMO=1 ./$(BIN) --demo

## build: the release binary for this OS (build/bin/chase)
build: setup frontend
	go build -buildmode=pie -tags desktop,production -ldflags "-w -s $(LDFLAGS)" -o $(BIN) .

## dist: the installers in dist/ (.deb, Windows setup .exe, portable .zip), from VERSION
dist: check-version setup-dist build
	LDFLAGS="-w -s $(LDFLAGS)" scripts/dist.sh

setup:
	@scripts/setup.sh build

setup-dist:
	@scripts/setup.sh dist

setup-test:
	@scripts/setup.sh test

frontend:
	cd frontend && npm run build

## test: every kind of test; installs its own dependencies first
test: check-version setup-test frontend test-go test-frontend test-windows test-dist test-deb-install test-smoke test-e2e
	@echo "make test: all suites passed"

# Go tests run inside a private D-Bus session with a fresh unlocked gnome-keyring, so the
# keyring tests use a real Secret Service (and CHASE_REQUIRE_KEYRING makes them fail, not skip).
test-go:
	@mkdir -p $(ART)
	go vet ./...
	set -o pipefail; CHASE_REQUIRE_KEYRING=1 scripts/with-keyring.sh go test -race -timeout 20m ./... 2>&1 | tee $(ART)/go-test.log

# The bundle test reads frontend/dist, which `make test` builds first (the frontend target).
test-frontend:
	cd frontend && npm test && node --test scripts/

# Most practices run Windows: the release build must cross-compile without cgo,
# and every package, tests included, must type-check and vet for Windows.
test-windows:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -tags desktop,production -ldflags "-w -s -H windowsgui $(LDFLAGS)" -o $(ART)/chase.exe .
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go vet ./...
	@echo "windows build: 2 passed, 0 failed ($$(du -h $(ART)/chase.exe | cut -f1); go vet of every package for windows)"

# The installers: make dist, then lintian on the .deb, the PE headers, version resources and
# 7-Zip contents lists of the Windows installer and the portable zip (scripts/test-dist.sh).
test-dist: dist
	scripts/test-dist.sh

# The .deb installed with apt into a clean Debian 12 root (debootstrap, cached), and the installed
# app started there in demo mode under Xvfb with a screenshot (scripts/test-deb-install.sh).
test-deb-install: dist
	scripts/test-deb-install.sh

test-smoke: build
	scripts/smoke.sh

test-e2e:
	scripts/e2e.sh

## bench: benchmarks; prints one `bench: NAME VALUE UNIT` line per figure
bench: setup-test
	@mkdir -p $(ART)
	set -o pipefail; scripts/with-keyring.sh go test -run '^$$' -bench . -benchtime 1x -timeout 30m ./backend/... ./app/ 2>&1 | tee $(ART)/bench.log
	@echo "---- figures ----"; grep -h '^bench: ' $(ART)/bench.log || true

## check-version: VERSION and wails.json's productVersion agree
check-version:
	@v=$$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json); \
	if [ "$$v" != "$(VERSION)" ]; then echo "check-version: VERSION says $(VERSION) but wails.json productVersion says $$v" >&2; exit 1; fi; \
	echo "check-version: $(VERSION) in VERSION and wails.json"

clean:
	rm -rf build/bin $(ART) frontend/dist/assets frontend/dist/index.html
