package local

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/logging"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/inbound"
)

// embedded serves a fresh embedded store with its snapshot at path, and
// returns it with a Store on it.
func embedded(t *testing.T, path string) (*embeddedDB, *dynamo.Store) {
	t.Helper()
	db := newEmbeddedDB(path, "t", slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(db)
	t.Cleanup(srv.Close)
	client := localDynamoDB(srv.URL)
	if _, err := client.CreateTable(context.Background(), dynamo.Table("t")); err != nil {
		t.Fatal(err)
	}
	return db, dynamo.New(client, "t")
}

// TestSnapshotRoundTrip writes through the store, snapshots, and reads the
// snapshot into a fresh server: every kind of item the store writes must
// come back as it was (sets, numbers, maps, index keys).
func TestSnapshotRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dynamodb.json")
	db, store := embedded(t, path)
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	coach := coaching.Coach{ID: "c1", Email: "robin@coach.example", Name: "Robin", Offsets: coaching.Offsets{Review: time.Minute}, CreatedAt: at}
	leader := coaching.Leader{ID: "l1", Email: "dana@leader.example", Name: "Dana", CoachID: "c1", TimeZone: "Europe/London", CreatedAt: at}
	session := coaching.Session{ID: "s1", CoachID: "c1", LeaderIDs: []string{"l1"}, Start: at, End: at.Add(time.Hour), Status: coaching.SessionScheduled}
	email := coaching.ScheduledEmail{ID: "e1", Kind: coaching.EmailPrompt, SessionID: "s1", LeaderID: "l1", CoachID: "c1", Due: at.Add(-24 * time.Hour), State: coaching.EmailPending}
	for what, err := range map[string]error{
		"coach":   store.CreateCoach(ctx, coach),
		"leader":  store.CreateLeader(ctx, leader),
		"session": store.CreateSession(ctx, session),
		"email":   store.ScheduleEmails(ctx, []coaching.ScheduledEmail{email}),
	} {
		if err != nil {
			t.Fatalf("create %s: %v", what, err)
		}
	}
	if !db.dirty {
		t.Fatal("writes did not mark the store changed")
	}
	if err := db.save(); err != nil {
		t.Fatalf("save: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot file: %v, %v; want mode 0600", fi, err)
	}

	again, store2 := embedded(t, path)
	n, found, err := again.restore()
	if err != nil || !found || n == 0 {
		t.Fatalf("restore = %d, %v, %v", n, found, err)
	}
	if again.dirty {
		t.Error("restoring marked the store changed")
	}
	gotCoach, err := store2.CoachByEmail(ctx, coach.Email)
	if err != nil || gotCoach.Offsets.Review != time.Minute || !gotCoach.CreatedAt.Equal(at) {
		t.Errorf("coach after restore = %+v, %v", gotCoach, err)
	}
	sessions, err := store2.SessionsOfLeader(ctx, "l1", at.Add(-time.Hour), time.Time{})
	if err != nil || len(sessions) != 1 || sessions[0].ID != "s1" {
		t.Errorf("sessions of the leader after restore = %+v, %v", sessions, err)
	}
	due, err := store2.DueEmails(ctx, at, 10)
	if err != nil || len(due) != 1 || due[0].ID != "e1" {
		t.Errorf("due emails after restore = %+v, %v", due, err)
	}
}

