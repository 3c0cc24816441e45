package cycle_test

import (
	"bytes"
	"io"
	stdmime "mime"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
)

type mime = stdmime.WordDecoder

// textPart returns the decoded text/plain part of a raw message.
func textPart(t *testing.T, raw []byte) string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read sent message: %v", err)
	}
	var out string
	err = e.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil {
			return err
		}
		ct, _, _ := part.Header.ContentType()
		if ct == "text/plain" && out == "" {
			b, err := io.ReadAll(part.Body)
			if err != nil {
				return err
			}
			out = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk sent message: %v", err)
	}
	return strings.ReplaceAll(out, "\r\n", "\n")
}
