// Package unsubscribe serves the one-click unsubscribe endpoint of RFC 8058:
// the https URL in the List-Unsubscribe header of every email coachmail
// sends to a leader, ending in ?t=TOKEN, an unsubscribe token of
// internal/token whose id is the id of the scheduled email it came with.
//
//   - POST /?t=TOKEN unsubscribes the leader the email went to
//     (Leader.Unsubscribed) and schedules a notice to their coach, then
//     answers 200 with a short page. A mail client sends the body
//     List-Unsubscribe=One-Click (RFC 8058 section 3.2); the confirmation
//     page's form sends the same.
//   - GET (and HEAD) /?t=TOKEN changes nothing: link scanners and mail
//     previews fetch URLs, which is why RFC 8058 makes one-click a POST, so
//     a GET only shows a page with a button that POSTs.
//   - A token that is malformed, forged, expired, of another purpose, or of
//     an email or leader coachmail no longer knows gets 400 and one plain
//     page for all of them, which says nothing about why, nor whose it was.
//   - Replaying a token is harmless: the unsubscribe is recorded under
//     "unsubscribe-<token id>" in the same transaction as the change, so a
//     second POST (a retry, a second click) answers 200 and changes
//     nothing, even after an operator subscribed the leader again.
//
// Where it departs from RFC 8058: the POST body is not required. The POST
// method and the signed token already show the intent; section 3.2 tells
// mail clients what to send, and a client that sends something else still
// unsubscribes. Pages hold no address and no name, only the token in the
// form. Every answer carries a Content-Security-Policy that allows nothing
// but the page's own style and a form posting to itself, no-store, nosniff
// and no-referrer (the URL holds the token).
package unsubscribe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/token"
)

// Handler is the one-click unsubscribe endpoint, an http.Handler.
type Handler struct {
	Store coaching.Store
	Keys  *token.Keyring
	Clock coaching.Clock
	Log   *slog.Logger
	// Retention is how long the record of an unsubscribe is kept, which is
	// how long a replayed token is recognised even after the leader was
	// subscribed again; default 90 days, longer than a token lives.
	Retention time.Duration
}

// Outcomes of a request, logged.
const (
	Confirm      = "confirm"      // GET: the confirmation page was shown
	Unsubscribed = "unsubscribed" // POST: the leader was unsubscribed now
	Already      = "already"      // the leader was unsubscribed before, or the token was used
	Invalid      = "invalid"      // the link does not work
	Failed       = "failed"       // a temporary failure; the client may retry
	NotAllowed   = "method_not_allowed"
)

// routeUnsubscribe is the route of an unsubscribe's record. coaching
// declares the routes of received mail; this comes by HTTP.
const routeUnsubscribe coaching.Route = "unsubscribe"

// maxBody bounds the POST body read: the one-click body is 26 bytes.
const maxBody = 8 << 10

// maxAttempts bounds the tries of the change when the leader changes
// between read and write.
const maxAttempts = 3

// errInvalid marks a link that does not work; its text is logged, never
// shown.
var errInvalid = errors.New("unsubscribe: invalid link")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errInvalid, fmt.Sprintf(format, args...))
}

// ServeHTTP answers GET and HEAD with the confirmation page and POST by
// unsubscribing; anything else gets 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	start := time.Now()
	var (
		outcome string
		tok     token.Token
		leader  coaching.Leader
		err     error
	)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		tok, leader, err = h.resolve(ctx, r.URL.Query().Get("t"))
		switch {
		case err != nil:
		case leader.Unsubscribed:
			outcome = Already
		default:
			outcome = Confirm
		}
	case http.MethodPost:
		var s string
		s, err = tokenOfPost(w, r)
		if err == nil {
			tok, leader, err = h.resolve(ctx, s)
		}
		if err == nil {
			outcome, err = h.unsubscribe(ctx, tok, leader)
		}
	default:
		outcome = NotAllowed
	}
	if err != nil {
		outcome = Failed
		if errors.Is(err, errInvalid) {
			outcome = Invalid
		}
	}

	var status int
	switch outcome {
	case Confirm:
		status = render(w, http.StatusOK, confirmPage, pageData{Token: tokString(r)})
	case Unsubscribed, Already:
		status = render(w, http.StatusOK, donePage, pageData{})
	case Invalid:
		status = render(w, http.StatusBadRequest, invalidPage, pageData{})
	case NotAllowed:
		w.Header().Set("Allow", "GET, HEAD, POST")
		status = render(w, http.StatusMethodNotAllowed, methodPage, pageData{})
	default:
		w.Header().Set("Retry-After", "60")
		status = render(w, http.StatusServiceUnavailable, failedPage, pageData{})
	}

	// The token is a credential and is never logged; its id names the
	// email it came with.
	attrs := []any{"method", r.Method, "status", status, "outcome", outcome, "duration_ms", time.Since(start).Milliseconds()}
	if tok.ID != "" {
		attrs = append(attrs, "token_id", tok.ID)
	}
	if leader.ID != "" {
		attrs = append(attrs, "leader", leader.ID)
	}
	switch outcome {
	case Failed:
		h.Log.ErrorContext(ctx, "unsubscribe: temporary failure", append(attrs, "err", err)...)
	case Invalid:
		h.Log.InfoContext(ctx, "unsubscribe: invalid link", append(attrs, "reason", err.Error())...)
	default:
		h.Log.InfoContext(ctx, "unsubscribe: request", attrs...)
	}
}

