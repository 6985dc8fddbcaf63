package doctor

import (
	"time"

	"github.com/ccwake/ccwake/resume/statefile"
)

// checkRecord is doctor's look at a root's record: where it is, and FAIL
// when it cannot be used (nothing is typed) or was lost (older stalls are
// left to a human).
func (d *doctor) checkRecord(root string, record func(string) (string, error), legacy []string) {
	path, err := record(root)
	if err != nil {
		d.fail("record %s: %v: nothing is typed under it", root, err)
		return
	}
	st, err := statefile.Open(path, statefile.Options{Legacy: legacy})
	if err != nil {
		d.fail("record %s: %v: nothing is typed under %s until it can be read (remove it if it is not ccwake's)", path, err, root)
		return
	}
	h, why := st.Health()
	data := st.Data()
	switch {
	case !data.Lost.IsZero():
		how := "it could not be read back; the file has been rewritten since"
		if why != nil {
			how = why.Error()
		}
		d.fail("record %s: what it recorded was lost at %s (%s): stalls from before then are never typed for, "+
			"check those sessions yourself; this clears at %s", path, data.Lost.Local().Format(time.DateTime), how,
			data.Lost.Add(statefile.DefaultLimits.MaxAge).Local().Format(time.DateTime))
	case h == statefile.Recovered:
		d.warn("record %s: %v (nothing lost; the next write repairs it)", path, why)
	default:
		d.ok("record %s: %d typed, %d reopened, %d pending for %s", path, len(data.Typed), len(data.Reopened), len(data.Pending), root)
	}
}
