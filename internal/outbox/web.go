package outbox

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"
)

//go:embed page/*.html
var pageFiles embed.FS

// pages are parsed once; each page template defines "page" and uses the
// layout.
var pages = map[string]*template.Template{
	"list":    parsePage("list"),
	"message": parsePage("message"),
	"thread":  parsePage("thread"),
}

func parsePage(name string) *template.Template {
	return template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"when":  func(m Message) string { return when(m).Format("Mon 2 Jan 2006 15:04 MST") },
		"join":  func(s []string) string { return strings.Join(s, ", ") },
		"quote": shellQuote,
	}).ParseFS(pageFiles, "page/layout.html", "page/"+name+".html"))
}

// Security headers. The pages need inline styles and frames of their own
// origin, nothing else; the HTML of a message gets a sandboxed document of
// its own with no scripts, forms or remote loads.
const (
	pageCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	bodyCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

// Handler returns the outbox's web page, its JSON API and the SES v2
// endpoint, on one mux:
//
//	GET  /                         the messages, newest first
//	GET  /messages/{id}            one message: headers, text, HTML
//	GET  /messages/{id}/html       its HTML body, sandboxed, for the iframe
//	GET  /messages/{id}/raw        the .eml file
//	GET  /messages/{id}/thread     the messages of its thread, oldest first
//	GET  /api/messages             JSON: summaries, newest first
//	GET  /api/messages/{id}        JSON: the whole message
//	GET  /api/messages/{id}/thread JSON: summaries of its thread, oldest first
//	POST /v2/email/outbound-emails SES v2 SendEmail
//
// smtpAddr, when set, is where replies can be sent: the message page then
// shows the command that replies as the recipient.
func (o *Outbox) Handler(smtpAddr string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v2/", o.SESHandler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		o.page(w, "list", map[string]any{"Messages": o.Messages(), "Dir": o.dir})
	})
	mux.HandleFunc("GET /messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		d, err := o.Detail(r.PathValue("id"))
		if err != nil {
			o.pageError(w, err)
			return
		}
		o.page(w, "message", map[string]any{"M": d, "Reply": replyHint(d, smtpAddr)})
	})
	mux.HandleFunc("GET /messages/{id}/thread", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		ms, err := o.Thread(id)
		if err != nil {
			o.pageError(w, err)
			return
		}
		var ds []Detail
		for _, m := range ms {
			d, err := o.Detail(m.ID)
			if err != nil {
				o.pageError(w, err)
				return
			}
			ds = append(ds, d)
		}
		o.page(w, "thread", map[string]any{"Messages": ds, "ID": id})
	})
	mux.HandleFunc("GET /messages/{id}/html", func(w http.ResponseWriter, r *http.Request) {
		d, err := o.Detail(r.PathValue("id"))
		if err != nil {
			o.pageError(w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", bodyCSP)
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(d.HTML))
	})
	mux.HandleFunc("GET /messages/{id}/raw", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		raw, err := o.Raw(id)
		if err != nil {
			o.pageError(w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "message/rfc822")
		h.Set("Content-Disposition", `attachment; filename="`+id+`.eml"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", bodyCSP)
		_, _ = w.Write(raw)
	})
	mux.HandleFunc("GET /api/messages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, o.Messages())
	})
	mux.HandleFunc("GET /api/messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		d, err := o.Detail(r.PathValue("id"))
		if err != nil {
			o.apiError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, d)
	})
	mux.HandleFunc("GET /api/messages/{id}/thread", func(w http.ResponseWriter, r *http.Request) {
		ms, err := o.Thread(r.PathValue("id"))
		if err != nil {
			o.apiError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, ms)
	})
	return mux
}

func (o *Outbox) page(w http.ResponseWriter, name string, data map[string]any) {
	var b strings.Builder
	if err := pages[name].Execute(&b, data); err != nil {
		o.log.Error("outbox: render page", "page", name, "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(b.String()))
}

func (o *Outbox) pageError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		http.Error(w, "no such message", http.StatusNotFound)
		return
	}
	o.log.Error("outbox: page", "err", err)
	http.Error(w, "the message could not be read", http.StatusInternalServerError)
}

func (o *Outbox) apiError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such message"})
		return
	}
	o.log.Error("outbox: api", "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the message could not be read"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // served as JSON with nosniff: nothing reads it as HTML
	_ = enc.Encode(v)
}

// reply is what the message page shows to reply as the recipient.
type reply struct {
	SMTP, From, To, InReplyTo, Subject string
}

// replyHint returns how to answer d as its first recipient, or nil when d
// has no one to answer or nowhere to send to.
func replyHint(d Detail, smtpAddr string) *reply {
	if smtpAddr == "" || len(d.Envelope.To) == 0 {
		return nil
	}
	to := ""
	if len(d.ReplyTo) > 0 {
		to = d.ReplyTo[0]
	} else if a, err := parseAddress(d.From); err == nil {
		to = a
	}
	if to == "" {
		return nil
	}
	subject := d.Subject
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	return &reply{SMTP: smtpAddr, From: d.Envelope.To[0], To: to, InReplyTo: d.MessageID, Subject: subject}
}

// shellQuote quotes s for a POSIX shell, in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
