package unsubscribe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/token"
)

const (
	leaderAddr = "dana.lee@example.org"
	leaderName = "Dana Lee"
	coachName  = "Robin Coach"
	oneClick   = "List-Unsubscribe=One-Click"
)

// env is the endpoint served by httptest over a fresh table of a real
// local DynamoDB server, with a coach, a leader and a prompt sent to them.
type env struct {
	t      *testing.T
	ctx    context.Context
	store  *dynamo.Store
	clock  *coaching.ManualClock
	keys   *token.Keyring
	logs   *syncBuffer
	h      *Handler
	http   *httptest.Server
	leader coaching.Leader
	email  coaching.ScheduledEmail // the prompt, pending: its token resolves through EmailByID
	tok    string                  // the prompt's unsubscribe token
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func forEachServer(t *testing.T, f func(t *testing.T, e *env)) {
	t.Helper()
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			f(t, newEnv(t, srv))
		})
	}
}

func newKeyring(t *testing.T, id string, b byte) *token.Keyring {
	t.Helper()
	kr, err := token.NewKeyring(id, map[string][]byte{id: bytes.Repeat([]byte{b}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func newEnv(t *testing.T, srv dynamotest.Server) *env {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	store := dynamo.New(client, table)
	clock := coaching.NewManualClock(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC))
	e := &env{t: t, ctx: ctx, store: store, clock: clock, keys: newKeyring(t, "k1", 7), logs: &syncBuffer{}}
	e.h = &Handler{Store: store, Keys: e.keys, Clock: clock, Log: slog.New(slog.NewJSONHandler(e.logs, nil))}
	e.http = httptest.NewServer(e.h)
	t.Cleanup(e.http.Close)

	coach := coaching.Coach{ID: "coach1", Email: "robin@practice.example", Name: coachName, Practice: "Northwind Coaching", CreatedAt: clock.Now()}
	if err := store.CreateCoach(ctx, coach); err != nil {
		t.Fatalf("CreateCoach: %v", err)
	}
	e.leader = coaching.Leader{ID: "leader1", Email: leaderAddr, Name: leaderName, CoachID: "coach1", CreatedAt: clock.Now()}
	if err := store.CreateLeader(ctx, e.leader); err != nil {
		t.Fatalf("CreateLeader: %v", err)
	}
	e.leader.Version = 1
	e.email = e.schedule("leader1", clock.Now().Add(24*time.Hour))
	e.tok = e.sign(e.email.ID, token.Unsubscribe, clock.Now().AddDate(0, 0, 60))
	return e
}

// schedule stores a scheduled prompt to the leader (or, with leaderID "",
// a brief to the coach), due at due.
func (e *env) schedule(leaderID string, due time.Time) coaching.ScheduledEmail {
	e.t.Helper()
	kind := coaching.EmailPrompt
	if leaderID == "" {
		kind = coaching.EmailBrief
	}
	em := coaching.ScheduledEmail{ID: coaching.NewID(), Kind: kind, SessionID: "session1", LeaderID: leaderID, CoachID: "coach1", Due: due, State: coaching.EmailPending}
	if err := e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em}); err != nil {
		e.t.Fatalf("ScheduleEmails: %v", err)
	}
	em.Version = 1
	return em
}

func (e *env) sign(id string, p token.Purpose, expires time.Time) string {
	e.t.Helper()
	s, err := e.keys.Sign(token.Token{ID: id, Purpose: p, Expires: expires})
	if err != nil {
		e.t.Fatalf("Sign: %v", err)
	}
	return s
}

// do sends a request to the endpoint and returns the status and body.
func (e *env) do(method, query, contentType string, body io.Reader) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, method, e.http.URL+"/"+query, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, query, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	checkHeaders(e.t, res, string(b))
	return res, string(b)
}

// post sends the one-click POST of RFC 8058 with the token in the URL.
func (e *env) post(tok string) (*http.Response, string) {
	e.t.Helper()
	return e.do(http.MethodPost, "?t="+url.QueryEscape(tok), "application/x-www-form-urlencoded", strings.NewReader(oneClick))
}

func (e *env) get(tok string) (*http.Response, string) {
	e.t.Helper()
	return e.do(http.MethodGet, "?t="+url.QueryEscape(tok), "", nil)
}

