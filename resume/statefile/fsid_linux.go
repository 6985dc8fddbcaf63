package statefile

import (
	"fmt"
	"syscall"
)

// fsID is the filesystem id statfs reports for path (false: none).
func fsID(path string) (string, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil || st.Fsid.X__val == [2]int32{} {
		return "", false
	}
	return fmt.Sprintf("%08x%08x", uint32(st.Fsid.X__val[0]), uint32(st.Fsid.X__val[1])), true
}
