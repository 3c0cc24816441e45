package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/inbound"
)

// mailCommands replay mail through the inbound code: a file, or a
// quarantined message after its cause was fixed.
func mailCommands() map[string]command {
	return map[string]command{
		"inbound":    inboundCmd,
		"quarantine": quarantineCmd,
	}
}

const mailUsage = `  inbound FILE.eml [--from-ses-event EVENT.json]   run a message through the inbound code
  quarantine list [--limit N] | show ID | replay ID      look at and replay quarantined mail
`

func (d *deployment) handler() (*inbound.Handler, error) {
	if d.raw == nil || d.keys == nil {
		return nil, fmt.Errorf("needs the raw mail store and the token keyring: run it against the local mode (`make run`)")
	}
	return &inbound.Handler{
		Store: d.store, Raw: d.raw, Keys: d.keys, Cycle: d.cycle, Clock: coaching.SystemClock{}, Log: discardLog(),
		IntakeDomain: d.run.Domain, NotesAddress: d.run.NotesAddress,
	}, nil
}

// passing is a receipt for mail an operator hands in: every verdict PASS,
// since the operator vouches for it (tokens and senders are still checked).
func passing(id string, rcpt []string) inbound.Receipt {
	return inbound.Receipt{MessageID: id, Recipients: rcpt, Received: time.Now().UTC(),
		SPF: inbound.Pass, DKIM: inbound.Pass, DMARC: inbound.Pass, Spam: inbound.Pass, Virus: inbound.Pass}
}

func inboundCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var eventFile string
	fs := flag.NewFlagSet("inbound", flag.ContinueOnError)
	fs.SetOutput(stderr)
	t := &target{}
	t.flags(fs)
	fs.StringVar(&eventFile, "from-ses-event", "", "SES Lambda event JSON whose id, recipients and verdicts to use")
	// The message file may come before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" {
		fmt.Fprint(stderr, "usage:\n"+mailUsage)
		return 2
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return fail(stderr, "inbound", err)
	}
	d, err := t.open(ctx)
	if err != nil {
		return fail(stderr, "inbound", err)
	}
	h, err := d.handler()
	if err != nil {
		return fail(stderr, "inbound", err)
	}
	r := passing("cli-"+coaching.NewID(), nil)
	if eventFile != "" {
		data, err := os.ReadFile(eventFile)
		if err != nil {
			return fail(stderr, "inbound", err)
		}
		ev, err := inbound.DecodeEvent(data)
		if err != nil {
			return fail(stderr, "inbound", err)
		}
		rs, err := inbound.Receipts(ev)
		if err != nil {
			return fail(stderr, "inbound", err)
		}
		r = rs[0]
	}
	if err := d.raw.Put(ctx, d.raw.Key(r.MessageID), raw); err != nil {
		return fail(stderr, "inbound", err)
	}
	res, err := h.Handle(ctx, r)
	if err != nil {
		return fail(stderr, "inbound", err)
	}
	say(stdout, t, map[string]string{"message": r.MessageID, "route": string(res.Route), "outcome": res.Outcome, "reason": res.Reason},
		fmt.Sprintf("%s: %s, %s %s", r.MessageID, res.Route, res.Outcome, res.Reason))
	return 0
}

func quarantineCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage:\n"+mailUsage)
		return 2
	}
	verb := args[0]
	var limit int
	fs := flag.NewFlagSet("quarantine "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	t := &target{}
	t.flags(fs)
	fs.IntVar(&limit, "limit", 50, "list: most records shown")
	rest := args[1:]
	var id string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		id, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	d, err := t.open(ctx)
	if err != nil {
		return fail(stderr, "quarantine", err)
	}
	switch verb {
	case "list":
		qs, err := d.store.Quarantined(ctx, limit)
		if err != nil {
			return fail(stderr, "quarantine list", err)
		}
		var lines []string
		for _, q := range qs {
			lines = append(lines, fmt.Sprintf("%s  %s  %s", q.ID, q.ReceivedAt.Format(time.RFC3339), q.Reason))
		}
		if len(lines) == 0 {
			lines = []string{"the quarantine is empty"}
		}
		if qs == nil {
			qs = []coaching.Quarantine{}
		}
		say(stdout, t, qs, strings.Join(lines, "\n"))
	case "show":
		q, err := d.store.QuarantineByID(ctx, id)
		if err != nil {
			return fail(stderr, "quarantine show", err)
		}
		text := fmt.Sprintf("id:       %s\nreceived: %s\nreason:   %s\nraw:      %s", q.ID, q.ReceivedAt.Format(time.RFC3339), q.Reason, q.RawKey)
		if q.CoachID != "" {
			text += "\ncoach:    " + q.CoachID
		}
		say(stdout, t, q, text)
	case "replay":
		q, err := d.store.QuarantineByID(ctx, id)
		if err != nil {
			return fail(stderr, "quarantine replay", err)
		}
		h, err := d.handler()
		if err != nil {
			return fail(stderr, "quarantine replay", err)
		}
		raw, err := d.raw.Get(ctx, q.RawKey, 40<<20)
		if err != nil {
			return fail(stderr, "quarantine replay", err)
		}
		// A new id: the original's inbound record says it was handled.
		// The raw message is copied, never moved, so the original stays.
		r := passing(q.ID+"-replay-"+coaching.NewID()[:6], nil)
		// The first delivery holds the message's claim, also when this
		// quarantine record is itself a replay's.
		r.Replays, _, _ = strings.Cut(q.ID, "-replay-")
		if err := d.raw.Put(ctx, d.raw.Key(r.MessageID), raw); err != nil {
			return fail(stderr, "quarantine replay", err)
		}
		res, err := h.Handle(ctx, r)
		if err != nil {
			return fail(stderr, "quarantine replay", err)
		}
		if res.Outcome != inbound.Quarantined {
			if err := d.store.Release(ctx, q.ID); err != nil {
				return fail(stderr, "quarantine replay", err)
			}
			// The replay's copy, recorded with the leader it concerns, is
			// the one an erase finds; the original goes now, not with the
			// bucket's expiry.
			if err := d.raw.Delete(ctx, q.RawKey); err != nil {
				return fail(stderr, "quarantine replay", err)
			}
		}
		say(stdout, t, map[string]string{"message": q.ID, "replay": r.MessageID, "route": string(res.Route), "outcome": res.Outcome, "reason": res.Reason},
			fmt.Sprintf("replayed %s as %s: %s, %s %s", q.ID, r.MessageID, res.Route, res.Outcome, res.Reason))
	default:
		fmt.Fprint(stderr, "usage:\n"+mailUsage)
		return 2
	}
	return 0
}
