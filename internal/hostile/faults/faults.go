// Package faults makes AWS calls fail on purpose, for tests: a Transport
// wraps the http.RoundTripper of an SDK client (DynamoDB, S3, SES v2) and,
// for the calls its Rules match, answers with a server error or throttling
// without reaching the server, times out, delays the call, or lets the
// server apply it and then loses the answer. The SDK sees real HTTP
// answers, so its own error handling and coachmail's classification of
// errors are what the test exercises.
//
// Error answers follow each service's wire protocol, so that the SDK reads
// them as it would read AWS's: DynamoDB's JSON 1.0 errors
// (InternalServerError, ThrottlingException), S3's XML errors
// (InternalError, SlowDown), SES v2's REST-JSON errors with the
// X-Amzn-ErrorType header (InternalServiceErrorException,
// TooManyRequestsException).
package faults

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Services a Transport can stand in front of.
const (
	DynamoDB = "dynamodb"
	S3       = "s3"
	SES      = "sesv2"
)

// Mode is what a fault does.
type Mode int

// Modes.
const (
	// ServerError answers 500 without reaching the server.
	ServerError Mode = iota
	// Throttle answers the service's throttling error without reaching the
	// server.
	Throttle
	// Timeout holds the call for Rule.Delay (or until the request's
	// context ends) and fails it with a network timeout, without reaching
	// the server.
	Timeout
	// LoseAnswer sends the call to the server, which applies it, and then
	// answers 500: the caller cannot know that it took effect.
	LoseAnswer
	// Delay sends the call after Rule.Delay.
	Delay
)

func (m Mode) String() string {
	switch m {
	case ServerError:
		return "server error"
	case Throttle:
		return "throttling"
	case Timeout:
		return "timeout"
	case LoseAnswer:
		return "answer lost"
	case Delay:
		return "delay"
	}
	return fmt.Sprintf("mode %d", int(m))
}

// Rule chooses calls to fault.
type Rule struct {
	// Operation is the API operation ("TransactWriteItems", "GetObject",
	// "SendEmail"); "" matches every call.
	Operation string
	Mode      Mode
	// Every faults every Nth matching call (1, or 0, every one); with
	// Chance set, Every is ignored.
	Every int
	// Chance faults each matching call with this probability, drawn from
	// the Transport's seeded generator.
	Chance float64
	// Times bounds the faults of this rule; 0 means no bound.
	Times int
	// Delay is how long Timeout and Delay hold a call.
	Delay time.Duration
}

// Transport is an http.RoundTripper that faults the calls its rules match.
// It is safe for concurrent use.
type Transport struct {
	service string
	next    http.RoundTripper

	mu     sync.Mutex
	rng    *rand.Rand
	rules  []*ruleState
	calls  map[string]int
	faults map[string]int
}

type ruleState struct {
	Rule
	seen, done int
}

// New returns a Transport for service (DynamoDB, S3 or SES) in front of
// next, faulting as rules say; seed feeds the rules' Chance. A nil next is
// a clone of http.DefaultTransport, with a connection pool of its own:
// httptest.Server.Close closes the idle connections of the default one,
// which would otherwise fail calls that no rule chose.
func New(service string, next http.RoundTripper, seed uint64, rules ...Rule) *Transport {
	if next == nil {
		next = http.DefaultTransport.(*http.Transport).Clone()
	}
	t := &Transport{service: service, next: next, rng: rand.New(rand.NewPCG(seed, 0x6661756c7473)), calls: map[string]int{}, faults: map[string]int{}}
	t.Set(rules...)
	return t
}

// Client returns an http.Client that uses t, for an SDK client's HTTPClient.
func (t *Transport) Client() *http.Client { return &http.Client{Transport: t} }

// Set replaces the rules; Set() with none heals the transport.
func (t *Transport) Set(rules ...Rule) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rules = t.rules[:0]
	for _, r := range rules {
		t.rules = append(t.rules, &ruleState{Rule: r})
	}
}

// Calls returns how many calls of operation went through t, faulted or not.
func (t *Transport) Calls(operation string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.calls[operation]
}

