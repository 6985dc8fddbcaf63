// Package status is `ccwake status`: the stalled sessions (every session
// with --all) and what the resumer would do about each, from a running
// service's memory when one holds the roots, else from one cold scan;
// as a table, one line for a status bar, JSON, or a JSON stream (--follow),
// for this machine and, with --host, others over ssh.
package status

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ccwake/ccwake/remote"
	"github.com/ccwake/ccwake/resume"
	"github.com/ccwake/ccwake/watch"
)

// Options are `ccwake status` as the command line resolved it. The streams,
// the environment and the clock are passed in, so Run behaves in a test as
// in the binary.
type Options struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // --follow ends when it closes
	Getenv         func(string) string
	Now            func() time.Time
	Loc            *time.Location

	All, JSON, Line, Wide, Follow bool

	Roots    []string // the Claude roots, resolved
	RootsErr error    // why they could not be
	Since    time.Duration
	Watch    watch.Backend

	Backends    []string // the terminal backends to look for panes in
	BackendsErr error    // why there are none
	TmuxSocket  string

	Engine    resume.Config // the policy a running ccwake applies
	ClaudeBin string        // the claude reopening runs
	ClaudeErr error         // why there is none
	Settings  func() any    // the settings --json reports, asked only for --json

	SocketDirs []string // where a running service's socket may be

	Hosts        []string // --host, checked
	SSH          []string // the ssh program and its options
	RemoteCCWake string   // how the hosts run ccwake

	Host string // this machine's name on the wire
	// Wire is one Update line of statuses, as `serve` writes it.
	Wire func(snap resume.Snapshot, sts []resume.Status, now time.Time) remote.Update
}

// UsageError is a mistake in the options: the command line prints it with
// where to read more (exit status 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

// ErrHostFailed is Run's answer when a host did not answer (its line is on
// Stderr) and nothing needs a human.
var ErrHostFailed = errors.New("a host did not answer")
