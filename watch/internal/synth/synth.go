// Package synth writes a synthetic Claude Code config dir for benchmarks:
// many transcripts over many project dirs, sizes Pareto-distributed the way
// real ones are (most small, a few hundreds of MB), some 1 MB lines (tool
// output), and some sessions stalled on an API error with the metadata
// Claude Code writes after it. Entry shapes follow the 2.1.330 fixtures.
package synth

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config says what to generate. Zero fields take the defaults noted.
type Config struct {
	Dir         string  // the config root to create (<Dir>/projects/<slug>/<id>.jsonl)
	Transcripts int     // number of transcripts (default 100)
	Projects    int     // number of project dirs (default Transcripts/30+1)
	Stalled     int     // transcripts ending in an API error + metadata
	TotalBytes  int64   // approximate total size (default 1 MiB per transcript)
	Alpha       float64 // Pareto shape of the sizes (default 1.2)
	MaxBytes    int64   // largest transcript (default 512 MiB)
	MegaEvery   float64 // chance that a turn carries a 1 MB tool result (default 0.002)
	MegaTail    float64 // share of working transcripts whose last line is a 1 MB tool result (default 0.02)
	Now         time.Time
	Rand        *rand.Rand // required: generation is reproducible from its seed
}

// Tree is what was written.
type Tree struct {
	Root    string
	Files   []string
	Stalled []string // transcripts that end stalled
	Bytes   int64
}

// Generate writes the tree.
func Generate(cfg Config) (Tree, error) {
	if cfg.Transcripts <= 0 {
		cfg.Transcripts = 100
	}
	if cfg.Projects <= 0 {
		cfg.Projects = cfg.Transcripts/30 + 1
	}
	if cfg.TotalBytes <= 0 {
		cfg.TotalBytes = int64(cfg.Transcripts) << 20
	}
	if cfg.Alpha <= 1 {
		cfg.Alpha = 1.2
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 512 << 20
	}
	if cfg.MegaEvery == 0 {
		cfg.MegaEvery = 0.002
	}
	if cfg.MegaTail == 0 {
		cfg.MegaTail = 0.02
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	if cfg.Rand == nil {
		return Tree{}, fmt.Errorf("synth: Config.Rand is required")
	}
	r := cfg.Rand
	tree := Tree{Root: cfg.Dir}
	projects := make([]string, cfg.Projects)
	for i := range projects {
		projects[i] = filepath.Join(cfg.Dir, "projects", fmt.Sprintf("-home-dev-src-project-%03d", i))
		if err := os.MkdirAll(projects[i], 0o755); err != nil {
			return tree, err
		}
		// Project dirs also hold non-transcripts.
		if i%10 == 0 {
			if err := os.MkdirAll(filepath.Join(projects[i], "memory"), 0o755); err != nil {
				return tree, err
			}
			if err := os.WriteFile(filepath.Join(projects[i], "memory", "MEMORY.md"), []byte("# notes\n"), 0o644); err != nil {
				return tree, err
			}
		}
	}
	// Pareto sizes with the requested mean: mean = alpha*xm/(alpha-1).
	mean := float64(cfg.TotalBytes) / float64(cfg.Transcripts)
	xm := mean * (cfg.Alpha - 1) / cfg.Alpha
	stalled := make(map[int]bool)
	for _, i := range r.Perm(cfg.Transcripts)[:min(cfg.Stalled, cfg.Transcripts)] {
		stalled[i] = true
	}
	w := &writer{r: r, pad: []byte(strings.Repeat("x", 1<<20+1024))}
	for i := range cfg.Transcripts {
		size := int64(xm / math.Pow(1-r.Float64(), 1/cfg.Alpha))
		size = min(size, cfg.MaxBytes)
		dir := projects[r.IntN(len(projects))]
		path := filepath.Join(dir, uuid(r)+".jsonl")
		mtime := cfg.Now.Add(-time.Duration(r.Int64N(int64(24 * time.Hour))))
		end := ending(0)
		switch {
		case stalled[i]:
			end = endStalled
		case r.Float64() < cfg.MegaTail:
			end = endMega
		}
		n, err := w.file(path, size, dir, mtime, end, cfg.MegaEvery)
		if err != nil {
			return tree, err
		}
		tree.Files = append(tree.Files, path)
		if end == endStalled {
			tree.Stalled = append(tree.Stalled, path)
		}
		tree.Bytes += n
	}
	sort.Strings(tree.Stalled)
	return tree, nil
}

// ending is how a transcript ends.
type ending uint8

const (
	endWorking ending = iota // a normal reply and the metadata after it
	endStalled               // an API error and the metadata after it
	endMega                  // a 1 MB tool result: mid-turn
)

// writer writes one transcript at a time through a big buffer.
type writer struct {
	r   *rand.Rand
	pad []byte // the filler text of long fields
	bw  *bufio.Writer
	n   int64
	sid string
	cwd string
	at  time.Time
	par string // uuid of the previous entry
}

func (w *writer) file(path string, size int64, dir string, mtime time.Time, end ending, megaEvery float64) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if w.bw == nil {
		w.bw = bufio.NewWriterSize(f, 4<<20)
	} else {
		w.bw.Reset(f)
	}
	w.n = 0
	w.sid = strings.TrimSuffix(filepath.Base(path), ".jsonl")
	w.cwd = "/" + strings.ReplaceAll(strings.TrimPrefix(filepath.Base(dir), "-"), "-", "/")
	w.at = mtime.Add(-time.Duration(size/1000) * time.Second)
	w.par = ""
	w.meta(`{"type":"queue-operation","operation":"enqueue","timestamp":"%s","sessionId":"%s","content":"say hi"}`, w.ts(), w.sid)
	for w.n < size {
		w.turn(megaEvery)
	}
	switch end {
	case endStalled:
		w.user("please go on")
		id := uuid(w.r)
		w.meta(`{"parentUuid":"%s","isSidechain":false,"type":"assistant","uuid":"%s","timestamp":"%s","message":{"id":"m","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message","usage":{"input_tokens":0,"output_tokens":0},"content":[{"type":"text","text":"API Error: Server is temporarily limiting requests (not your usage limit) · Rate limited"}],"context_management":null},"requestId":"req_x","apiErrorIsTransient":true,"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429,"apiErrorType":"rate_limit_error","userType":"external","entrypoint":"cli","cwd":"%s","sessionId":"%s","version":"2.1.330","gitBranch":"HEAD"}`, w.par, id, w.ts(), w.cwd, w.sid)
		w.par = id
		w.tail(id)
	case endMega:
		w.reply(200)
		w.toolResult(1 << 20)
	default:
		w.user("say hi")
		w.tail(w.reply(100 + w.r.IntN(2000)))
	}
	if err := w.bw.Flush(); err != nil {
		f.Close()
		return w.n, err
	}
	if err := f.Close(); err != nil {
		return w.n, err
	}
	return w.n, os.Chtimes(path, mtime, mtime)
}

