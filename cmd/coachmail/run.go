package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/coachmail/coachmail/internal/local"
)

// runCmd runs the whole workflow on this machine until interrupted.
func runCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts local.Options
	fs.StringVar(&opts.Dir, "dir", local.DefaultDir, "folder of the local state (store snapshot, raw mail, outbox, keyring)")
	fs.StringVar(&opts.SMTPAddr, "smtp", local.DefaultSMTPAddr, "address of the SMTP intake")
	fs.StringVar(&opts.HTTPAddr, "http", local.DefaultHTTPAddr, "address of the outbox page, its JSON API and the SES endpoint")
	fs.StringVar(&opts.DynamoDBEndpoint, "dynamodb-endpoint", "", "a DynamoDB to use instead of the embedded store (DynamoDB Local, or AWS)")
	fs.StringVar(&opts.Table, "table", local.DefaultTable, "DynamoDB table name")
	fs.StringVar(&opts.Domain, "domain", local.DefaultDomain, "intake domain: notes@DOMAIN, reply+TOKEN@DOMAIN")
	fs.StringVar(&opts.Practice, "practice", "Coaching", "display name of outbound mail when a coach has none")
	fs.DurationVar(&opts.DispatchEvery, "dispatch-every", local.DefaultDispatchEvery, "how often the dispatcher runs")
	seed := fs.Bool("seed", true, "seed a demo coach, leader and session on first start")
	fs.DurationVar(&opts.SeedReview, "seed-review-delay", time.Minute, "how long after the notes the seeded coach's recaps go out")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: coachmail run [flags]; see coachmail run -h")
		return 2
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(stderr, "coachmail run: --log-level: %v\n", err)
		return 2
	}
	if opts.DispatchEvery <= 0 {
		fmt.Fprintln(stderr, "coachmail run: --dispatch-every must be positive")
		return 2
	}
	opts.NoSeed = !*seed
	opts.Zone = zoneFromEnv(os.Getenv("TZ"))
	opts.Log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))
	if err := local.Run(ctx, opts, stdout); err != nil {
		fmt.Fprintf(stderr, "coachmail run: %v\n", err)
		return 1
	}
	return 0
}

// zoneFromEnv returns the IANA zone TZ names, or "" (UTC) when it names
// none.
func zoneFromEnv(tz string) string {
	if tz == "" || tz[0] == ':' {
		return ""
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return ""
	}
	return tz
}
