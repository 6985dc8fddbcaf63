//go:build darwin

package procs

import (
	"errors"
	"github.com/ccwake/ccwake/resume/mux"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// NewHost returns this OS's process table. macOS has no /proc: the
// process table, start times, arguments and environments come from sysctl
// (no process started per lookup); cwds from one batched lsof run, cached
// (see cwdCache), through the Runner and its timeout. The parsing is in
// procs_macos.go, tested on every OS; this file only makes the calls.
func NewHost(r mux.Runner) Table {
	return newSysctlProcs(sysctlRaw, r, uint32(os.Geteuid()), time.Now)
}

// sysctlRaw reads a sysctl by name; kern.proc.all may grow between the
// kernel sizing the buffer and filling it, so ENOMEM is retried once.
func sysctlRaw(name string, args ...int) ([]byte, error) {
	buf, err := unix.SysctlRaw(name, args...)
	if errors.Is(err, unix.ENOMEM) {
		buf, err = unix.SysctlRaw(name, args...)
	}
	return buf, err
}

// The parser's offsets are x/sys's struct kinfo_proc: a mismatch makes a
// negative constant overflow uintptr and fails the darwin build (and
// `make vet-cross`, which type-checks every package for darwin).
const (
	_ = uintptr(kinfoSize) - unsafe.Sizeof(unix.KinfoProc{})
	_ = unsafe.Sizeof(unix.KinfoProc{}) - uintptr(kinfoSize)
	_ = uintptr(kinfoPID) - unsafe.Offsetof(unix.KinfoProc{}.Proc) - unsafe.Offsetof(unix.ExternProc{}.P_pid)
	_ = unsafe.Offsetof(unix.KinfoProc{}.Proc) + unsafe.Offsetof(unix.ExternProc{}.P_pid) - uintptr(kinfoPID)
	_ = uintptr(kinfoStat) - unsafe.Offsetof(unix.ExternProc{}.P_stat)
	_ = unsafe.Offsetof(unix.ExternProc{}.P_stat) - uintptr(kinfoStat)
	_ = uintptr(kinfoComm) - unsafe.Offsetof(unix.ExternProc{}.P_comm)
	_ = unsafe.Offsetof(unix.ExternProc{}.P_comm) - uintptr(kinfoComm)
	_ = uintptr(kinfoStartSec) - unsafe.Offsetof(unix.ExternProc{}.P_starttime)
	_ = unsafe.Offsetof(unix.ExternProc{}.P_starttime) - uintptr(kinfoStartSec)
	_ = uintptr(kinfoUID) - unsafe.Offsetof(unix.KinfoProc{}.Eproc) - unsafe.Offsetof(unix.Eproc{}.Ucred) - unsafe.Offsetof(unix.Ucred{}.Uid)
	_ = unsafe.Offsetof(unix.KinfoProc{}.Eproc) + unsafe.Offsetof(unix.Eproc{}.Ucred) + unsafe.Offsetof(unix.Ucred{}.Uid) - uintptr(kinfoUID)
	_ = uintptr(kinfoPPID) - unsafe.Offsetof(unix.KinfoProc{}.Eproc) - unsafe.Offsetof(unix.Eproc{}.Ppid)
	_ = unsafe.Offsetof(unix.KinfoProc{}.Eproc) + unsafe.Offsetof(unix.Eproc{}.Ppid) - uintptr(kinfoPPID)
	_ = uintptr(kinfoPGID) - unsafe.Offsetof(unix.KinfoProc{}.Eproc) - unsafe.Offsetof(unix.Eproc{}.Pgid)
	_ = unsafe.Offsetof(unix.KinfoProc{}.Eproc) + unsafe.Offsetof(unix.Eproc{}.Pgid) - uintptr(kinfoPGID)
	_ = uintptr(kinfoTPGID) - unsafe.Offsetof(unix.KinfoProc{}.Eproc) - unsafe.Offsetof(unix.Eproc{}.Tpgid)
	_ = unsafe.Offsetof(unix.KinfoProc{}.Eproc) + unsafe.Offsetof(unix.Eproc{}.Tpgid) - uintptr(kinfoTPGID)
)
