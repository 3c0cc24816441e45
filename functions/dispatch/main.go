// Command dispatch is the Lambda function that a schedule runs every
// minute: it sends the scheduled emails that are due. It only wires; the
// work is in internal/cycle.
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
	d := &cycle.Dispatcher{
		Store:          dynamo.New(awsconfig.DynamoDB(aws, cfg), cfg.Table),
		Clock:          coaching.SystemClock{},
		Sender:         ses.New(awsconfig.SES(aws, cfg), cfg.ConfigSet),
		Temporary:      ses.IsTemporary,
		Templates:      tmpl,
		Log:            log,
		From:           cfg.FromAddress,
		Practice:       cfg.PracticeName,
		IntakeDomain:   cfg.IntakeDomain,
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