func TestSnapshotDamaged(t *testing.T) {
	for name, content := range map[string]string{
		"not json":       "{not json",
		"other version":  `{"version":99,"table":"t","items":[]}`,
		"item not items": `{"version":1,"table":"t","items":[{"PK":{"Q":"x"}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dynamodb.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			db, _ := embedded(t, path)
			if _, found, err := db.restore(); err == nil || !found {
				t.Errorf("restore(%s) = found %v, %v; want an error", name, found, err)
			}
		})
	}
	db, _ := embedded(t, filepath.Join(t.TempDir(), "none.json"))
	if n, found, err := db.restore(); n != 0 || found || err != nil {
		t.Errorf("restore(no file) = %d, %v, %v; want nothing, no error", n, found, err)
	}
}

func TestHeaderFields(t *testing.T) {
	for _, c := range []struct {
		name, raw string
		max       int
		want      string // name=value|name=value
		truncated bool
	}{
		{"plain", "From: a@b.example\r\nSubject: hi\r\n\r\nbody", 1000, "From=a@b.example|Subject=hi", false},
		{"folded", "Subject: one\r\n two\r\n\tthree\r\nTo: x\r\n\r\n", 1000, "Subject=one two three|To=x", false},
		{"LF only", "A: 1\nB: 2\n\nC: not a header", 1000, "A=1|B=2", false},
		{"no body", "A: 1", 1000, "A=1", false},
		{"not a field", "garbage line\r\nA: 1\r\n\r\n", 1000, "A=1", false},
		{"leading fold", " orphan\r\nA: 1\r\n\r\n", 1000, "A=1", false},
		{"truncated", "A: 1\r\nB: " + strings.Repeat("x", 100) + "\r\n\r\n", 50, "A=1", true},
		{"empty", "", 1000, "", false},
	} {
		fields, truncated := headerFields([]byte(c.raw), c.max)
		var got []string
		for _, f := range fields {
			got = append(got, f.Name+"="+f.Value)
		}
		if strings.Join(got, "|") != c.want || truncated != c.truncated {
			t.Errorf("%s: headerFields = %q, truncated %v; want %q, %v", c.name, got, truncated, c.want, c.truncated)
		}
	}
}

func FuzzHeaderFields(f *testing.F) {
	f.Add([]byte("From: a@b.example\r\nSubject: hi\r\n\r\nbody"), 1000)
	f.Add([]byte("Subject: one\r\n two\r\n\r\n"), 10)
	f.Add([]byte(" \r\n:\r\n\r\n"), 3)
	f.Fuzz(func(t *testing.T, raw []byte, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		fields, _ := headerFields(raw, max)
		size := 0
		for _, h := range fields {
			size += len(h.Name) + len(h.Value)
			if strings.ContainsAny(h.Name+h.Value, "\r\n") {
				t.Errorf("field %q: %q holds a line break", h.Name, h.Value)
			}
		}
		if size > max {
			t.Errorf("%d bytes of fields from a %d-byte limit", size, max)
		}
	})
}

// TestSESEvent checks the event the SMTP intake builds against what the
// inbound function takes from it.
func TestSESEvent(t *testing.T) {
	raw := []byte("From: Robin <robin@coach.example>\r\nTo: notes@coachmail.localhost, Dana <dana@leader.example>\r\nSubject: Notes\r\nMessage-ID: <n1@coach.example>\r\n\r\nhi\r\n")
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, loopback := range []bool{true, false} {
		ev := sesEvent("abc123", "robin@coach.example", []string{"notes@coachmail.localhost"}, raw, now, loopback)
		rs, err := inbound.Receipts(ev)
		if err != nil || len(rs) != 1 {
			t.Fatalf("Receipts = %+v, %v", rs, err)
		}
		r := rs[0]
		if r.MessageID != "abc123" || len(r.Recipients) != 1 || r.Recipients[0] != "notes@coachmail.localhost" || !r.Received.Equal(now) {
			t.Errorf("receipt = %+v", r)
		}
		if r.Authenticated("coach.example", nil) != loopback {
			t.Errorf("loopback %v: Authenticated = %v", loopback, !loopback)
		}
		if r.Spam == inbound.Fail || r.Virus == inbound.Fail {
			t.Errorf("loopback %v: spam %s virus %s; nothing was scanned, so nothing failed", loopback, r.Spam, r.Virus)
		}
	}
	ev := sesEvent("abc123", "robin@coach.example", []string{"notes@coachmail.localhost"}, raw, now, true)
	m := ev.Records[0].SES.Mail
	want := events.SimpleEmailCommonHeaders{
		From: []string{`"Robin" <robin@coach.example>`}, To: []string{"<notes@coachmail.localhost>", `"Dana" <dana@leader.example>`},
		ReturnPath: "robin@coach.example", MessageID: "<n1@coach.example>", Subject: "Notes",
	}
	if strings.Join(m.CommonHeaders.From, ",") != strings.Join(want.From, ",") || strings.Join(m.CommonHeaders.To, ",") != strings.Join(want.To, ",") ||
		m.CommonHeaders.Subject != want.Subject || m.CommonHeaders.MessageID != want.MessageID || m.CommonHeaders.ReturnPath != want.ReturnPath {
		t.Errorf("common headers = %+v, want %+v", m.CommonHeaders, want)
	}
	if len(m.Headers) != 4 || m.HeadersTruncated {
		t.Errorf("headers = %+v (truncated %v)", m.Headers, m.HeadersTruncated)
	}
}

func TestAllowedHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1:8025": true, "localhost:8025": true, "LOCALHOST": true, "[::1]:8025": true, "app.localhost:1": true,
		"127.0.0.2": true, "evil.example:8025": false, "127.0.0.1.evil.example": false, "": false, "10.0.0.1:8025": false,
	} {
		if got := allowedHost(host, "127.0.0.1"); got != want {
			t.Errorf("allowedHost(%q) = %v, want %v", host, got, want)
		}
	}
	if !allowedHost("192.0.2.7:8025", "192.0.2.7") {
		t.Error("the address listened on is not allowed")
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[net.Addr]bool{
		&net.TCPAddr{IP: net.ParseIP("127.0.0.1")}: true,
		&net.TCPAddr{IP: net.ParseIP("::1")}:       true,
		&net.TCPAddr{IP: net.ParseIP("192.0.2.1")}: false,
		&net.UnixAddr{Name: "/tmp/x"}:              false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%v) = %v, want %v", addr, got, want)
		}
	}
}

// TestChecksumHeader checks that a DynamoDB client that validates response
// checksums, as the SDK does by default, accepts the embedded store's
// answers.
func TestChecksumHeader(t *testing.T) {
	db := newEmbeddedDB(filepath.Join(t.TempDir(), "s.json"), "t", slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(db)
	defer srv.Close()
	var warnings strings.Builder
	client := dynamodb.New(dynamodb.Options{
		Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		Logger:      logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) { fmt.Fprintf(&warnings, format+"\n", v...) }),
	})
	if _, err := client.CreateTable(context.Background(), dynamo.Table("t")); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String("t")}); err != nil {
		t.Fatal(err)
	}
	if warnings.Len() > 0 {
		t.Errorf("the SDK warned:\n%s", warnings.String())
	}
}