// checkHeaders checks what every answer must carry, and that the page
// names no one.
func checkHeaders(t *testing.T, res *http.Response, body string) {
	t.Helper()
	for k, want := range map[string]string{
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, d)
		}
	}
	if res.Request.Method != http.MethodHead {
		// The page's style must be the one the policy allows, or browsers
		// drop it.
		m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("page has no style: %s", body)
		} else {
			sum := sha256.Sum256([]byte(m[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, "style-src "+h) {
				t.Errorf("Content-Security-Policy %q does not allow the page's style (%s)", csp, h)
			}
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type = %q, want text/html; charset=utf-8", ct)
		}
	}
	// The style aside (it has an @media rule), the page names no one.
	lower := strings.ToLower(regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(body, ""))
	for _, s := range []string{leaderAddr, "dana", "lee", "robin", "northwind", "@"} {
		if strings.Contains(lower, s) {
			t.Errorf("page mentions %q:\n%s", s, body)
		}
	}
}

func (e *env) notices() []coaching.ScheduledEmail {
	e.t.Helper()
	due, err := e.store.DueEmails(e.ctx, e.clock.Now(), 100)
	if err != nil {
		e.t.Fatalf("DueEmails: %v", err)
	}
	var out []coaching.ScheduledEmail
	for _, em := range due {
		if em.Kind == coaching.EmailNotice {
			out = append(out, em)
		}
	}
	return out
}

func (e *env) loadLeader() coaching.Leader {
	e.t.Helper()
	l, err := e.store.LeaderByID(e.ctx, e.leader.ID)
	if err != nil {
		e.t.Fatalf("LeaderByID: %v", err)
	}
	return l
}

// unchanged fails unless the leader is still subscribed and nobody was told.
func (e *env) unchanged() {
	e.t.Helper()
	if l := e.loadLeader(); l.Unsubscribed || l.Version != 1 {
		e.t.Errorf("leader = Unsubscribed %v, Version %d; want subscribed and untouched", l.Unsubscribed, l.Version)
	}
	if ns := e.notices(); len(ns) != 0 {
		e.t.Errorf("notices = %+v, want none", ns)
	}
}

// unsubscribed fails unless the leader is unsubscribed and their coach was
// told exactly once.
func (e *env) unsubscribed() {
	e.t.Helper()
	if l := e.loadLeader(); !l.Unsubscribed {
		e.t.Errorf("leader not unsubscribed: %+v", l)
	}
	ns := e.notices()
	if len(ns) != 1 {
		e.t.Fatalf("notices = %+v, want one", ns)
	}
	n := ns[0]
	if n.Notice != "unsubscribed" || n.CoachID != "coach1" || n.Address != leaderAddr || n.State != coaching.EmailPending || n.LeaderID != "" {
		e.t.Errorf("notice = %+v; want an unsubscribed notice about the leader to coach1", n)
	}
}

func TestGetDoesNotUnsubscribe(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		res, body := e.get(e.tok)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `method="post"`) || !strings.Contains(body, `name="List-Unsubscribe" value="One-Click"`) {
			t.Errorf("GET = %d\n%s\nwant 200 and a form that posts the one-click field", res.StatusCode, body)
		}
		res, body = e.do(http.MethodHead, "?t="+e.tok, "", nil)
		if res.StatusCode != http.StatusOK || body != "" {
			t.Errorf("HEAD = %d, %q; want 200 and no body", res.StatusCode, body)
		}
		e.unchanged()
	})
}

func TestOneClick(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		res, body := e.post(e.tok)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "You are unsubscribed") {
			t.Fatalf("POST = %d\n%s\nwant 200 and the done page", res.StatusCode, body)
		}
		e.unsubscribed()
		in, err := e.store.InboundByID(e.ctx, "unsubscribe-"+e.email.ID)
		if err != nil || in.LeaderID != e.leader.ID || in.CoachID != "coach1" || in.Outcome != Unsubscribed {
			t.Errorf("record = %+v, %v; want one naming the leader and coach", in, err)
		}
		if !in.Expires.Equal(e.clock.Now().Add(90 * 24 * time.Hour)) {
			t.Errorf("record expires %v, want 90 days on", in.Expires)
		}
		// The page the leader sees afterwards, by GET, says so too.
		if res, body := e.get(e.tok); res.StatusCode != http.StatusOK || !strings.Contains(body, "You are unsubscribed") || strings.Contains(body, "<form") {
			t.Errorf("GET after = %d\n%s\nwant the done page without a form", res.StatusCode, body)
		}
		logs := e.logs.String()
		if strings.Contains(logs, e.tok) || strings.Contains(logs, leaderAddr) || !strings.Contains(logs, `"outcome":"unsubscribed"`) {
			t.Errorf("logs = %s; want the outcome, without the token or the address", logs)
		}
	})
}

