package inbound

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Receipt is what SES tells about one received message, free of AWS
// types: its id (the raw object's key ends with it), the envelope
// recipients, and the verdicts of SES's checks.
type Receipt struct {
	MessageID  string
	Recipients []string // envelope recipients, lower-cased
	Received   time.Time
	SPF        Verdict
	DKIM       Verdict
	DMARC      Verdict
	Spam       Verdict
	Virus      Verdict
	// DMARCPolicy is the sender domain's published policy (none,
	// quarantine, reject), when DMARC failed.
	DMARCPolicy string
	// Replays is the id of the delivery this one replays (an operator's
	// quarantine replay): it may take over that delivery's claim on the
	// message instead of being taken for the same mail sent twice.
	Replays string
}

// Verdict is the outcome of one of SES's checks.
type Verdict string

// Verdicts as SES writes them.
const (
	Pass     Verdict = "PASS"
	Fail     Verdict = "FAIL"
	Gray     Verdict = "GRAY"
	Failed   Verdict = "PROCESSING_FAILED"
	Disabled Verdict = "DISABLED"
)

// Authenticated reports whether SES's verdicts, with the message's own
// DKIM signatures, prove that the From domain sent it: DKIM or SPF passed,
// and DMARC passed (which implies alignment with From). When the From
// domain publishes no DMARC policy (GRAY), an SPF pass proves only the
// envelope sender, so a DKIM pass is required with a signature whose d=
// domain aligns with the From domain (relaxed alignment, RFC 7489 3.1.1).
// dkimDomains are the d= tags of the message's DKIM-Signature fields.
func (r Receipt) Authenticated(fromDomain string, dkimDomains []string) bool {
	if r.DKIM != Pass && r.SPF != Pass {
		return false
	}
	switch r.DMARC {
	case Pass:
		return true
	case Fail:
		return false
	}
	if r.DKIM != Pass {
		return false
	}
	fromDomain = strings.ToLower(strings.TrimSuffix(fromDomain, "."))
	for _, d := range dkimDomains {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d != "" && strings.Contains(d, ".") && (fromDomain == d || strings.HasSuffix(fromDomain, "."+d)) {
			return true
		}
	}
	return false
}

// DKIMDomains returns the d= tags of DKIM-Signature header fields.
func DKIMDomains(fields []string) []string {
	var out []string
	for _, f := range fields {
		for _, tag := range strings.Split(f, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(tag), "=")
			if ok && strings.TrimSpace(k) == "d" {
				out = append(out, strings.Join(strings.Fields(v), ""))
			}
		}
	}
	return out
}

// ErrEvent is wrapped by errors about an SES event that cannot be used.
var ErrEvent = errors.New("inbound: bad SES event")

// maxIDLen bounds the SES message id: it becomes an object key and a
// table key, so a hostile event must not make it arbitrary.
const maxIDLen = 128

// Receipts turns the SES event of a receipt rule's Lambda action into
// Receipts. It never trusts the event's copy of the headers: only the
// id, recipients and verdicts are taken from it.
func Receipts(ev events.SimpleEmailEvent) ([]Receipt, error) {
	if len(ev.Records) == 0 {
		return nil, fmt.Errorf("%w: no records", ErrEvent)
	}
	out := make([]Receipt, 0, len(ev.Records))
	for i, rec := range ev.Records {
		id := rec.SES.Mail.MessageID
		if id == "" || len(id) > maxIDLen || strings.ContainsAny(id, "/\\ \t\r\n\x00") || strings.Contains(id, "..") {
			return nil, fmt.Errorf("%w: record %d: message id %q is not usable", ErrEvent, i, truncate(id, 40))
		}
		r := rec.SES.Receipt
		rc := Receipt{
			MessageID:   id,
			Received:    r.Timestamp,
			SPF:         Verdict(strings.ToUpper(r.SPFVerdict.Status)),
			DKIM:        Verdict(strings.ToUpper(r.DKIMVerdict.Status)),
			DMARC:       Verdict(strings.ToUpper(r.DMARCVerdict.Status)),
			Spam:        Verdict(strings.ToUpper(r.SpamVerdict.Status)),
			Virus:       Verdict(strings.ToUpper(r.VirusVerdict.Status)),
			DMARCPolicy: strings.ToLower(r.DMARCPolicy),
		}
		if rc.Received.IsZero() {
			rc.Received = rec.SES.Mail.Timestamp
		}
		for _, a := range r.Recipients {
			rc.Recipients = append(rc.Recipients, strings.ToLower(strings.TrimSpace(a)))
		}
		out = append(out, rc)
	}
	return out, nil
}

// DecodeEvent decodes the JSON of an SES event (for replays and tests).
func DecodeEvent(data []byte) (events.SimpleEmailEvent, error) {
	var ev events.SimpleEmailEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return ev, fmt.Errorf("%w: %v", ErrEvent, err)
	}
	return ev, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
