package doctor

import (
	"context"

	"github.com/ccwake/ccwake/cmd/ccwake/internal/service"
)

// checkService is doctor's line on the service.
func (d *doctor) checkService(ctx context.Context, o *Options) {
	h, err := service.NewHost(o.Stdout, o.Getenv)
	if err != nil {
		d.warn("service: %v", err)
		return
	}
	st := h.State(ctx)
	switch {
	case !st.Supported:
		d.ok("service: none on %s (run ccwake --auto yourself)", h.GOOS())
	case st.File == "":
		d.ok("service: not installed (`ccwake service install` runs ccwake --auto all the time)")
	case st.Exe != "" && !service.FileExists(st.Exe):
		d.warn("service: %s runs %s, which does not exist: run `ccwake service install` again", st.File, st.Exe)
	case !st.Running:
		d.warn("service: %s is installed but not running (%s): `ccwake service install` starts it", st.File, st.Detail)
	default:
		d.ok("service: runs %s --auto (%s)", st.Exe, st.File)
	}
}