func TestMultipartOneClick(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		if err := mw.WriteField("List-Unsubscribe", "One-Click"); err != nil {
			t.Fatal(err)
		}
		if err := mw.Close(); err != nil {
			t.Fatal(err)
		}
		res, _ := e.do(http.MethodPost, "?t="+e.tok, mw.FormDataContentType(), &b)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST multipart = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
	})
}

// TestConfirmationForm plays a browser: it reads the form of the GET page
// and submits it as the page says.
func TestConfirmationForm(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		_, body := e.get(strings.ToUpper(e.tok)) // case folded, as some clients do
		m := regexp.MustCompile(`<form method="post" action="([^"]*)">`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no form in\n%s", body)
		}
		action, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		fields := url.Values{}
		for _, f := range regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
			fields.Add(f[1], f[2])
		}
		res, _ := e.do(http.MethodPost, "?"+action.RawQuery, "application/x-www-form-urlencoded", strings.NewReader(fields.Encode()))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("submitting the form = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
	})
}

func TestTokenInBody(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		res, _ := e.do(http.MethodPost, "", "application/x-www-form-urlencoded", strings.NewReader("t="+e.tok+"&"+oneClick))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST with the token in the form = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
	})
}

func TestReplay(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		var wg sync.WaitGroup
		codes := make([]int, 4)
		for i := range codes {
			wg.Go(func() {
				res, _ := e.post(e.tok)
				codes[i] = res.StatusCode
			})
		}
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusOK {
				t.Errorf("concurrent POST %d = %d, want 200", i, c)
			}
		}
		e.clock.Advance(time.Hour)
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Errorf("replayed POST = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
		if v := e.loadLeader().Version; v != 2 {
			t.Errorf("leader version = %d, want 2 (one write)", v)
		}

		// The operator subscribes the leader again; the old link stays spent.
		l := e.loadLeader()
		l.Unsubscribed = false
		if err := e.store.UpdateLeader(e.ctx, l); err != nil {
			t.Fatal(err)
		}
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Errorf("POST after resubscription = %d, want 200", res.StatusCode)
		}
		if l := e.loadLeader(); l.Unsubscribed {
			t.Error("a spent link unsubscribed the leader again")
		}
		if ns := e.notices(); len(ns) != 1 {
			t.Errorf("notices = %d, want still one", len(ns))
		}
	})
}

func TestAlreadyUnsubscribed(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// Unsubscribed before, by replying "unsubscribe".
		l := e.loadLeader()
		l.Unsubscribed = true
		if err := e.store.UpdateLeader(e.ctx, l); err != nil {
			t.Fatal(err)
		}
		if res, body := e.get(e.tok); res.StatusCode != http.StatusOK || strings.Contains(body, "<form") {
			t.Errorf("GET = %d\n%s\nwant the done page", res.StatusCode, body)
		}
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Errorf("POST = %d, want 200", res.StatusCode)
		}
		if ns := e.notices(); len(ns) != 0 {
			t.Errorf("notices = %+v, want none: the coach was told the first time", ns)
		}
		if v := e.loadLeader().Version; v != 2 {
			t.Errorf("leader version = %d, want 2 (no write)", v)
		}
	})
}

func TestInvalidLinks(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		now := e.clock.Now()
		brief := e.schedule("", now.Add(time.Hour))
		ghost := e.schedule("ghost", now.Add(time.Hour)) // a leader since erased
		altered := []byte(e.tok)
		altered[len(altered)/2] ^= 1 // stays in the alphabet: 'a'<->'b', '2'<->'3'...
		other := newKeyring(t, "k1", 9)
		forged, err := other.Sign(token.Token{ID: e.email.ID, Purpose: token.Unsubscribe, Expires: now.AddDate(0, 0, 60)})
		if err != nil {
			t.Fatal(err)
		}
		tests := map[string]string{
			"no token":         "",
			"garbage":          "hello",
			"too long":         strings.Repeat("a", 4000),
			"altered":          string(altered),
			"forged":           forged,
			"expired":          e.sign(e.email.ID, token.Unsubscribe, now.Add(-48*time.Hour)),
			"reply token":      e.sign(e.email.ID, token.Prompt, now.AddDate(0, 0, 60)),
			"unknown email":    e.sign(token.NewID(), token.Unsubscribe, now.AddDate(0, 0, 60)),
			"email to a coach": e.sign(brief.ID, token.Unsubscribe, now.AddDate(0, 0, 60)),
			"erased leader":    e.sign(ghost.ID, token.Unsubscribe, now.AddDate(0, 0, 60)),
		}
		var first string
		for name, tok := range tests {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				query := ""
				if tok != "" {
					query = "?t=" + url.QueryEscape(tok)
				}
				res, body := e.do(method, query, "application/x-www-form-urlencoded", strings.NewReader(oneClick))
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("%s %s = %d, want 400", method, name, res.StatusCode)
				}
				if first == "" {
					first = body
				} else if body != first {
					t.Errorf("%s %s page differs from the others: it must reveal nothing\n%s", method, name, body)
				}
				if tok != "" && strings.Contains(body, tok) {
					t.Errorf("%s %s page echoes the token", method, name)
				}
			}
		}
		e.unchanged()
		if n := strings.Count(e.logs.String(), `"msg":"unsubscribe: invalid link"`); n != 2*len(tests) {
			t.Errorf("logged %d invalid links, want %d", n, 2*len(tests))
		}
	})
}

