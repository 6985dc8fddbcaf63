//go:build !linux && !darwin

package statefile

// fsID: no portable filesystem id here; the device number is used.
func fsID(string) (string, bool) { return "", false }
