//go:build linux

package sestest

import "syscall"

// sysProcAttr makes the kernel kill the server when the test binary dies,
// however it dies, so that no server outlives its test.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
