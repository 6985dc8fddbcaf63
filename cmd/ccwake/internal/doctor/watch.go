package doctor

import (
	"github.com/ccwake/ccwake/watch"
)

// checkWatch says which watcher --watch gives here and why; under inotify
// it goes on to the kernel's limits.
func (d *doctor) checkWatch(b watch.Backend, roots []string) {
	used, why, err := b.Resolve()
	switch {
	case err != nil:
		d.fail("watch: %v", err)
	case used == watch.Poll:
		d.ok("watch: poll (%s): recent transcripts stat'ed every 0.5 s, the rest every 40 s; no descriptor held per file or directory", why)
	default:
		d.ok("watch: %s (%s)", used, why)
		d.checkInotify(roots)
	}
}
