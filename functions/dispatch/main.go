// Command dispatch is the Lambda function that a schedule runs every
// minute: it tops up the recurring series whose horizon moved, then sends
// the scheduled emails that are due. It only wires; the work is in
// internal/cycle.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coachmail/coachmail/internal/awsconfig"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/templates"
)

func main() {
	log := lambdacontext.NewLogger()
	ctx := context.Background()
	cfg, err := config.Load(os.Getenv, "COACHMAIL_TABLE", "COACHMAIL_FROM_ADDRESS", "COACHMAIL_INTAKE_DOMAIN")
	if err != nil {
		log.Error("dispatch: configuration", "err", err)
		os.Exit(1)
	}
	aws, err := awsconfig.Load(ctx, cfg)
	if err != nil {
		log.Error("dispatch: AWS configuration", "err", err)
		os.Exit(1)
	}
	tmpl, err := templates.New()
	if err != nil {
		log.Error("dispatch: templates", "err", err)
		os.Exit(1)
	}
	store := dynamo.New(awsconfig.DynamoDB(aws, cfg), cfg.Table)
	clock := coaching.SystemClock{}
	cyc := &cycle.Cycle{Store: store, Clock: clock, Log: log}
	d := &cycle.Dispatcher{
		Store:          store,
		Clock:          clock,
		Sender:         ses.New(awsconfig.SES(aws, cfg), cfg.ConfigSet),
		Temporary:      ses.IsTemporary,
		Templates:      tmpl,
		Log:            log,
		From:           cfg.FromAddress,
		Practice:       cfg.PracticeName,
		IntakeDomain:   cfg.IntakeDomain,
		NotesAddress:   cfg.NotesAddress,
		UnsubscribeURL: cfg.UnsubscribeURL,
	}
	sm := awsconfig.SecretsManager(aws)
	lambda.Start(func(ctx context.Context) error {
		if d.Keys == nil {
			kr, err := awsconfig.Keyring(ctx, cfg, sm)
			if err != nil {
				return err
			}
			d.Keys = kr
		}
		// Series first, so that an email of a session made now and due at
		// once goes out in this run. One call: a Query of the series whose
		// horizon moved, usually none. A failure is logged and sending
		// goes on; the series are tried again next minute.
		top, err := cyc.TopUp(ctx, clock.Now())
		if err != nil {
			log.ErrorContext(ctx, "dispatch: series top-up", "err", err)
		}
		if top.Series > 0 {
			log.InfoContext(ctx, "dispatch: series topped up", "series", top.Series, "created", top.Created, "ended", top.Ended, "failed", top.Failed, "remaining", top.Remaining)
		}
		// Drain what is due, batch after batch, while the invocation has
		// time; what is left waits for the next minute's run.
		deadline, ok := ctx.Deadline()
		for {
			res, err := d.Run(ctx)
			if err != nil {
				return err
			}
			log.InfoContext(ctx, "dispatch: run", "sent", res.Sent, "skipped", res.Skipped, "lost", res.Lost, "retry", res.Retry, "failed", res.Failed)
			progress := res.Sent+res.Skipped+res.Failed > 0
			if !res.Remaining || !progress || (ok && time.Until(deadline) < 20*time.Second) {
				return nil
			}
		}
	})
}
