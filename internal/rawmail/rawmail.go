// Package rawmail keeps raw inbound messages in S3, where SES's receipt
// rule S3 action stores them (prefix + SES message id). The inbound function
// reads them back, size-capped; erase deletes them. It never deletes a
// message on a failure path.
package rawmail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Errors of the package, wrapped with the key they concern.
var (
	ErrNotFound = errors.New("rawmail: no such message")
	ErrTooLarge = errors.New("rawmail: message too large")
)

// Client is the part of the S3 API the store uses.
type Client interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// Store reads and writes raw messages in one bucket under one prefix.
type Store struct {
	client Client
	bucket string
	prefix string
}

// New returns a Store on bucket; keys are prefix + SES message id.
func New(client Client, bucket, prefix string) *Store {
	return &Store{client: client, bucket: bucket, prefix: prefix}
}

// Key returns the object key of a message id.
func (s *Store) Key(messageID string) string { return s.prefix + messageID }

// Get reads the object at key, at most max bytes; a larger object gives
// ErrTooLarge without reading it whole.
func (s *Store) Get(ctx context.Context, key string, max int64) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		var api smithy.APIError
		if errors.As(err, &nsk) || (errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")) {
			return nil, fmt.Errorf("get raw message %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("get raw message %s: %w", key, err)
	}
	defer out.Body.Close()
	if out.ContentLength != nil && *out.ContentLength > max {
		return nil, fmt.Errorf("get raw message %s (%d bytes): %w", key, *out.ContentLength, ErrTooLarge)
	}
	var buf bytes.Buffer
	if out.ContentLength != nil && *out.ContentLength > 0 {
		buf.Grow(int(*out.ContentLength))
	}
	n, err := io.Copy(&buf, io.LimitReader(out.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("read raw message %s: %w", key, err)
	}
	if n > max {
		return nil, fmt.Errorf("read raw message %s: %w", key, ErrTooLarge)
	}
	return buf.Bytes(), nil
}

// Put stores a raw message at key (what SES's S3 action does in AWS; the
// local mode and tests do it themselves).
func (s *Store) Put(ctx context.Context, key string, raw []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(raw),
		ContentLength: aws.Int64(int64(len(raw))),
		ContentType:   aws.String("message/rfc822"),
	})
	if err != nil {
		return fmt.Errorf("put raw message %s: %w", key, err)
	}
	return nil
}

// Delete removes the objects at keys; a key that is already gone is fine.
func (s *Store) Delete(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(k)}); err != nil {
			return fmt.Errorf("delete raw message %s: %w", k, err)
		}
	}
	return nil
}
