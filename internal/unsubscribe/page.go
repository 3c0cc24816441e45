package unsubscribe

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
)

// style is the pages' only style, inline; the Content-Security-Policy
// allows it by its hash and nothing else. Light and dark by the reader's
// setting, readable on a phone.
const style = `body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:32em;margin:3em auto;padding:0 1.2em;color:#1f2328;background:#fff}` +
	`h1{font-size:1.4em;font-weight:600}` +
	`button{font:inherit;padding:.6em 1.4em;border:0;border-radius:.4em;color:#fff;background:#2d5b8a;cursor:pointer}` +
	`@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#161a1f}button{background:#4f86bd}}`

// csp is the Content-Security-Policy of every answer: no script, no
// images, no frames, the page's own style, and forms posting to itself.
var csp = "default-src 'none'; style-src 'sha256-" + styleHash() + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func styleHash() string {
	sum := sha256.Sum256([]byte(style))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// pageData is what a page shows: the token, for the confirmation form
// only. Never an address or a name.
type pageData struct {
	Token string
}

var layout = template.Must(template.New("layout").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{template "title" .}}</title>
<style>` + style + `</style>
</head>
<body>
{{template "body" .}}
</body>
</html>
`))

func page(title, body string) *template.Template {
	t := template.Must(layout.Clone())
	template.Must(t.New("title").Parse(title))
	template.Must(t.New("body").Parse(body))
	return t
}

var (
	confirmPage = page("Unsubscribe", `<h1>Stop these coaching emails?</h1>
<p>You will get no more prompts, recaps or reminders. Your coach will be told, and your sessions stay as they are.</p>
<form method="post" action="?t={{.Token}}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`)
	donePage = page("Unsubscribed", `<h1>You are unsubscribed</h1>
<p>You will get no more coaching emails from us. If this was a mistake, tell your coach.</p>`)
	invalidPage = page("Link not valid", `<h1>This link does not work</h1>
<p>It may have expired. To stop these emails, reply to any of them with the word “unsubscribe”.</p>`)
	failedPage = page("Try again", `<h1>Something went wrong on our side</h1>
<p>Nothing has changed yet. Please try again in a few minutes.</p>`)
	methodPage = page("Not allowed", `<h1>Not allowed</h1>
<p>This address answers only GET and POST.</p>`)
)

// render writes the page with the security headers and returns the status.
// The pages are fixed text, so rendering cannot fail on data; should it
// fail all the same, the answer is a bare 500.
func render(w http.ResponseWriter, status int, t *template.Template, d pageData) int {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString("Internal error\n")
	}
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusInternalServerError {
		h.Set("Content-Type", "text/plain; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes()) // a client gone away is nothing to act on
	return status
}
