package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/coachmail/coachmail/internal/compose"
	"github.com/coachmail/coachmail/internal/outbox"
	"github.com/coachmail/coachmail/internal/ses"
)

type env struct {
	t      *testing.T
	dir    string
	box    *outbox.Outbox
	url    string
	sender *ses.Sender
	client *sesv2.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	box, err := outbox.New(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(box.Handler("127.0.0.1:2525"))
	t.Cleanup(srv.Close)
	client := sesv2.New(sesv2.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("local", "local", ""),
		RetryMaxAttempts: 1,
	})
	return &env{t: t, dir: dir, box: box, url: srv.URL, sender: ses.New(client, "local-set"), client: client}
}

// message builds an outbound email with compose, as the dispatcher does.
func message(t *testing.T, id, subject, text, html string, refs ...string) []byte {
	t.Helper()
	raw, err := compose.Build(compose.Message{
		From:         mail.Address{Name: "Northwind Coaching", Address: "coaching@coachmail.localhost"},
		To:           []mail.Address{{Name: "Dana Lee", Address: "dana@leader.example"}},
		IntakeDomain: "coachmail.localhost",
		ReplyToken:   "abcdefgh",
		Subject:      subject,
		Date:         time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC).Add(time.Duration(len(refs)) * time.Hour),
		MessageID:    id + "@coachmail.localhost",
		References:   refs,
		Text:         text,
		HTML:         html,
	})
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	return raw
}

func (e *env) send(raw []byte) string {
	e.t.Helper()
	id, err := e.sender.Send(context.Background(), "coaching@coachmail.localhost", []string{"dana@leader.example"}, raw)
	if err != nil {
		e.t.Fatalf("ses.Send: %v", err)
	}
	return id
}

func (e *env) get(path string, v any) *http.Response {
	e.t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		e.t.Fatal(err)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			e.t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSendEmail sends through the real SES adapter and SDK client, and
// reads the message back from the file, the Go API and the JSON API.
func TestSendEmail(t *testing.T) {
	e := newEnv(t)
	raw := message(t, "p1", "Before Monday’s session", "Hi Dana,\n\nWhat's the most important thing?\n", "<p>Hi Dana,</p>")
	id := e.send(raw)

	file := filepath.Join(e.dir, id+".eml")
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the .eml file of SES id %q: %v", id, err)
	}
	if !bytes.Equal(got, raw) {
		t.Errorf("%s differs from the message sent", file)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode of %s = %v, %v; want 0600", file, fi.Mode().Perm(), err)
	}

	var list []outbox.Message
	e.get("/api/messages", &list)
	if len(list) != 1 {
		t.Fatalf("GET /api/messages: %d messages, want 1", len(list))
	}
	m := list[0]
	if m.ID != id || m.Subject != "Before Monday’s session" || m.From != "Northwind Coaching <coaching@coachmail.localhost>" ||
		len(m.To) != 1 || m.To[0] != "Dana Lee <dana@leader.example>" || m.MessageID != "p1@coachmail.localhost" {
		t.Errorf("GET /api/messages = %+v", m)
	}
	if len(m.Envelope.To) != 1 || m.Envelope.To[0] != "dana@leader.example" || m.Envelope.From != "coaching@coachmail.localhost" {
		t.Errorf("envelope = %+v, want coaching@ → dana@", m.Envelope)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0] != "reply+abcdefgh@coachmail.localhost" {
		t.Errorf("reply-to = %q", m.ReplyTo)
	}

	var d outbox.Detail
	e.get("/api/messages/"+id, &d)
	if !strings.Contains(d.Text, "most important thing") || !strings.Contains(d.HTML, "<p>Hi Dana,</p>") {
		t.Errorf("detail text %q, html %q", d.Text, d.HTML)
	}
	// The header fields, in the order they were written.
	var names []string
	for _, line := range strings.Split(string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))]), "\r\n") {
		if name, _, ok := strings.Cut(line, ":"); ok && line[0] != ' ' && line[0] != '\t' {
			names = append(names, name)
		}
	}
	var gotNames []string
	for _, f := range d.Header {
		gotNames = append(gotNames, f.Name)
	}
	if strings.Join(gotNames, ",") != strings.Join(names, ",") {
		t.Errorf("detail header fields = %q, want %q in that order", gotNames, names)
	}
	var sawAuto bool
	for _, f := range d.Header {
		if f.Name == "Auto-Submitted" && f.Value == "auto-generated" {
			sawAuto = true
		}
	}
	if !sawAuto {
		t.Errorf("detail header lacks Auto-Submitted: %+v", d.Header)
	}
}

func TestSendEmailRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t.Run("not a message", func(t *testing.T) {
		_, err := e.sender.Send(ctx, "coaching@coachmail.localhost", []string{"dana@leader.example"}, []byte("\x00\x01 no header here"))
		if !errors.Is(err, ses.ErrPermanent) || !strings.Contains(err.Error(), "MessageRejected") {
			t.Errorf("Send(garbage) = %v, want a permanent MessageRejected", err)
		}
	})
	t.Run("simple content", func(t *testing.T) {
		_, err := e.client.SendEmail(ctx, &sesv2.SendEmailInput{
			FromEmailAddress: aws.String("coaching@coachmail.localhost"),
			Destination:      &types.Destination{ToAddresses: []string{"dana@leader.example"}},
			Content: &types.EmailContent{Simple: &types.Message{
				Subject: &types.Content{Data: aws.String("hi")},
				Body:    &types.Body{Text: &types.Content{Data: aws.String("hi")}},
			}},
		})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "BadRequestException" {
			t.Errorf("SendEmail(Simple) = %v, want BadRequestException", err)
		}
	})
	t.Run("other operation", func(t *testing.T) {
		_, err := e.client.GetAccount(ctx, &sesv2.GetAccountInput{})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "NotFoundException" {
			t.Errorf("GetAccount = %v, want NotFoundException", err)
		}
	})
	t.Run("form post", func(t *testing.T) {
		resp, err := http.Post(e.url+outbox.SESPath, "text/plain", strings.NewReader(`{"Content":{"Raw":{"Data":"RnJvbTogYUBiCgpoaQ=="}}}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST text/plain = %d, want 400", resp.StatusCode)
		}
	})
	if n := len(e.box.Messages()); n != 0 {
		t.Errorf("outbox holds %d messages after refusals, want 0", n)
	}
}

// TestReopen checks that an outbox opened again on its folder has the same
// messages, in the same order, and leaves other files alone.
func TestReopen(t *testing.T) {
	e := newEnv(t)
	first := e.send(message(t, "a", "first", "one", ""))
	second := e.send(message(t, "b", "second", "two", "", "a@coachmail.localhost"))
	if err := os.WriteFile(filepath.Join(e.dir, "notes.txt"), []byte("not mail"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "0000000000000001-00000000.eml"), []byte("\x00\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := outbox.New(e.dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ms := again.Messages()
	if len(ms) != 2 || ms[0].ID != second || ms[1].ID != first {
		t.Fatalf("reopened outbox = %+v, want %s then %s", ms, second, first)
	}
	if ms[1].Subject != "first" || len(ms[1].Envelope.To) != 1 || ms[1].Envelope.To[0] != "dana@leader.example" {
		t.Errorf("reopened message = %+v", ms[1])
	}
}

func TestThread(t *testing.T) {
	e := newEnv(t)
	p := e.send(message(t, "p", "prompt", "q", ""))
	other := e.send(message(t, "x", "brief", "b", ""))
	r := e.send(message(t, "r", "recap", "r", "", "p@coachmail.localhost"))
	m := e.send(message(t, "m", "reminder", "m", "", "p@coachmail.localhost", "r@coachmail.localhost"))
	for _, id := range []string{p, r, m} {
		var th []outbox.Message
		e.get("/api/messages/"+id+"/thread", &th)
		var got []string
		for _, x := range th {
			got = append(got, x.Subject)
		}
		if strings.Join(got, ",") != "prompt,recap,reminder" {
			t.Errorf("thread of %s = %q, want prompt, recap, reminder", id, got)
		}
	}
	th, err := e.box.Thread(other)
	if err != nil || len(th) != 1 || th[0].ID != other {
		t.Errorf("Thread(brief) = %+v, %v; want the brief alone", th, err)
	}
	resp := e.get("/messages/"+r+"/thread", nil)
	if page := body(t, resp); !strings.Contains(page, "reminder") || strings.Contains(page, "brief") {
		t.Errorf("thread page of the recap:\n%s", page)
	}
}

// TestPagesEscape sends a message whose every field is hostile and checks
// that the pages escape it and sandbox its HTML.
func TestPagesEscape(t *testing.T) {
	e := newEnv(t)
	evil := `<script>alert("x")</script>`
	id := e.send(message(t, "evil", "Hi "+evil, "text "+evil, `<p onclick="steal()">hi</p><script>steal()</script><img src="https://tracker.example/p.gif">`))
	for _, path := range []string{"/", "/messages/" + id, "/messages/" + id + "/thread"} {
		resp := e.get(path, nil)
		page := body(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		if strings.Contains(page, "<script") || strings.Contains(page, "steal()") {
			t.Errorf("GET %s shows unescaped content:\n%s", path, page)
		}
		if !strings.Contains(page, "&lt;script&gt;") {
			t.Errorf("GET %s lacks the escaped subject", path)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", path)
		}
	}
	page := body(t, e.get("/messages/"+id, nil))
	if !strings.Contains(page, `<iframe id="html" sandbox src="/messages/`+id+`/html"`) {
		t.Errorf("message page lacks the sandboxed iframe:\n%s", page)
	}
	resp := e.get("/messages/"+id+"/html", nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("HTML view: Content-Security-Policy = %q, want sandbox and nothing loaded", csp)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("HTML view: Content-Type = %q", ct)
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/messages/nope", "/messages/nope", "/messages/nope/html", "/messages/nope/raw", "/messages/..%2F..%2Fetc%2Fpasswd/raw", "/api/messages/nope/thread"} {
		if resp := e.get(path, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestRawDownload(t *testing.T) {
	e := newEnv(t)
	raw := message(t, "d", "download me", "x", "")
	id := e.send(raw)
	resp := e.get("/messages/"+id+"/raw", nil)
	if got := body(t, resp); got != string(raw) {
		t.Errorf("GET raw differs from the message sent")
	}
	if ct := resp.Header.Get("Content-Type"); ct != "message/rfc822" {
		t.Errorf("raw Content-Type = %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+id+`.eml"` {
		t.Errorf("raw Content-Disposition = %q", cd)
	}
}

func TestReplyHint(t *testing.T) {
	e := newEnv(t)
	id := e.send(message(t, "h", "It's Monday", "x", ""))
	page := html.UnescapeString(body(t, e.get("/messages/"+id, nil)))
	for _, want := range []string{"--smtp 127.0.0.1:2525 --from 'dana@leader.example'", "--to 'reply+abcdefgh@coachmail.localhost'",
		"--in-reply-to 'h@coachmail.localhost'", `--subject 'Re: It'\''s Monday'`} {
		if !strings.Contains(page, want) {
			t.Errorf("message page lacks %s", want)
		}
	}
}

// FuzzSendEmail feeds arbitrary request bodies to the SES endpoint: it must
// answer 200 or 4xx, never fail otherwise or panic, and keep only messages
// it accepted.
func FuzzSendEmail(f *testing.F) {
	f.Add([]byte(`{"FromEmailAddress":"a@b.example","Destination":{"ToAddresses":["c@d.example"]},"Content":{"Raw":{"Data":"RnJvbTogYUBiLmV4YW1wbGUKU3ViamVjdDogaGkKCmJvZHkK"}}}`))
	f.Add([]byte(`{"Content":{"Raw":{"Data":""}}}`))
	f.Add([]byte(`{"Content":{"Raw":{"Data":"!!"}}}`))
	f.Add([]byte(`{"Content":{"Simple":{}}}`))
	f.Add([]byte(`[]`))
	dir := f.TempDir()
	box, err := outbox.New(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	h := box.SESHandler()
	f.Fuzz(func(t *testing.T, data []byte) {
		before := len(box.Messages())
		req := httptest.NewRequest(http.MethodPost, outbox.SESPath, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after := len(box.Messages())
		switch {
		case rec.Code == http.StatusOK && after != before+1:
			t.Errorf("200 but %d messages kept", after-before)
		case rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code > 499):
			t.Errorf("status %d: %s", rec.Code, rec.Body)
		case rec.Code != http.StatusOK && after != before:
			t.Errorf("status %d but a message was kept", rec.Code)
		}
	})
}