// tokString returns the token of the request's URL, for the confirmation
// form to post back.
func tokString(r *http.Request) string { return r.URL.Query().Get("t") }

// tokenOfPost returns the token of a POST: from the URL, where RFC 8058
// puts it, else from a form field t. The body is read to at most maxBody
// bytes, and only for that.
func tokenOfPost(w http.ResponseWriter, r *http.Request) (string, error) {
	if s := r.URL.Query().Get("t"); s != "" {
		return s, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(maxBody)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return "", invalid("unreadable form: %v", err)
	}
	return r.PostForm.Get("t"), nil
}

// resolve verifies an unsubscribe token and finds the leader it stands for.
// An error that is not errInvalid is temporary.
func (h *Handler) resolve(ctx context.Context, s string) (token.Token, coaching.Leader, error) {
	if s == "" {
		return token.Token{}, coaching.Leader{}, invalid("no token")
	}
	tok, err := h.Keys.Verify(s, h.Clock.Now())
	if err != nil {
		return token.Token{}, coaching.Leader{}, invalid("%v", err)
	}
	if tok.Purpose != token.Unsubscribe {
		// A reply token of the same email: genuine, but not for this.
		return tok, coaching.Leader{}, invalid("token of purpose %q", tok.Purpose)
	}
	leaderID, err := h.leaderOfToken(ctx, tok.ID)
	if coaching.IsNotFound(err) {
		return tok, coaching.Leader{}, invalid("no email of the token")
	} else if err != nil {
		return tok, coaching.Leader{}, fmt.Errorf("look up the token's email: %w", err)
	}
	if leaderID == "" {
		return tok, coaching.Leader{}, invalid("the token's email went to a coach")
	}
	l, err := h.Store.LeaderByID(ctx, leaderID)
	if coaching.IsNotFound(err) {
		return tok, coaching.Leader{}, invalid("the token's leader is gone")
	} else if err != nil {
		return tok, coaching.Leader{}, fmt.Errorf("load leader: %w", err)
	}
	return tok, l, nil
}

// leaderOfToken returns the leader of the email a token id names: from the
// record of the sent email, else from the scheduled email itself (its sent
// record may be missing after a crash between sending and recording).
func (h *Handler) leaderOfToken(ctx context.Context, id string) (string, error) {
	ref, err := h.Store.SentRefByToken(ctx, id)
	if err == nil {
		return ref.LeaderID, nil
	} else if !coaching.IsNotFound(err) {
		return "", err
	}
	e, err := h.Store.EmailByID(ctx, id)
	if err != nil {
		return "", err
	}
	return e.LeaderID, nil
}

// unsubscribe unsubscribes the leader, once per token: the change is
// written with the token's record, and a token already recorded changes
// nothing.
func (h *Handler) unsubscribe(ctx context.Context, tok token.Token, l coaching.Leader) (string, error) {
	id := "unsubscribe-" + tok.ID
	for attempt := 1; ; attempt++ {
		if l.Unsubscribed {
			return Already, nil
		}
		if _, err := h.Store.InboundByID(ctx, id); err == nil {
			// Used before; the leader has been subscribed again since.
			return Already, nil
		} else if !coaching.IsNotFound(err) {
			return "", fmt.Errorf("look up record %s: %w", id, err)
		}
		now := h.Clock.Now()
		ret := h.Retention
		if ret <= 0 {
			ret = 90 * 24 * time.Hour
		}
		l.Unsubscribed = true
		err := h.Store.Apply(ctx, coaching.Change{
			Inbound: coaching.InboundMessage{
				ID: id, ReceivedAt: now, Route: routeUnsubscribe, Outcome: Unsubscribed,
				LeaderID: l.ID, CoachID: l.CoachID, Expires: now.Add(ret),
			},
			Leader: &l,
			Emails: []coaching.ScheduledEmail{{
				ID: coaching.NewID(), Kind: coaching.EmailNotice, CoachID: l.CoachID, Due: now,
				State: coaching.EmailPending, Notice: "unsubscribed", Address: l.Email,
			}},
		})
		if err == nil {
			return Unsubscribed, nil
		}
		if !coaching.IsConflict(err) || attempt == maxAttempts {
			return "", fmt.Errorf("apply unsubscribe: %w", err)
		}
		// Another request recorded the token first, or the leader changed
		// meanwhile: read again and decide again.
		if l, err = h.Store.LeaderByID(ctx, l.ID); err != nil {
			if coaching.IsNotFound(err) {
				return "", invalid("the token's leader is gone")
			}
			return "", fmt.Errorf("reload leader: %w", err)
		}
	}
}
