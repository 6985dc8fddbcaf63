//go:build !linux && !darwin

package procs

import (
	"context"
	"errors"

	"github.com/ccwake/ccwake/resume/mux"
)

// NewHost: only Linux and macOS are supported; elsewhere every lookup
// fails, so no pane is ever located and nothing is typed.
func NewHost(mux.Runner) Table { return noProcs{} }

type noProcs struct{}

var errNoProcs = errors.New("reading processes is not supported on this OS")

func (noProcs) List(context.Context) ([]Proc, error)           { return nil, errNoProcs }
func (noProcs) Get(context.Context, int) (Proc, error)         { return Proc{}, errNoProcs }
func (noProcs) Cwd(context.Context, int) (string, error)       { return "", errNoProcs }
func (noProcs) Cmdline(context.Context, int) ([]string, error) { return nil, errNoProcs }
func (noProcs) Exe(context.Context, int) (string, error)       { return "", errNoProcs }
func (noProcs) Environ(context.Context, int) ([]string, error) { return nil, errNoProcs }
func (noProcs) Stdio(context.Context, int) ([]string, error)   { return nil, errNoProcs }
