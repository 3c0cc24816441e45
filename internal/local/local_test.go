package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/outbox"
)

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func start(t *testing.T, dir string, clock coaching.Clock) *local.Stack {
	t.Helper()
	s, err := local.Start(context.Background(), local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		Clock: clock, DispatchEvery: -1, Zone: "Europe/London",
		Log: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func send(t *testing.T, s *local.Stack, from string, to []string, msg string) {
	t.Helper()
	msg = strings.ReplaceAll(msg, "\n", "\r\n")
	if err := smtp.SendMail(s.SMTPAddr(), nil, from, to, []byte(msg)); err != nil {
		t.Fatalf("SMTP to %v: %v", to, err)
	}
}

func dispatch(t *testing.T, s *local.Stack) {
	t.Helper()
	res, err := s.Dispatch(context.Background())
	if err != nil || res.Failed+res.Retry > 0 {
		t.Fatalf("Dispatch = %+v, %v", res, err)
	}
}

const notes = `From: Robin Ellis <robin@coach.example>
To: notes@coachmail.localhost
Subject: Notes: Dana
Date: Mon, 7 Dec 2026 12:00:00 +0000
Message-ID: <notes-1@coach.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Decision: Dana will raise the roles question with her co-founder.
Actions:
- Book the conversation by Friday
- Draft the roles document
`

// TestNotesToRecapAcrossRestart plays the quick start of the README on the
// seeded coach, leader and session: notes in over SMTP, a recap out to the
// outbox, then, after a restart, the leader's reply to that recap, which
// must still be proven by its reply token.
func TestNotesToRecapAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	clock := coaching.NewManualClock(t0)
	s := start(t, dir, clock)
	seed := s.Seeded()
	if seed == nil || seed.Coach.Email != local.DemoCoach.Email || seed.Leader.Email != local.DemoLeader.Email || seed.Session.Start.After(t0) {
		t.Fatalf("Seeded() = %+v, want the demo coach, leader and a session already started", seed)
	}
	send(t, s, seed.Coach.Email, []string{s.NotesAddress()}, notes)
	outcomes, err := s.Store().Outcomes(context.Background(), seed.Session.ID)
	if err != nil || len(outcomes) != 3 {
		t.Fatalf("outcomes after the notes = %+v, %v; want a decision and two actions", outcomes, err)
	}
	keys, err := os.ReadDir(filepath.Join(dir, "raw", "buckets", "coachmail-raw", "inbound"))
	if err != nil || len(keys) != 1 {
		t.Errorf("raw messages on disk = %v, %v; want the notes", keys, err)
	}

	dispatch(t, s)
	if n := len(s.Outbox().Messages()); n != 0 {
		t.Fatalf("%d emails sent before the review delay", n)
	}
	clock.Set(t0.Add(local.DemoCoach.Offsets.Review))
	dispatch(t, s)
	ms := s.Outbox().Messages()
	if len(ms) != 1 || !strings.HasPrefix(ms[0].Subject, "Recap") || ms[0].Envelope.To[0] != local.DemoLeader.Email {
		t.Fatalf("outbox after the review delay = %+v, want the recap to Dana", ms)
	}
	recap := ms[0]

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	clock.Set(t0.Add(2 * time.Hour))
	s = start(t, dir, clock)
	if s.Seeded() != nil || s.NewKeyring() {
		t.Errorf("second start: seeded %+v, new keyring %v; want neither", s.Seeded(), s.NewKeyring())
	}
	if got := s.Outbox().Messages(); len(got) != 1 || got[0].ID != recap.ID {
		t.Errorf("outbox after restart = %+v, want the recap", got)
	}
	send(t, s, local.DemoLeader.Email, recap.ReplyTo, fmt.Sprintf(`From: Dana Lee <dana@leader.example>
To: %s
Subject: Re: %s
Date: Mon, 7 Dec 2026 14:00:00 +0000
Message-ID: <reply-1@leader.example>
In-Reply-To: <%s>
References: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

1 done

On Mon, 7 Dec 2026 at 12:01, Northwind Coaching wrote:
> Recap
`, recap.ReplyTo[0], recap.Subject, recap.MessageID, recap.MessageID))
	cs, err := s.Store().Commitments(context.Background(), seed.Leader.ID, false)
	if err != nil || len(cs) != 2 {
		t.Fatalf("commitments after restart = %+v, %v", cs, err)
	}
	if cs[0].Status != coaching.CommitmentDone {
		t.Errorf("first commitment after the reply = %s, want done: the store, keyring or sent record did not survive the restart", cs[0].Status)
	}
}

func TestSMTPRefusesOtherDomains(t *testing.T) {
	s := start(t, t.TempDir(), coaching.NewManualClock(t0))
	for _, rcpt := range []string{"someone@gmail.example", "notes@coachmail.localhost.evil.example", "notes@localhost"} {
		err := smtp.SendMail(s.SMTPAddr(), nil, "robin@coach.example", []string{rcpt}, []byte("Subject: x\r\n\r\nx\r\n"))
		var perr *textproto.Error
		if !errors.As(err, &perr) || perr.Code != 550 {
			t.Errorf("RCPT TO %s: %v, want 550", rcpt, err)
		}
	}
	if n := len(s.Outbox().Messages()); n != 0 {
		t.Errorf("outbox holds %d messages", n)
	}
}

func TestUnknownSenderQuarantined(t *testing.T) {
	s := start(t, t.TempDir(), coaching.NewManualClock(t0))
	send(t, s, "stranger@elsewhere.example", []string{s.NotesAddress()},
		"From: stranger@elsewhere.example\nTo: notes@coachmail.localhost\nSubject: hello\n\nhi\n")
	q, err := s.Store().Quarantined(context.Background(), 10)
	if err != nil || len(q) != 1 {
		t.Errorf("quarantine = %+v, %v; want the stranger's message", q, err)
	}
}

func TestPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, opts := range []local.Options{
		{SMTPAddr: ln.Addr().String(), HTTPAddr: "127.0.0.1:0"},
		{SMTPAddr: "127.0.0.1:0", HTTPAddr: ln.Addr().String()},
	} {
		opts.Dir = t.TempDir()
		s, err := local.Start(context.Background(), opts)
		if err == nil {
			s.Close()
			t.Fatalf("Start on a taken address succeeded")
		}
		if !errors.Is(err, local.ErrAddrInUse) || !strings.Contains(err.Error(), ln.Addr().String()) {
			t.Errorf("Start on a taken address: %v; want ErrAddrInUse naming the address", err)
		}
	}
}

