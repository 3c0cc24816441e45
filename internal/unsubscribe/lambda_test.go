package unsubscribe

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// echo answers with what it was asked, as text, and some headers to carry
// back.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Add("Set-Cookie", "a=1")
	w.Header().Add("Set-Cookie", "b=2")
	w.Header().Add("Vary", "Accept")
	w.Header().Add("Vary", "Cookie")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTeapot)
	fmt.Fprintf(w, "%s %s %s|path=%s|t=%q|host=%s|remote=%s|proto=%s|len=%d|ct=%s|cookie=%s|ctx=%v|body=%s",
		r.Method, r.URL.Path, r.RequestURI, r.URL.Path, r.URL.Query()["t"], r.Host, r.RemoteAddr, r.Proto, r.ContentLength,
		r.Header.Get("Content-Type"), r.Header.Get("Cookie"), r.Context().Value(ctxKey{}), body)
})

type ctxKey struct{}

func TestLambdaRequest(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "request-ctx")
	ev := events.LambdaFunctionURLRequest{
		RawPath:        "/a%20b/c",
		RawQueryString: "t=abc&t=def&x=%2F",
		Cookies:        []string{"s=1", "u=2"},
		Headers:        map[string]string{"content-type": "application/x-www-form-urlencoded", "host": "u.lambda-url.eu-west-1.on.aws"},
		RequestContext: events.LambdaFunctionURLRequestContext{
			DomainName: "other.example",
			HTTP:       events.LambdaFunctionURLRequestContextHTTPDescription{Method: "POST", SourceIP: "2001:db8::1", Protocol: "HTTP/1.1"},
		},
		Body:            base64.StdEncoding.EncodeToString([]byte("List-Unsubscribe=One-Click")),
		IsBase64Encoded: true,
	}
	res, err := Lambda(echo)(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	want := `POST /a b/c /a%20b/c?t=abc&t=def&x=%2F|path=/a b/c|t=["abc" "def"]|host=u.lambda-url.eu-west-1.on.aws|remote=[2001:db8::1]:0|proto=HTTP/1.1|len=26|` +
		`ct=application/x-www-form-urlencoded|cookie=s=1; u=2|ctx=request-ctx|body=List-Unsubscribe=One-Click`
	if res.StatusCode != http.StatusTeapot || res.Body != want || res.IsBase64Encoded {
		t.Errorf("Lambda(echo) = %d, %q (base64 %v)\nwant %d, %q", res.StatusCode, res.Body, res.IsBase64Encoded, http.StatusTeapot, want)
	}
	if got := strings.Join(res.Cookies, " "); got != "a=1 b=2" {
		t.Errorf("Cookies = %q, want a=1 b=2", got)
	}
	if got := res.Headers["Vary"]; got != "Accept, Cookie" {
		t.Errorf("Vary = %q, want Accept, Cookie", got)
	}
	if _, ok := res.Headers["Set-Cookie"]; ok {
		t.Error("Set-Cookie left in Headers; it belongs in Cookies")
	}

	// Plain body, no path, no host header, no method: a GET of "/".
	ev = events.LambdaFunctionURLRequest{Body: "plain", RequestContext: events.LambdaFunctionURLRequestContext{DomainName: "d.example"}}
	res, _ = Lambda(echo)(ctx, ev)
	if !strings.HasPrefix(res.Body, "GET / /|") || !strings.Contains(res.Body, "|host=d.example|") || !strings.HasSuffix(res.Body, "|body=plain") {
		t.Errorf("Lambda(echo) of a bare event = %q", res.Body)
	}
}