// Faults returns how many calls of operation were faulted; "" counts all.
func (t *Transport) Faults(operation string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if operation != "" {
		return t.faults[operation]
	}
	n := 0
	for _, v := range t.faults {
		n += v
	}
	return n
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := Operation(t.service, req)
	rule, fault := t.choose(op)
	if !fault {
		return t.next.RoundTrip(req)
	}
	switch rule.Mode {
	case LoseAnswer:
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return t.errorAnswer(req, false), nil
	case Delay:
		if err := wait(req.Context(), rule.Delay); err != nil {
			closeBody(req)
			return nil, err
		}
		return t.next.RoundTrip(req)
	case Timeout:
		closeBody(req)
		if err := wait(req.Context(), rule.Delay); err != nil {
			return nil, err
		}
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errTimeout}
	case Throttle:
		closeBody(req)
		return t.errorAnswer(req, true), nil
	default:
		closeBody(req)
		return t.errorAnswer(req, false), nil
	}
}

// choose counts the call and says whether a rule faults it.
func (t *Transport) choose(op string) (Rule, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls[op]++
	for _, r := range t.rules {
		if r.Operation != "" && r.Operation != op || r.Times > 0 && r.done >= r.Times {
			continue
		}
		r.seen++
		var hit bool
		if r.Chance > 0 {
			hit = t.rng.Float64() < r.Chance
		} else {
			hit = r.Every <= 1 || r.seen%r.Every == 0
		}
		if hit {
			r.done++
			t.faults[op]++
			return r.Rule, true
		}
	}
	return Rule{}, false
}

func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
}

// timeoutError is a network timeout, as net.Error.
type timeoutError struct{}

func (timeoutError) Error() string   { return "faults: i/o timeout (injected)" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var errTimeout net.Error = timeoutError{}

// errorAnswer builds the service's error answer to req.
func (t *Transport) errorAnswer(req *http.Request, throttle bool) *http.Response {
	h := http.Header{}
	status, body := http.StatusInternalServerError, ""
	switch t.service {
	case DynamoDB:
		code := "InternalServerError"
		if throttle {
			status, code = http.StatusBadRequest, "ThrottlingException"
		}
		h.Set("Content-Type", "application/x-amz-json-1.0")
		h.Set("X-Amzn-ErrorType", code)
		body = `{"__type":"com.amazonaws.dynamodb.v20120810#` + code + `","message":"injected fault"}`
	case S3:
		code := "InternalError"
		if throttle {
			status, code = http.StatusServiceUnavailable, "SlowDown"
		}
		h.Set("Content-Type", "application/xml")
		body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>injected fault</Message><RequestId>faults</RequestId></Error>`
	default: // SES v2 and other REST-JSON services
		code := "InternalServiceErrorException"
		if throttle {
			status, code = http.StatusTooManyRequests, "TooManyRequestsException"
		}
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-ErrorType", code)
		body = `{"message":"injected fault"}`
	}
	h.Set("X-Amzn-RequestId", "faults")
	if req.Method == http.MethodHead {
		body = ""
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		Request: req,
	}
}

// Operation names the API operation of an SDK request to service: from
// X-Amz-Target for DynamoDB, from the method and path for S3 (path-style)
// and SES v2. Requests it does not know are named "METHOD /path".
func Operation(service string, req *http.Request) string {
	switch service {
	case DynamoDB:
		if target := req.Header.Get("X-Amz-Target"); target != "" {
			_, op, _ := strings.Cut(target, ".")
			return op
		}
	case S3:
		path := strings.Trim(req.URL.Path, "/")
		_, key, hasKey := strings.Cut(path, "/")
		if hasKey && key != "" {
			switch req.Method {
			case http.MethodGet:
				return "GetObject"
			case http.MethodPut:
				return "PutObject"
			case http.MethodDelete:
				return "DeleteObject"
			case http.MethodHead:
				return "HeadObject"
			}
		} else if req.Method == http.MethodGet {
			return "ListObjectsV2"
		}
	case SES:
		if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/v2/email/outbound-emails") {
			return "SendEmail"
		}
	}
	return req.Method + " " + req.URL.Path
}
