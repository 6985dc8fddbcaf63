package watch

import "syscall"

// mtimeNano is the file's modification time: Linux names the field Mtim.
func mtimeNano(st *syscall.Stat_t) int64 { return st.Mtim.Nano() }
