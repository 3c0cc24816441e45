package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

// adminCommands are the operator's commands on coaches, leaders, sessions
// and erasure.
func adminCommands() map[string]command {
	return map[string]command{
		"coach":   coachCmd,
		"leader":  leaderCmd,
		"session": sessionCmd,
		"erase":   eraseCmd,
	}
}

const adminUsage = `  coach add --email A --name N [--practice P] [--tz ZONE]
  leader add --email A --coach COACH [--name N] [--tz ZONE]
  session add --coach C --leader L[,L...] --start 2026-12-01T10:00 [--duration 60m] [--tz ZONE] [--title T]
  session move --id ID --start 2026-12-02T10:00 [--duration 60m] [--tz ZONE]
  session cancel --id ID
  session list (--coach C | --leader L) [--days 30]
  erase --leader A                         delete everything about a leader, records and raw mail
  (each takes --json, and --dir / --dynamodb-endpoint / --table to pick the store)
`

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// say prints what changed: v as JSON with --json, else the text.
func say(w io.Writer, t *target, v any, text string) {
	if t.jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	fmt.Fprintln(w, text)
}

// sub runs a subcommand's flag parsing and store opening, reporting errors.
func sub(ctx context.Context, name string, args []string, stderr io.Writer, def func(fs *flag.FlagSet, t *target)) (*deployment, *target, bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	t := &target{}
	t.flags(fs)
	def(fs, t)
	if err := fs.Parse(args); err != nil {
		return nil, nil, false
	}
	d, err := t.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "coachmail %s: %v\n", name, err)
		return nil, nil, false
	}
	return d, t, true
}

func fail(stderr io.Writer, name string, err error) int {
	fmt.Fprintf(stderr, "coachmail %s: %v\n", name, err)
	return 1
}

func coachCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, "usage:\n"+adminUsage)
		return 2
	}
	var email, name, practice, tz string
	d, t, ok := sub(ctx, "coach add", args[1:], stderr, func(fs *flag.FlagSet, _ *target) {
		fs.StringVar(&email, "email", "", "the coach's address")
		fs.StringVar(&name, "name", "", "the coach's name")
		fs.StringVar(&practice, "practice", "", "display name of the practice's mail")
		fs.StringVar(&tz, "tz", "UTC", "IANA time zone")
	})
	if !ok {
		return 2
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return fail(stderr, "coach add", fmt.Errorf("--tz: %w", err))
	}
	c := coaching.Coach{ID: coaching.NewID(), Email: coaching.NormalizeAddress(email), Name: name, Practice: practice, TimeZone: tz, CreatedAt: time.Now().UTC()}
	if !strings.Contains(c.Email, "@") {
		return fail(stderr, "coach add", fmt.Errorf("--email %q is not an address", email))
	}
	if err := d.store.CreateCoach(ctx, c); err != nil {
		return fail(stderr, "coach add", err)
	}
	say(stdout, t, c, fmt.Sprintf("added coach %s <%s> (id %s, %s)", c.Name, c.Email, c.ID, c.TimeZone))
	return 0
}

func leaderCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, "usage:\n"+adminUsage)
		return 2
	}
	var email, name, coachEmail, tz string
	d, t, ok := sub(ctx, "leader add", args[1:], stderr, func(fs *flag.FlagSet, _ *target) {
		fs.StringVar(&email, "email", "", "the leader's address")
		fs.StringVar(&name, "name", "", "the leader's name")
		fs.StringVar(&coachEmail, "coach", "", "their coach's address")
		fs.StringVar(&tz, "tz", "", "IANA time zone (default: the coach's)")
	})
	if !ok {
		return 2
	}
	coach, err := d.store.CoachByEmail(ctx, coaching.NormalizeAddress(coachEmail))
	if err != nil {
		return fail(stderr, "leader add", fmt.Errorf("coach %q: %w", coachEmail, err))
	}
	if tz == "" {
		tz = coach.TimeZone
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return fail(stderr, "leader add", fmt.Errorf("--tz: %w", err))
	}
	l := coaching.Leader{ID: coaching.NewID(), Email: coaching.NormalizeAddress(email), Name: name, CoachID: coach.ID, TimeZone: tz, CreatedAt: time.Now().UTC()}
	if !strings.Contains(l.Email, "@") {
		return fail(stderr, "leader add", fmt.Errorf("--email %q is not an address", email))
	}
	if err := d.store.CreateLeader(ctx, l); err != nil {
		return fail(stderr, "leader add", err)
	}
	say(stdout, t, l, fmt.Sprintf("added leader %s <%s> (id %s) for coach %s, %s", l.Name, l.Email, l.ID, coach.Email, l.TimeZone))
	return 0
}

// sessionView is a session as the CLI prints it.
type sessionView struct {
	coaching.Session
	Leaders []string `json:"leaders"`
}

func sessionCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage:\n"+adminUsage)
		return 2
	}
	var coachEmail, leaders, startText, tz, title, id string
	var duration time.Duration
	var days int
	d, t, ok := sub(ctx, "session "+args[0], args[1:], stderr, func(fs *flag.FlagSet, _ *target) {
		fs.StringVar(&coachEmail, "coach", "", "the coach's address")
		fs.StringVar(&leaders, "leader", "", "the leaders' addresses, comma-separated")
		fs.StringVar(&startText, "start", "", "start, local time in --tz: 2026-12-01T10:00")
		fs.DurationVar(&duration, "duration", time.Hour, "length of the session")
		fs.StringVar(&tz, "tz", "", "IANA time zone of --start (default: the coach's)")
		fs.StringVar(&title, "title", "", "title")
		fs.StringVar(&id, "id", "", "session id")
		fs.IntVar(&days, "days", 30, "list: how many days ahead (and 7 back)")
	})
	if !ok {
		return 2
	}
	start := func(zone string) (time.Time, error) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return time.Time{}, fmt.Errorf("--tz: %w", err)
		}
		s, err := time.ParseInLocation("2006-01-02T15:04", startText, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("--start %q: want YYYY-MM-DDTHH:MM", startText)
		}
		return s.UTC(), nil
	}
	view := func(s coaching.Session) sessionView {
		v := sessionView{Session: s}
		for _, lid := range s.LeaderIDs {
			if l, err := d.store.LeaderByID(ctx, lid); err == nil {
				v.Leaders = append(v.Leaders, l.Email)
			}
		}
		return v
	}
	line := func(v sessionView) string {
		return fmt.Sprintf("%s  %s  %s  %s  %s", v.ID, v.Start.Format("2006-01-02 15:04 MST"), v.Status, strings.Join(v.Leaders, ","), v.Title)
	}
	name := "session " + args[0]
	switch args[0] {
	case "add":
		coach, err := d.store.CoachByEmail(ctx, coaching.NormalizeAddress(coachEmail))
		if err != nil {
			return fail(stderr, name, fmt.Errorf("coach %q: %w", coachEmail, err))
		}
		if tz == "" {
			tz = coach.TimeZone
		}
		st, err := start(tz)
		if err != nil {
			return fail(stderr, name, err)
		}
		s := coaching.Session{CoachID: coach.ID, Title: title, Start: st, End: st.Add(duration), TimeZone: tz}
		for _, a := range strings.Split(leaders, ",") {
			l, err := d.store.LeaderByEmail(ctx, coaching.NormalizeAddress(a))
			if err != nil {
				return fail(stderr, name, fmt.Errorf("leader %q: %w", a, err))
			}
			s.LeaderIDs = append(s.LeaderIDs, l.ID)
		}
		if s, err = d.cycle.AddSession(ctx, s); err != nil {
			return fail(stderr, name, err)
		}
		v := view(s)
		say(stdout, t, v, "added session "+line(v))
	case "move":
		s, err := d.store.SessionByID(ctx, id)
		if err != nil {
			return fail(stderr, name, err)
		}
		if tz == "" {
			tz = s.TimeZone
		}
		if tz == "" {
			tz = "UTC"
		}
		st, err := start(tz)
		if err != nil {
			return fail(stderr, name, err)
		}
		if s, err = d.cycle.MoveSession(ctx, id, st, st.Add(duration)); err != nil {
			return fail(stderr, name, err)
		}
		v := view(s)
		say(stdout, t, v, "moved session "+line(v))
	case "cancel":
		s, err := d.cycle.CancelSession(ctx, id)
		if err != nil {
			return fail(stderr, name, err)
		}
		v := view(s)
		say(stdout, t, v, "cancelled session "+line(v))
	case "list":
		now := time.Now().UTC()
		from, to := now.AddDate(0, 0, -7), now.AddDate(0, 0, days)
		var sessions []coaching.Session
		var err error
		switch {
		case coachEmail != "":
			var c coaching.Coach
			if c, err = d.store.CoachByEmail(ctx, coaching.NormalizeAddress(coachEmail)); err == nil {
				sessions, err = d.store.SessionsOfCoach(ctx, c.ID, from, to)
			}
		case leaders != "":
			var l coaching.Leader
			if l, err = d.store.LeaderByEmail(ctx, coaching.NormalizeAddress(leaders)); err == nil {
				sessions, err = d.store.SessionsOfLeader(ctx, l.ID, from, to)
			}
		default:
			return fail(stderr, name, fmt.Errorf("give --coach or --leader"))
		}
		if err != nil {
			return fail(stderr, name, err)
		}
		views := []sessionView{}
		var lines []string
		for _, s := range sessions {
			v := view(s)
			views = append(views, v)
			lines = append(lines, line(v))
		}
		if len(lines) == 0 {
			lines = []string{"no sessions"}
		}
		say(stdout, t, views, strings.Join(lines, "\n"))
	default:
		fmt.Fprint(stderr, "usage:\n"+adminUsage)
		return 2
	}
	return 0
}

func eraseCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var email string
	d, t, ok := sub(ctx, "erase", args, stderr, func(fs *flag.FlagSet, _ *target) {
		fs.StringVar(&email, "leader", "", "the leader's address")
	})
	if !ok {
		return 2
	}
	l, err := d.store.LeaderByEmail(ctx, coaching.NormalizeAddress(email))
	if err != nil {
		return fail(stderr, "erase", fmt.Errorf("leader %q: %w", email, err))
	}
	keys, err := d.store.EraseLeader(ctx, l.ID)
	if err != nil {
		return fail(stderr, "erase", err)
	}
	deleted := 0
	if d.raw != nil {
		if err := d.raw.Delete(ctx, keys...); err != nil {
			return fail(stderr, "erase", fmt.Errorf("records erased, raw mail not: %w", err))
		}
		deleted = len(keys)
	}
	res := map[string]any{"leader": l.ID, "raw_messages": len(keys), "raw_deleted": deleted}
	text := fmt.Sprintf("erased leader %s: every record, and %d of %d raw messages", l.ID, deleted, len(keys))
	if d.raw == nil && len(keys) > 0 {
		text += " (raw mail is in the deployment's bucket: delete these keys there: " + strings.Join(keys, " ") + ")"
	}
	say(stdout, t, res, text)
	return 0
}
