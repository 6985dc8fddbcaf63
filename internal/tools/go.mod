// The build tools of `make`, a module of their own so that `go test ./...`
// of ccwake neither builds them nor carries their dependencies.
module github.com/ccwake/ccwake/internal/tools

go 1.26.0

require golang.org/x/tools v0.52.0

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)