func TestSentRecord(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// The prompt was sent: its token resolves through the sent record.
		e.clock.Advance(24 * time.Hour)
		em := e.email
		em.MessageID = coaching.NewID() + "@mail.practice.example"
		claimed, err := e.store.ClaimEmail(e.ctx, em, e.clock.Now(), e.clock.Now().Add(time.Minute))
		if err != nil {
			t.Fatalf("ClaimEmail: %v", err)
		}
		ref := coaching.SentRef{MessageID: em.MessageID, TokenID: em.ID, EmailID: em.ID, Kind: em.Kind, SessionID: em.SessionID,
			LeaderID: e.leader.ID, CoachID: "coach1", SentAt: e.clock.Now(), Expires: e.clock.Now().AddDate(0, 2, 0)}
		if err := e.store.MarkSent(e.ctx, claimed, ref); err != nil {
			t.Fatalf("MarkSent: %v", err)
		}
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Fatalf("POST = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
	})
}

func TestMethods(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
			res, _ := e.do(m, "?t="+e.tok, "", strings.NewReader(oneClick))
			if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD, POST" {
				t.Errorf("%s = %d, Allow %q; want 405, GET, HEAD, POST", m, res.StatusCode, res.Header.Get("Allow"))
			}
		}
		e.unchanged()
	})
}

// racingStore changes the leader once, between the handler's read of the
// leader and its write.
type racingStore struct {
	*dynamo.Store
	once sync.Once
}

func (s *racingStore) InboundByID(ctx context.Context, id string) (coaching.InboundMessage, error) {
	var err error
	s.once.Do(func() {
		var l coaching.Leader
		if l, err = s.Store.LeaderByID(ctx, "leader1"); err == nil {
			l.TimeZone = "Europe/Paris"
			err = s.Store.UpdateLeader(ctx, l)
		}
	})
	if err != nil {
		return coaching.InboundMessage{}, err
	}
	return s.Store.InboundByID(ctx, id)
}

func TestLeaderChangedMeanwhile(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		e.h.Store = &racingStore{Store: e.store}
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Fatalf("POST = %d, want 200", res.StatusCode)
		}
		if l := e.loadLeader(); !l.Unsubscribed || l.TimeZone != "Europe/Paris" {
			t.Errorf("leader = %+v; want unsubscribed with the concurrent change kept", l)
		}
		e.unsubscribed()
	})
}

// downStore fails every write, as an unreachable table would.
type downStore struct{ *dynamo.Store }

var errDown = errors.New("connection refused")

func (downStore) Apply(context.Context, coaching.Change) error { return errDown }

func TestStoreDown(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		e.h.Store = downStore{e.store}
		res, body := e.post(e.tok)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "try again") {
			t.Errorf("POST = %d, Retry-After %q\n%s\nwant 503 asking to try again", res.StatusCode, res.Header.Get("Retry-After"), body)
		}
		if !strings.Contains(e.logs.String(), "connection refused") {
			t.Errorf("logs = %s; want the failure logged", e.logs.String())
		}
		e.unchanged()
		// The client's retry, with the table back.
		e.h.Store = e.store
		if res, _ := e.post(e.tok); res.StatusCode != http.StatusOK {
			t.Errorf("retried POST = %d, want 200", res.StatusCode)
		}
		e.unsubscribed()
	})
}

func TestBodyBounded(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// No token in the URL, and a body far over the bound: refused
		// without reading it all.
		big := strings.NewReader("t=" + e.tok + "&x=" + strings.Repeat("a", 1<<20))
		res, _ := e.do(http.MethodPost, "", "application/x-www-form-urlencoded", big)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST with a 1 MiB body = %d, want 400", res.StatusCode)
		}
		e.unchanged()
	})
}
