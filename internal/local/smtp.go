package local

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/emersion/go-smtp"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/inbound"
)

// Limits of the SMTP intake, SES's own: 40 MB a message, 50 recipients.
const (
	maxMessage    = 40 << 20
	maxRecipients = 50
	// maxEventHeaders is how much of the header the event carries; SES
	// truncates there too and says so in headersTruncated.
	maxEventHeaders = 10 << 10
	// handleTimeout bounds the inbound handling of one message, as the
	// Lambda's timeout does.
	handleTimeout = time.Minute
)

// smtpBackend plays SES receiving: it accepts mail for the intake domain,
// stores the raw message where SES's S3 action would, and calls the inbound
// handler with the event SES's Lambda action would send.
type smtpBackend struct{ s *Stack }

func (b smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{s: b.s, loopback: isLoopback(c.Conn().RemoteAddr())}, nil
}

type smtpSession struct {
	s        *Stack
	loopback bool
	from     string
	rcpts    []string
}

func (ss *smtpSession) Reset() { ss.from, ss.rcpts = "", nil }

func (ss *smtpSession) Logout() error { return nil }

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	ss.rcpts = nil
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	addr := coaching.NormalizeAddress(to)
	if !ss.s.accepts(addr) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "no such mailbox: this intake takes mail for @" + ss.s.domain + " only"}
	}
	for _, r := range ss.rcpts {
		if r == addr {
			return nil
		}
	}
	if len(ss.rcpts) >= maxRecipients {
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3}, Message: "too many recipients"}
	}
	ss.rcpts = append(ss.rcpts, addr)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, maxMessage+1))
	if err != nil {
		return err
	}
	if len(raw) > maxMessage {
		return smtp.ErrDataTooLarge
	}
	if len(ss.rcpts) == 0 {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "no valid recipients"}
	}
	if _, err := ss.s.receive(ss.from, ss.rcpts, raw, ss.loopback); err != nil {
		// What Lambda's retry is in AWS: the sender tries again later.
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "temporary failure, try again later"}
	}
	return nil
}

// accepts reports whether the intake takes mail for addr: any address of
// the intake domain (the notes address, reply+TOKEN addresses, the From
// address), as SES's receipt rule for the domain does.
func (s *Stack) accepts(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	return at > 0 && strings.EqualFold(addr[at+1:], s.domain)
}

// receive stores one message and hands it to the inbound handler, as SES
// does in AWS. An error is temporary: the message should be sent again.
func (s *Stack) receive(from string, rcpts []string, raw []byte, loopback bool) (inbound.Result, error) {
	ctx, cancel := context.WithTimeout(s.ctx, handleTimeout)
	defer cancel()
	id := sesMessageID()
	now := s.clock.Now()
	if err := s.raw.Put(ctx, s.raw.Key(id), raw); err != nil {
		s.log.ErrorContext(ctx, "smtp: store raw message", "message", id, "err", err)
		return inbound.Result{}, fmt.Errorf("store raw message: %w", err)
	}
	ev := sesEvent(id, from, rcpts, raw, now, loopback)
	verdicts := "PASS (loopback sender: local mode does not check SPF, DKIM or DMARC)"
	if !loopback {
		verdicts = "GRAY (sender not on loopback: unauthenticated)"
	}
	s.log.InfoContext(ctx, "smtp: received", "message", id, "bytes", len(raw), "recipients", len(rcpts), "verdicts", verdicts)
	receipts, err := inbound.Receipts(ev)
	if err != nil {
		// Our own event: this is a bug, not the sender's doing.
		s.log.ErrorContext(ctx, "smtp: event rejected", "message", id, "err", err)
		return inbound.Result{}, err
	}
	var res inbound.Result
	for _, r := range receipts {
		if res, err = s.inbound.Handle(ctx, r); err != nil {
			return res, err
		}
	}
	s.kickDispatch()
	return res, nil
}

// sesMessageID returns a fresh id of the shape SES gives received
// messages: 32 lower-case letters and digits.
func sesMessageID() string { return coaching.NewID() + coaching.NewID() }

// sesEvent builds the event of SES's Lambda action for a message received
// from the envelope sender for rcpts. Mail from loopback gets PASS for every
// verdict; from elsewhere, GRAY, which the inbound code treats as
// unauthenticated.
func sesEvent(id, from string, rcpts []string, raw []byte, now time.Time, loopback bool) events.SimpleEmailEvent {
	verdict := events.SimpleEmailVerdict{Status: string(inbound.Pass)}
	if !loopback {
		verdict.Status = string(inbound.Gray)
	}
	headers, truncated := headerFields(raw, maxEventHeaders)
	return events.SimpleEmailEvent{Records: []events.SimpleEmailRecord{{
		EventVersion: "1.0",
		EventSource:  "aws:ses",
		SES: events.SimpleEmailService{
			Mail: events.SimpleEmailMessage{
				MessageID:        id,
				Source:           from,
				Timestamp:        now,
				Destination:      rcpts,
				Headers:          headers,
				HeadersTruncated: truncated,
				CommonHeaders:    commonHeaders(headers, from),
			},
			Receipt: events.SimpleEmailReceipt{
				Recipients:   rcpts,
				Timestamp:    now,
				SpamVerdict:  verdict,
				VirusVerdict: verdict,
				SPFVerdict:   verdict,
				DKIMVerdict:  verdict,
				DMARCVerdict: verdict,
				Action:       events.SimpleEmailReceiptAction{Type: "Lambda", InvocationType: "Event", FunctionARN: "local:coachmail-inbound"},
			},
		},
	}}}
}

// headerFields returns the header fields of raw in order, unfolded, up to
// max bytes of header.
func headerFields(raw []byte, max int) ([]events.SimpleEmailHeader, bool) {
	var out []events.SimpleEmailHeader
	br := bufio.NewReader(bytes.NewReader(raw))
	n := 0
	for {
		line, err := br.ReadString('\n')
		n += len(line)
		if n > max {
			return out, true
		}
		// A bare CR inside a line is no line break to SMTP, but would be
		// one to a reader of the event.
		line = strings.ReplaceAll(strings.TrimRight(line, "\r\n"), "\r", " ")
		if line == "" {
			return out, false
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].Value += " " + strings.TrimSpace(line)
		} else if name, value, ok := strings.Cut(line, ":"); ok {
			out = append(out, events.SimpleEmailHeader{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
		}
		if err != nil {
			return out, false
		}
	}
}

// commonHeaders fills SES's digest of the usual fields.
func commonHeaders(h []events.SimpleEmailHeader, returnPath string) events.SimpleEmailCommonHeaders {
	var c events.SimpleEmailCommonHeaders
	c.ReturnPath = returnPath
	list := func(v string) []string {
		as, err := mail.ParseAddressList(v)
		if err != nil {
			return []string{v}
		}
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.String()
		}
		return out
	}
	for _, f := range h {
		switch strings.ToLower(f.Name) {
		case "from":
			c.From = list(f.Value)
		case "to":
			c.To = list(f.Value)
		case "cc":
			c.Cc = list(f.Value)
		case "message-id":
			c.MessageID = f.Value
		case "date":
			c.Date = f.Value
		case "subject":
			c.Subject = f.Value
		}
	}
	return c
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// smtpLog adapts go-smtp's error log to slog.
type smtpLog struct{ s *Stack }

func (l smtpLog) Printf(format string, v ...any) {
	l.s.log.Warn("smtp: " + strings.TrimSpace(fmt.Sprintf(format, v...)))
}

func (l smtpLog) Println(v ...any) {
	l.s.log.Warn("smtp: " + strings.TrimSpace(fmt.Sprintln(v...)))
}