func TestGuard(t *testing.T) {
	s := start(t, t.TempDir(), coaching.NewManualClock(t0))
	do := func(method, path, host, origin string) int {
		t.Helper()
		req, err := http.NewRequest(method, s.OutboxURL()+path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		method, path, host, origin string
		want                       int
	}{
		{"GET", "/", "", "", http.StatusOK},
		{"GET", "/api/messages", "localhost", "", http.StatusOK},
		{"GET", "/", "rebound.evil.example", "", http.StatusMisdirectedRequest},
		{"POST", local.StorePath, "", "https://evil.example", http.StatusForbidden},
		{"POST", outbox.SESPath, "", "https://evil.example", http.StatusForbidden},
		{"POST", outbox.SESPath, "", "", http.StatusBadRequest}, // reaches the endpoint: no Content in {}
	} {
		if got := do(c.method, c.path, c.host, c.origin); got != c.want {
			t.Errorf("%s %s (Host %q, Origin %q) = %d, want %d", c.method, c.path, c.host, c.origin, got, c.want)
		}
	}
}

// testWriter sends log output to the test's log, shown when it fails.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestRunningFileAndDirLock(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, coaching.NewManualClock(t0))
	data, err := os.ReadFile(filepath.Join(dir, local.RunningFile))
	if err != nil {
		t.Fatalf("%s while running: %v", local.RunningFile, err)
	}
	var r local.Running
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	if r.DynamoDBEndpoint != s.StoreEndpoint() || r.Table != s.Table() || r.SMTP != s.SMTPAddr() || r.NotesAddress != s.NotesAddress() ||
		!strings.HasPrefix(r.S3Endpoint, "http://127.0.0.1:") || !filepath.IsAbs(r.Keyring) {
		t.Errorf("%s = %+v", local.RunningFile, r)
	}

	_, err = local.Start(context.Background(), local.Options{Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0"})
	if !errors.Is(err, local.ErrDirInUse) {
		t.Errorf("second Start on %s: %v, want ErrDirInUse", dir, err)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, local.RunningFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s after Close: %v, want it gone", local.RunningFile, err)
	}
}

// TestReadRunning reads where a run's servers are while it runs, and
// recognises the file a killed run left behind by the folder's free lock.
func TestReadRunning(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, coaching.NewManualClock(t0))
	r, err := local.ReadRunning(dir)
	if err != nil || r.SMTP != s.SMTPAddr() {
		t.Fatalf("ReadRunning while running = %+v, %v; want SMTP %s", r, err, s.SMTPAddr())
	}
	data, err := os.ReadFile(filepath.Join(dir, local.RunningFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := local.ReadRunning(dir); err != local.ErrNotRunning {
		t.Errorf("ReadRunning after Close: %v, want ErrNotRunning", err)
	}
	// A run killed with SIGKILL leaves its file; nothing holds the lock.
	if err := os.WriteFile(filepath.Join(dir, local.RunningFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := local.ReadRunning(dir); !errors.Is(err, local.ErrNotRunning) || !strings.Contains(err.Error(), "removed") {
		t.Errorf("ReadRunning with a stale file: %v, want ErrNotRunning saying it removed the file", err)
	}
	if _, err := os.Stat(filepath.Join(dir, local.RunningFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale %s still there: %v", local.RunningFile, err)
	}
}

// TestOneClickUnsubscribe follows the List-Unsubscribe URL of a recap, as
// a mail client's one-click button does (RFC 8058).
func TestOneClickUnsubscribe(t *testing.T) {
	clock := coaching.NewManualClock(t0)
	s := start(t, t.TempDir(), clock)
	send(t, s, local.DemoCoach.Email, []string{s.NotesAddress()}, notes)
	clock.Set(t0.Add(local.DemoCoach.Offsets.Review))
	dispatch(t, s)
	ms := s.Outbox().Messages()
	if len(ms) != 1 {
		t.Fatalf("outbox = %+v, want the recap", ms)
	}
	d, err := s.Outbox().Detail(ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, f := range d.Header {
		if f.Name == "List-Unsubscribe" {
			for _, part := range strings.Split(f.Value, ",") {
				if u := strings.Trim(strings.TrimSpace(part), "<>"); strings.HasPrefix(u, s.OutboxURL()+local.UnsubscribePath) {
					link = u
				}
			}
		}
	}
	if link == "" {
		t.Fatalf("the recap has no one-click link to %s: %+v", s.OutboxURL()+local.UnsubscribePath, d.Header)
	}
	resp, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s = %d", link, resp.StatusCode)
	}
	l, err := s.Store().LeaderByEmail(context.Background(), local.DemoLeader.Email)
	if err != nil || !l.Unsubscribed {
		t.Errorf("leader after one-click unsubscribe = %+v, %v; want unsubscribed", l, err)
	}
}
