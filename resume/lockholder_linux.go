//go:build linux

package resume

import (
	"os"
	"syscall"
)

// lockHolder names the process holding a FLOCK on f's inode, from
// /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"). It is
// only for the "held by" message: 0 when it cannot tell.
func lockHolder(f *os.File) int {
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		return 0
	}
	return lockHolderIn("/proc/locks", uint64(st.Dev), st.Ino)
}