func TestLambdaResponse(t *testing.T) {
	ctx := context.Background()
	binary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte{0x89, 'P', 'N', 'G', 0xff, 0}) })
	res, _ := Lambda(binary)(ctx, events.LambdaFunctionURLRequest{})
	if !res.IsBase64Encoded || res.Body != base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G', 0xff, 0}) || res.StatusCode != http.StatusOK {
		t.Errorf("binary body = %d, %q, base64 %v; want 200 and the bytes base64-encoded", res.StatusCode, res.Body, res.IsBase64Encoded)
	}
	if res.Headers["Content-Type"] == "" {
		t.Error("no Content-Type sniffed for a body without one")
	}
	silent := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	if res, _ := Lambda(silent)(ctx, events.LambdaFunctionURLRequest{}); res.StatusCode != http.StatusOK || res.Body != "" {
		t.Errorf("silent handler = %d, %q; want 200 and nothing", res.StatusCode, res.Body)
	}
	head := events.LambdaFunctionURLRequest{RequestContext: events.LambdaFunctionURLRequestContext{HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "HEAD"}}}
	if res, _ := Lambda(echo)(ctx, head); res.StatusCode != http.StatusTeapot || res.Body != "" {
		t.Errorf("HEAD = %d, %q; want the status without a body", res.StatusCode, res.Body)
	}
	for name, ev := range map[string]events.LambdaFunctionURLRequest{
		"bad base64":  {Body: "not base64!", IsBase64Encoded: true},
		"bad path":    {RawPath: "no-slash"},
		"bad method":  {RequestContext: events.LambdaFunctionURLRequestContext{HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: "GE T"}}},
		"bad escapes": {RawPath: "/%zz"},
	} {
		res, err := Lambda(echo)(ctx, ev)
		if err != nil || res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d, %v; want 400 and no error", name, res.StatusCode, err)
		}
	}
}

// TestLambdaOneClick runs the endpoint behind the adapter, on the event a
// function URL makes of a mail client's one-click POST.
func TestLambdaOneClick(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "function-url-one-click.json"))
	if err != nil {
		t.Fatal(err)
	}
	forEachServer(t, func(t *testing.T, e *env) {
		var ev events.LambdaFunctionURLRequest
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(data), "TOKEN", e.tok)), &ev); err != nil {
			t.Fatal(err)
		}
		fn := Lambda(e.h)
		for range 2 { // the second is a replay
			res, err := fn(e.ctx, ev)
			if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "You are unsubscribed") {
				t.Fatalf("one-click through the adapter = %d, %v\n%s", res.StatusCode, err, res.Body)
			}
			if res.Headers["Cache-Control"] != "no-store" || !strings.Contains(res.Headers["Content-Security-Policy"], "default-src 'none'") {
				t.Errorf("headers = %v; want the security headers carried over", res.Headers)
			}
		}
		e.unsubscribed()

		ev.RawQueryString, ev.QueryStringParameters = "t=nope", nil
		if res, _ := fn(e.ctx, ev); res.StatusCode != http.StatusBadRequest {
			t.Errorf("bad token through the adapter = %d, want 400", res.StatusCode)
		}
	})
}

// FuzzLambda checks that no function URL event makes the adapter panic or
// err: it answers 400 for what it cannot turn into a request, and carries
// the handler's answer otherwise.
func FuzzLambda(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "function-url-one-click.json"))
	if err != nil {
		f.Fatal(err)
	}
	var seed events.LambdaFunctionURLRequest
	if err := json.Unmarshal(data, &seed); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.RequestContext.HTTP.Method, seed.RawPath, seed.RawQueryString, seed.Body, seed.IsBase64Encoded, "content-type", "text/plain")
	f.Add("GET", "/%zz", "t=%", "", false, "host", "")
	f.Add("", "", "", "=", true, "", "")
	fn := Lambda(echo)
	f.Fuzz(func(t *testing.T, method, path, query, body string, b64 bool, hk, hv string) {
		ev := events.LambdaFunctionURLRequest{RawPath: path, RawQueryString: query, Body: body, IsBase64Encoded: b64,
			Headers:        map[string]string{hk: hv},
			RequestContext: events.LambdaFunctionURLRequestContext{HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: method}}}
		res, err := fn(context.Background(), ev)
		if err != nil || (res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusTeapot) {
			t.Fatalf("Lambda = %d, %v; want 400 or the handler's 418", res.StatusCode, err)
		}
	})
}
