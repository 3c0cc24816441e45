package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNotRunning is returned by ReadRunning when no local mode runs on the
// state folder.
var ErrNotRunning = errors.New("local: the local mode is not running")

// ReadRunning returns where the local mode running on the state folder dir
// has its servers. A RunningFile left behind by a run that was killed
// (kill -9, a crash) is recognised by the folder's lock being free: it is
// removed and ErrNotRunning returned, rather than sending the operator's
// command to ports nobody listens on.
func ReadRunning(dir string) (Running, error) {
	path := filepath.Join(dir, RunningFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Running{}, ErrNotRunning
	} else if err != nil {
		return Running{}, fmt.Errorf("local: read %s: %w", RunningFile, err)
	}
	unlock, err := lockDir(filepath.Join(dir, "lock"))
	switch {
	case errors.Is(err, ErrDirInUse):
		// A run holds the folder: the file is current.
	case err != nil:
		return Running{}, err
	default:
		// Nobody holds the folder (or the system cannot tell, where
		// lockDir always succeeds: then the file is kept and trusted).
		unlock()
		if canLock {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return Running{}, fmt.Errorf("local: remove stale %s: %w", RunningFile, err)
			}
			return Running{}, fmt.Errorf("%w (removed the %s a stopped run left behind)", ErrNotRunning, RunningFile)
		}
	}
	var r Running
	if err := json.Unmarshal(data, &r); err != nil {
		return Running{}, fmt.Errorf("local: read %s: %w", RunningFile, err)
	}
	return r, nil
}
