package logfile

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ccwake/ccwake/internal/termsafe"
	"github.com/ccwake/ccwake/ui"
)

// ShowOptions are what `ccwake log` needs: where the log file is and where
// to print, with the clock passed in so the times read the same in tests.
type ShowOptions struct {
	Path  string    // the log file; "" when it is off
	Lines int       // at most this many of the most recent lines; 0: all
	Out   io.Writer // where the lines go
	Now   time.Time // "today" for the relative times
}

// Show is `ccwake log`: the most recent lines of the log file and its
// rotated predecessors, oldest first, in the local time zone, so what
// ccwake typed overnight can be read in the morning.
func Show(o ShowOptions) error {
	path := o.Path
	if path == "" {
		return errors.New("the log file is off (log-file = \"off\"): there is nothing to show")
	}
	var lines []string
	found := false
	for i := Keep; i >= 0; i-- {
		p := path
		if i > 0 {
			p = Rotated(path, i)
		}
		got, err := readLines(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		found = true
		lines = append(lines, got...)
	}
	if !found {
		return fmt.Errorf("no log at %s yet: ccwake --auto and the dashboard write it", path)
	}
	if o.Lines > 0 && len(lines) > o.Lines {
		lines = lines[len(lines)-o.Lines:]
	}
	var b strings.Builder
	for _, l := range lines {
		// The log quotes transcript text: decoded, it may hold controls.
		b.WriteString(termsafe.String(formatLogLine(l, o.Now)) + "\n")
	}
	_, err := fmt.Fprint(o.Out, b.String())
	return err
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// logRecord is one parsed log line.
type logRecord struct {
	time  time.Time
	level string
	msg   string
	attrs [][2]string // in the order written
}

// formatLogLine shows one line of either log format as
// "when  level what  session pane  reason", or the line as it is when it
// is neither.
func formatLogLine(line string, now time.Time) string {
	r, ok := parseLogLine(line)
	if !ok {
		return line
	}
	attr := map[string]string{}
	var rest []string
	for _, kv := range r.attrs {
		attr[kv[0]] = kv[1]
	}
	level := ""
	if r.level != "" && r.level != "INFO" {
		level = r.level
	}
	head := fmt.Sprintf("%-15s  %-4s  %-14s", when(r.time, now), level, r.msg)
	if id, ok := attr["session"]; ok {
		// An action: in the dashboard's words, not the engine's names
		// ("retry_refused" reads "retry refused").
		head = fmt.Sprintf("%-15s  %-4s  %-14s", when(r.time, now), level, ui.EventLabel(r.msg))
		pane := attr["pane"]
		if pane == "" {
			pane = "-"
		}
		return strings.TrimRight(fmt.Sprintf("%s  %-8s  %-4s  %s", head, id[:min(8, len(id))], pane, ui.EventReason(r.msg, attr["reason"])), " ")
	}
	for _, kv := range r.attrs {
		rest = append(rest, kv[0]+"="+kv[1])
	}
	return strings.TrimRight(head+"  "+strings.Join(rest, " "), " ")
}

// when is a log time in the local zone: the time of day today, else with
// the date, so last night never reads like tonight.
func when(t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	t, now = t.Local(), now.Local()
	switch {
	case t.Year() == now.Year() && t.YearDay() == now.YearDay():
		return t.Format("15:04:05")
	case t.Year() == now.Year():
		return t.Format("Jan 02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}

// parseLogLine reads a line of slog's JSON or text (logfmt) handler.
func parseLogLine(line string) (logRecord, bool) {
	var r logRecord
	var kvs [][2]string
	if strings.HasPrefix(line, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			return r, false
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := m[k]
			s, isStr := v.(string)
			if !isStr {
				b, _ := json.Marshal(v)
				s = string(b)
			}
			kvs = append(kvs, [2]string{k, s})
		}
	} else {
		var ok bool
		if kvs, ok = parseLogfmt(line); !ok {
			return r, false
		}
	}
	for _, kv := range kvs {
		switch kv[0] {
		case "time":
			r.time, _ = time.Parse(time.RFC3339Nano, kv[1])
		case "level":
			r.level = kv[1]
		case "msg":
			r.msg = kv[1]
		default:
			r.attrs = append(r.attrs, kv)
		}
	}
	return r, r.msg != "" && !r.time.IsZero()
}

// parseLogfmt splits key=value pairs; quoted values are Go-quoted, as
// slog's text handler writes them.
func parseLogfmt(s string) ([][2]string, bool) {
	var out [][2]string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(s, " ") {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.ContainsAny(s[:eq], " \"") {
			return nil, false
		}
		key, v := s[:eq], s[eq+1:]
		if strings.HasPrefix(v, `"`) {
			q, err := strconv.QuotedPrefix(v)
			if err != nil {
				return nil, false
			}
			val, _ := strconv.Unquote(q)
			out = append(out, [2]string{key, val})
			s = v[len(q):]
			continue
		}
		end := strings.IndexByte(v, ' ')
		if end < 0 {
			end = len(v)
		}
		out = append(out, [2]string{key, v[:end]})
		s = v[end:]
	}
	return out, len(out) > 0
}
