//go:build !linux && !darwin

package watch

import "errors"

// haveRawStat: the poller goes through os.Stat here.
const haveRawStat = false

func rawStat(path string) (pstat, error) {
	return pstat{}, statErr(path, errors.ErrUnsupported)
}
