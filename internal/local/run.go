package local

import (
	"context"
	"fmt"
	"io"
	"text/template"
	"time"
)

// Run starts the stack, writes to w the addresses to use and how to send a
// first email, and runs until ctx ends; then it closes the stack.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	start := time.Now()
	s, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	s.log.Info("local: ready", "startup_ms", time.Since(start).Milliseconds(), "smtp", s.SMTPAddr(), "http", s.OutboxURL(), "embedded_store", s.Embedded())
	if err := s.WriteBanner(w); err != nil {
		s.Close()
		return fmt.Errorf("local: write banner: %w", err)
	}
	<-ctx.Done()
	s.log.Info("local: stopping")
	if err := s.Close(); err != nil {
		return fmt.Errorf("local: stop: %w", err)
	}
	s.log.Info("local: stopped; state kept", "dir", s.Dir())
	return nil
}

var banner = template.Must(template.New("banner").Parse(`coachmail is running on this machine. No mail leaves it.

  SMTP intake    {{.SMTP}}  takes mail for any address @{{.Domain}}
  notes address  {{.Notes}}  (coaches send notes and calendar invitations here)
  reply address  reply+TOKEN@{{.Domain}}  (the Reply-To of every email coachmail sends)
  outbox         {{.Outbox}}  (every email sent; .eml files in {{.Dir}}/outbox)
{{- if .Embedded}}
  store          embedded, kept in {{.Dir}}/dynamodb.json; DynamoDB API at {{.Store}} (table {{.Table}})
{{- else}}
  store          DynamoDB at {{.Store}} (table {{.Table}})
{{- end}}
  dispatcher     every {{.Every}} on the real clock
  inbound mail   SPF, DKIM, DMARC, spam and virus verdicts are PASS for mail sent from this machine
{{- if .NewKeys}}
  reply tokens   signed with a new key, written to {{.Dir}}/keyring.json
{{- end}}
{{with .Seed}}
First start: seeded coach {{.Coach.Name}} <{{.Coach.Email}}> (recaps {{.Coach.Offsets.Review}} after notes),
leader {{.Leader.Name}} <{{.Leader.Email}}>, and a session of theirs that started an hour ago.

Send the coach's notes of that session, with swaks:

  swaks --server {{$.SMTP}} --from {{.Coach.Email}} --to {{$.Notes}} \
    --header 'Subject: Notes: Dana' \
    --body $'Decision: Dana will raise the roles question with her co-founder.\nActions:\n- Book the conversation by Friday\n- Draft the roles document'

or with Go alone:

  go run ./cmd/coachmail send --smtp {{$.SMTP}} --from {{.Coach.Email}} --to {{$.Notes}} --subject 'Notes: Dana' <<'EOF'
  Decision: Dana will raise the roles question with her co-founder.
  Actions:
  - Book the conversation by Friday
  - Draft the roles document
  EOF

{{.Coach.Offsets.Review}} later the recap to {{.Leader.Name}} is in the outbox: {{$.Outbox}}
(each message there shows how to reply as its recipient).
{{end}}
Your own coach and leader: in another terminal, while this runs (the commands find
this store through {{.Dir}}/running.json{{if ne .Dir ".coachmail"}}; give them --dir {{.Dir}}{{end}}):

  go run ./cmd/coachmail coach add --email you@example.com --name "Your Name"
  go run ./cmd/coachmail leader add --email them@example.com --coach you@example.com

Ctrl-C stops; everything is kept in {{.Dir}} for the next start.
`))

// WriteBanner writes what Run prints on start: the addresses, and how to
// send a first email.
func (s *Stack) WriteBanner(w io.Writer) error {
	every := "-"
	if s.opts.DispatchEvery > 0 {
		every = s.opts.DispatchEvery.String()
	}
	return banner.Execute(w, map[string]any{
		"SMTP": s.SMTPAddr(), "Domain": s.domain, "Notes": s.NotesAddress(), "Outbox": s.OutboxURL(),
		"Dir": s.Dir(), "Embedded": s.Embedded(), "Store": s.StoreEndpoint(), "Table": s.Table(),
		"Every": every, "NewKeys": s.newKeys, "Seed": s.seeded,
	})
}
