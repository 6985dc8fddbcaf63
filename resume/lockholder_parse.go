package resume

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// lockHolderIn is the pure half of lockHolder (lockholder_linux.go): it has
// no build tag so its test builds and runs on every OS.
// lockHolderIn reads a /proc/locks-format file for a FLOCK on (dev, ino).
func lockHolderIn(path string, dev, ino uint64) int {
	lf, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer lf.Close()
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, ino)
	sc := bufio.NewScanner(lf)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		// "N:" FLOCK ADVISORY WRITE pid dev:ino start end; blocked waiters
		// are marked "->" and are not holders.
		if len(fields) < 6 || fields[1] != "FLOCK" {
			continue
		}
		if fields[5] != want {
			continue
		}
		if pid, err := strconv.Atoi(fields[4]); err == nil && pid > 0 {
			return pid
		}
	}
	return 0
}
