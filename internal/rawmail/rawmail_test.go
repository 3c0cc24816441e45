package rawmail

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// newStore starts an in-process S3-compatible server (gofakes3) with one
// bucket and returns a Store on it.
func newStore(t *testing.T) *Store {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("raw"); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	client := s3.New(s3.Options{
		Region:                     "eu-west-1",
		BaseEndpoint:               aws.String(srv.URL),
		UsePathStyle:               true,
		Credentials:                aws.AnonymousCredentials{},
		RetryMaxAttempts:           1,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
	return New(client, "raw", "inbound/")
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
