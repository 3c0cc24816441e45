package coaching

import (
	"errors"
	"fmt"
)

// Error codes: the kinds of failure the domain distinguishes. Callers map a
// code to behaviour in one place (an HTTP status, a quarantine, a retry).
const (
	ENOTFOUND = "not_found" // the thing asked for does not exist
	ECONFLICT = "conflict"  // a conditional write lost: it exists, or changed meanwhile
	EINVALID  = "invalid"   // the input breaks a rule; retrying will not help
	EINTERNAL = "internal"  // anything else
)

// Error is the domain's error: a code for machines and a message for people.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("coaching: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// IsNotFound reports whether err carries the ENOTFOUND code.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }

// IsConflict reports whether err carries the ECONFLICT code.
func IsConflict(err error) bool { return ErrorCode(err) == ECONFLICT }

// IsInvalid reports whether err carries the EINVALID code.
func IsInvalid(err error) bool { return ErrorCode(err) == EINVALID }
