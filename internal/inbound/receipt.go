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

// Authenticated reports whether SES's verdicts prove the sender's domain:
// DKIM or SPF passed, and DMARC did not fail.
func (r Receipt) Authenticated() bool {
	return (r.DKIM == Pass || r.SPF == Pass) && r.DMARC != Fail
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
