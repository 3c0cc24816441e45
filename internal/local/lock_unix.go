//go:build unix

package local

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// canLock is true here: lockDir tells whether the folder is in use.
const canLock = true

// lockDir takes an exclusive lock on the state folder for as long as the
// stack runs: two runs on one folder would overwrite each other's store
// snapshot. The lock goes with the process, however it ends.
func lockDir(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("local: lock state folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrDirInUse
		}
		return nil, fmt.Errorf("local: lock state folder: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
