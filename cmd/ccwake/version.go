package main

import (
	"runtime"
	"runtime/debug"
)

// Set by release builds: go build -ldflags "-X main.version=v1.2.3 -X main.commit=abc1234 -X main.date=…".
// Empty values fall back to the module's build info.
var (
	version = ""
	commit  = ""
	date    = ""
)

// versionLine is what --version and `ccwake version` print: the module
// version and the commit it was built from, from -ldflags when a release
// set them, else from the Go build info (go install …@v1.2.3 gives the
// version, a build in a git clone the commit).
func versionLine() string {
	v, c, d, dirty := version, commit, date, false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	line := "ccwake " + v
	if c != "" {
		if len(c) > 12 {
			c = c[:12]
		}
		line += " commit " + c
		if dirty {
			line += "-dirty"
		}
	} else {
		line += " commit unknown"
	}
	if d != "" {
		line += " built " + d
	}
	return line + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
