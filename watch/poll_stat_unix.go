//go:build linux || darwin

package watch

import "syscall"

// haveRawStat: rawStat works here.
const haveRawStat = true

// rawStat is stat(2) without os.Stat's allocations.
func rawStat(path string) (pstat, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return pstat{}, statErr(path, err)
		}
		return pstat{size: st.Size, mtime: mtimeNano(&st), ino: st.Ino, dir: st.Mode&syscall.S_IFMT == syscall.S_IFDIR}, nil
	}
}