// turn writes one prompt → request → tool use → result → reply exchange.
func (w *writer) turn(megaEvery float64) {
	w.user("do the next thing")
	w.meta(`{"type":"api-request","sessionId":"%s","id":"%s","timestamp":"%s","version":"2.1.330","querySource":"repl_main_thread","params":{"model":"claude-opus-5-5","max_tokens":128000,"system":"%s"}}`, w.sid, uuid(w.r), w.ts(), w.fill(300+w.r.IntN(700)))
	w.reply(200 + w.r.IntN(3000))
	if w.r.Float64() < megaEvery {
		w.toolResult(1 << 20)
	} else {
		w.toolResult(500 + w.r.IntN(12000))
	}
	w.reply(100 + w.r.IntN(1500))
	w.meta(`{"parentUuid":"%s","isSidechain":false,"type":"system","subtype":"turn_duration","durationMs":%d,"timestamp":"%s","uuid":"%s","cwd":"%s","sessionId":"%s","version":"2.1.330"}`, w.par, w.r.IntN(90000), w.ts(), uuid(w.r), w.cwd, w.sid)
}

func (w *writer) user(text string) string {
	return w.entry(`{"parentUuid":"%s","isSidechain":false,"promptId":"p","type":"user","message":{"role":"user","content":` + strconv.Quote(text) + `},"uuid":"%s","timestamp":"%s","permissionMode":"default","promptSource":"typed","userType":"external","entrypoint":"cli","cwd":"%s","sessionId":"%s","version":"2.1.330","gitBranch":"HEAD"}`)
}

func (w *writer) reply(n int) string {
	return w.entry(`{"parentUuid":"%s","isSidechain":false,"message":{"id":"msg_x","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"` + w.fill(n) + `"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}},"type":"assistant","uuid":"%s","timestamp":"%s","userType":"external","entrypoint":"cli","cwd":"%s","sessionId":"%s","version":"2.1.330","gitBranch":"HEAD"}`)
}

func (w *writer) toolResult(n int) string {
	return w.entry(`{"parentUuid":"%s","isSidechain":false,"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_x","type":"tool_result","content":"` + w.fill(n) + `"}]},"uuid":"%s","timestamp":"%s","userType":"external","entrypoint":"cli","cwd":"%s","sessionId":"%s","version":"2.1.330","gitBranch":"HEAD"}`)
}

// entry writes a conversation entry; format takes parent, uuid,
// timestamp, cwd and session id in that order.
func (w *writer) entry(format string) string {
	id := uuid(w.r)
	w.meta(format, w.par, id, w.ts(), w.cwd, w.sid)
	w.par = id
	return id
}

// tail writes the metadata 2.1.330 writes after a turn ends.
func (w *writer) tail(leaf string) {
	w.meta(`{"type":"last-prompt","lastPrompt":"say hi","leafUuid":"%s","sessionId":"%s"}`, leaf, w.sid)
	w.meta(`{"type":"atis-latch","atis":"","sessionId":"%s"}`, w.sid)
	w.meta(`{"type":"cost-state","sessionId":"%s","totalCostUSD":0.00014,"totalAPIDuration":31,"totalDuration":574,"modelUsage":{},"hasUnknownModelCost":false}`, w.sid)
}

func (w *writer) meta(format string, args ...any) {
	k, _ := fmt.Fprintf(w.bw, format, args...)
	w.bw.WriteByte('\n')
	w.n += int64(k) + 1
}

func (w *writer) ts() string {
	w.at = w.at.Add(time.Duration(1+w.r.IntN(3000)) * time.Millisecond)
	return w.at.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (w *writer) fill(n int) string { return string(w.pad[:min(n, len(w.pad))]) }

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}
