package e2e

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// needClient is the real client CCWAKE_E2E_CLAUDE names; without one, or
// with -short, the test skips.
func needClient(t *testing.T) string {
	t.Helper()
	claude := os.Getenv("CCWAKE_E2E_CLAUDE")
	if claude == "" {
		t.Skip("set CCWAKE_E2E_CLAUDE to a Claude Code client (scripts/fetch-claude.sh VERSION prints one)")
	}
	if testing.Short() {
		t.Skip("end-to-end test takes minutes")
	}
	return claude
}

// backendWorld is what the throttle scenario in another terminal (screen,
// kitty) needs: the client's argv, a ccwake binary, a home with the
// client's settings and a work dir under dir, the Claude root, and the
// client's environment pointing at the mock API, which throttles once.
type backendWorld struct {
	argv                       []string
	bin, dir, home, work, root string
	env                        []string
	mock                       *mockAPI
}

func newBackendWorld(t *testing.T, claude string) backendWorld {
	t.Helper()
	w := backendWorld{argv: claudeArgv(claude), bin: os.Getenv("CCWAKE_E2E_CCWAKE"), dir: t.TempDir()}
	if w.bin == "" {
		w.bin = buildCcwake(t, t.TempDir())
	}
	w.home, w.work = filepath.Join(w.dir, "home"), filepath.Join(w.dir, "work")
	for _, d := range []string{w.home, w.work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.root = filepath.Join(w.home, ".claude")
	var err error
	w.mock, err = startMockAPI(throttleOnce(time.Now(), 0), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.mock.close)
	w.env = append(baseEnv(w.home), "ANTHROPIC_BASE_URL="+w.mock.URL, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_MAX_RETRIES=0", "CLAUDE_CODE_OAUTH_TOKEN="+oauthToken)
	writeClaudeJSON(t, w.home, w.work, "")
	return w
}
