# Tasks. `make test` is the one command that sets up and runs every test.
GO ?= go

.PHONY: test lint fmt bench fuzz build

# test: installs tmux if missing, checks formatting and vet, runs every test with -race.
test:
	./scripts/need-tmux.sh
	@out=$$(gofmt -s -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt -s needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 8m ./...

lint:
	$(GO) vet ./...
	gofmt -s -d .

fmt:
	gofmt -s -w .

build:
	$(GO) build -o bin/ccwake ./cmd/ccwake

# bench: the cold-start and append-latency benchmarks; CCWAKE_BENCH_TREE=DIR uses a big generated tree.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 5x ./watch/ ./watch/classify/

# fuzz: two minutes per target.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 2m ./watch/classify/
	$(GO) test -run '^$$' -fuzz FuzzResetTime -fuzztime 2m ./watch/classify/
	$(GO) test -run '^$$' -fuzz FuzzLineReader -fuzztime 2m ./watch/
