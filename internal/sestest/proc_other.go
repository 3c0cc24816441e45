//go:build !linux

package sestest

import "syscall"

// sysProcAttr: elsewhere the test's cleanup is what stops the server.
func sysProcAttr() *syscall.SysProcAttr { return nil }
