// Package s3test runs an in-process S3-compatible server for tests
// (github.com/johannesboyne/gofakes3, in memory, on 127.0.0.1) and gives an
// SDK client for it. The server stops when the test ends.
package s3test

import (
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Start runs a server with the named buckets and returns a client for it.
func Start(t testing.TB, buckets ...string) *s3.Client {
	t.Helper()
	backend := s3mem.New()
	for _, b := range buckets {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatalf("s3test: create bucket %s: %v", b, err)
		}
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return Client(srv.URL)
}

// Client returns an S3 client for a local server at endpoint: path-style,
// anonymous, no retries and no checksum validation.
func Client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:                     "eu-west-1",
		BaseEndpoint:               aws.String(endpoint),
		UsePathStyle:               true,
		Credentials:                aws.AnonymousCredentials{},
		RetryMaxAttempts:           1,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
}
