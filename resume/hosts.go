package resume

import "time"

// HostInfo is one other machine the dashboard follows over ssh (ccwake
// --host): its connection as the header shows it. The sessions of that
// machine are in Snapshot.Sessions with Status.Host set; the ccwake running
// there types into them, never this one.
type HostInfo struct {
	Name    string
	State   string    // connecting, up, lost, missing, too old, garbage
	Detail  string    // why: the last ssh error, the version mismatch, …
	RetryAt time.Time // the next attempt when it is not up
}
