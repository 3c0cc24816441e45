package rawmail

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/coachmail/coachmail/internal/s3test"
)

// newStore returns a Store on an in-process S3-compatible server.
func newStore(t *testing.T) *Store {
	t.Helper()
	return New(s3test.Start(t, "raw"), "raw", "inbound/")
}

func TestPutGetDelete(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	key := s.Key("abc123")
	if key != "inbound/abc123" {
		t.Errorf("Key = %q, want inbound/abc123", key)
	}
	raw := []byte("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n")
	if err := s.Put(ctx, key, raw); err != nil {
		t.Fatalf("Put: %v", err)
	}
	got, err := s.Get(ctx, key, 1<<20)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("Get = %q, %v; want %q", got, err, raw)
	}
	if _, err := s.Get(ctx, key, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Get with max 10 = %v, want ErrTooLarge", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, key, 1<<20); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("Delete of a missing key = %v, want nil", err)
	}
}
