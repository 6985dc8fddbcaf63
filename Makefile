# Tasks. `make test` is the one command that sets up and runs every test.
GO ?= go
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.15.1

# Stamp the version (a tag, when there is one) and the commit into the binary;
# without them ccwake --version falls back to the Go build info.
VERSION := $(shell git describe --tags --exact-match 2>/dev/null)
COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

.PHONY: test test-short lint fmt bench fuzz build install docs cross vet-cross release-check release-snapshot

# test: makes sure tmux is there (see scripts/need-tmux.sh), checks formatting, vets for
# this machine and the other release targets (vet-cross), runs every test with -race.
test:
	./scripts/need-tmux.sh
	@out=$$(gofmt -s -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt -s needed:"; echo "$$out"; exit 1; fi
	$(MAKE) --no-print-directory vet-cross
	$(GO) test -race -count=1 -timeout 20m ./...

# vet-cross: every package, tests included, type-checks and passes go vet's analyzers for
# this machine and for the other release targets. The only check darwin gets here: its
# shims (resume/procs/procs_darwin.go asserts the kinfo_proc layout at compile time) and
# darwin-tagged tests. Keep in step with .goreleaser.yaml. internal/tools/crossvet runs
# go vet's analyzers on packages type-checked from source: `go vet` would first compile
# the standard library and every dependency without -race (which go test -race then
# compiles again), and `GOOS=… go vet` once more per target: about 2 minutes of CPU each
# on a cold cache. This takes seconds per target and proves the same (a type error fails
# it, as does a vet finding). `go vet ./...` itself stays clean (make lint).
CROSS_VET = darwin/arm64 darwin/amd64 linux/arm64
vet-cross:
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && (cd internal/tools && $(GO) build -o "$$dir/crossvet" ./crossvet) && \
	echo "vet ./... for $$($(GO) env GOOS)/$$($(GO) env GOARCH)" && CGO_ENABLED=0 "$$dir/crossvet" ./... && \
	for t in $(CROSS_VET); do echo "vet ./... for $$t"; \
		GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0 "$$dir/crossvet" ./... || exit 1; done

# test-short: the quick loop; skips the real-tmux and real-binary tests.
test-short:
	$(GO) test -short ./...

lint:
	$(GO) vet ./...
	gofmt -s -d .

fmt:
	gofmt -s -w .

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/ccwake ./cmd/ccwake

# install: ccwake into $(go env GOBIN), else $(go env GOPATH)/bin (usually ~/go/bin).
install:
	$(GO) install -ldflags "$(LDFLAGS)" ./cmd/ccwake

# docs: shell completions and the man page into build/.
docs:
	./scripts/gen-docs.sh build

# cross: the release targets compile (linux and darwin, amd64 and arm64).
cross:
	for t in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64; do \
		GOOS=$${t%/*} GOARCH=$${t#*/} CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/ccwake || exit 1; done

release-check:
	$(GORELEASER) check

# release-snapshot: every release archive, checksums and the Homebrew cask into dist/, publishing nothing.
release-snapshot:
	$(GORELEASER) release --snapshot --clean

# bench: the cold-start and append-latency benchmarks; CCWAKE_BENCH_TREE=DIR uses a big generated tree.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 5x ./watch/ ./watch/classify/

# fuzz: every parser's fuzz target, FUZZTIME (default 1m) each.
FUZZTIME ?= 1m
FUZZ_TARGETS = \
	./watch/classify/:FuzzParse ./watch/classify/:FuzzResetTime ./watch/classify/:FuzzClassify \
	./watch/:FuzzLineReader ./internal/jsondepth/:FuzzCheck \
	./resume/procs/:FuzzParseSessionFile ./resume/pane/:FuzzClassifyScreen ./resume/pane/:FuzzPlaceholderOnly \
	./resume/pane/:FuzzHintAtCursor ./resume/procs/:FuzzParseStat ./resume/statefile/:FuzzLoad \
	./remote/:FuzzParseLine
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} in $${t%%:*}"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done
