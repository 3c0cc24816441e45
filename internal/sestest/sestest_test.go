package sestest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

func TestStartSendRead(t *testing.T) {
	endpoint := Start(t)
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
		t.Errorf("Start = %q, want http://127.0.0.1:PORT", endpoint)
	}
	ctx := context.Background()
	raw := "From: \"Coach\" <coach@example.com>\r\nTo: sam@example.com\r\nReply-To: reply+abc@in.example.com\r\n" +
		"Subject: =?utf-8?q?Caf=C3=A9?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n"
	out, err := Client(endpoint).SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String("coach@example.com"),
		Destination:      &types.Destination{ToAddresses: []string{"sam@example.com"}},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: []byte(raw)}},
	})
	if err != nil {
		t.Fatalf("SendEmail = %v", err)
	}
	got, err := Messages(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("Messages = %d, want 1", len(got))
	}
	m := got[0]
	if m.MessageID != aws.ToString(out.MessageId) || m.Subject != "Café" || m.Body.Text != "Hello\n" ||
		len(m.ReplyTo) != 1 || m.ReplyTo[0] != "reply+abc@in.example.com" || m.At == 0 {
		t.Errorf("Messages()[0] = %+v", m)
	}

	// Each Start is a server of its own.
	other := Start(t)
	if other == endpoint {
		t.Fatalf("two Starts share %s", endpoint)
	}
	if got, err := Messages(ctx, other); err != nil || len(got) != 0 {
		t.Errorf("second server: %d messages (%v), want none", len(got), err)
	}
}

func TestPinnedVersion(t *testing.T) {
	dir, err := findToolDir()
	if err != nil {
		t.Fatal(err)
	}
	v, err := pinnedVersion(dir)
	if err != nil || v == "" {
		t.Fatalf("pinnedVersion(%s) = %q, %v", dir, v, err)
	}
	tmp := t.TempDir()
	for _, body := range []string{`{"dependencies":{"aws-ses-v2-local":"^2.10.2"}}`, `{"dependencies":{}}`, `{`} {
		if err := os.WriteFile(filepath.Join(tmp, "package.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if v, err := pinnedVersion(tmp); err == nil {
			t.Errorf("pinnedVersion(%s) = %q, want an error", body, v)
		}
	}
	if v := installedVersion(tmp); v != "" {
		t.Errorf("installedVersion(empty dir) = %q, want \"\"", v)
	}
}
