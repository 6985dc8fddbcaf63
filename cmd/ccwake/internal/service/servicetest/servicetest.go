// Package servicetest reads what `ccwake service` writes, for the tests of
// package service and of the binary: plists, unit lines, a fake service manager.
package servicetest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func UnitLine(unit, prefix string) string {
	for _, l := range strings.Split(unit, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}

// PlistDict decodes a launchd plist's top dict: string, integer and bool
// values, string arrays, and nested dicts of strings.
type PlistDict map[string]any

func ParsePlist(t *testing.T, body []byte) PlistDict {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	var value func(se xml.StartElement) any
	value = func(se xml.StartElement) any {
		switch se.Name.Local {
		case "string", "integer":
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			return s
		case "true", "false":
			if err := dec.Skip(); err != nil {
				t.Fatal(err)
			}
			return se.Name.Local == "true"
		case "array":
			var list []string
			for {
				tok, err := dec.Token()
				if err != nil {
					t.Fatal(err)
				}
				if s, ok := tok.(xml.StartElement); ok {
					list = append(list, value(s).(string))
				}
				if _, ok := tok.(xml.EndElement); ok {
					return list
				}
			}
		case "dict":
			d := PlistDict{}
			var key string
			for {
				tok, err := dec.Token()
				if err != nil {
					t.Fatal(err)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if tok.Name.Local == "key" {
						if err := dec.DecodeElement(&key, &tok); err != nil {
							t.Fatal(err)
						}
						continue
					}
					if key == "" {
						t.Fatalf("plist: <%s> without a key", tok.Name.Local)
					}
					d[key], key = value(tok), ""
				case xml.EndElement:
					return d
				}
			}
		}
		t.Fatalf("plist: unexpected <%s>", se.Name.Local)
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			t.Fatal("plist: no top dict")
		}
		if err != nil {
			t.Fatalf("plist is not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			return value(se).(PlistDict)
		}
	}
}

func PlutilLint(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("plutil"); err == nil {
		if out, err := exec.Command("plutil", "-lint", path).CombinedOutput(); err != nil {
			t.Fatalf("plutil -lint: %v\n%s", err, out)
		}
	}
}

// FakeManager writes a stand-in systemctl or launchctl into dir that
// appends its argv to dir/name.log and prints answer for an argv holding
// key.
func FakeManager(t *testing.T, dir, name, key, answer string) string {
	t.Helper()
	log := filepath.Join(dir, name+".log")
	script := fmt.Sprintf("#!/bin/sh\nprintf '%%s\\n' \"$*\" >> '%s'\ncase \"$*\" in *%s*) printf '%%s\\n' '%s';; esac\n", log, key, answer)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return log
}

func ManagerCalls(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}
