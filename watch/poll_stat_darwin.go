package watch

import "syscall"

// mtimeNano is the file's modification time: darwin names the field Mtimespec.
func mtimeNano(st *syscall.Stat_t) int64 { return st.Mtimespec.Nano() }
