// Command inbound is the Lambda function that SES's receipt rule invokes
// for each received message, after storing it in S3. It only wires; the
// work is in internal/inbound.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coachmail/coachmail/internal/awsconfig"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/inbound"
	"github.com/coachmail/coachmail/internal/rawmail"
)

func main() {
	log := lambdacontext.NewLogger()
	ctx := context.Background()
	cfg, err := config.Load(os.Getenv, "COACHMAIL_TABLE", "COACHMAIL_RAW_BUCKET", "COACHMAIL_INTAKE_DOMAIN", "COACHMAIL_NOTES_ADDRESS")
	if err != nil {
		log.Error("inbound: configuration", "err", err)
		os.Exit(1)
	}
	aws, err := awsconfig.Load(ctx, cfg)
	if err != nil {
		log.Error("inbound: AWS configuration", "err", err)
		os.Exit(1)
	}
	store := dynamo.New(awsconfig.DynamoDB(aws, cfg), cfg.Table)
	clock := coaching.SystemClock{}
	h := &inbound.Handler{
		Store:        store,
		Raw:          rawmail.New(awsconfig.S3(aws, cfg), cfg.RawBucket, cfg.RawPrefix),
		Cycle:        &cycle.Cycle{Store: store, Clock: clock, Log: log},
		Clock:        clock,
		Log:          log,
		IntakeDomain: cfg.IntakeDomain,
		NotesAddress: cfg.NotesAddress,
		MaxMessage:   cfg.MaxMessage,
	}
	sm := awsconfig.SecretsManager(aws)
	lambda.Start(func(ctx context.Context, ev events.SimpleEmailEvent) error {
		if h.Keys == nil {
			// Loaded on the first message rather than at init: keeps the
			// cold start free of network calls.
			kr, err := awsconfig.Keyring(ctx, cfg, sm)
			if err != nil {
				return err
			}
			h.Keys = kr
			if err := h.Cycle.EnsureCoaches(ctx, cfg.BootstrapCoaches); err != nil {
				h.Keys = nil // try again with the next message
				return err
			}
		}
		receipts, err := inbound.Receipts(ev)
		if err != nil {
			// Not an SES event: nothing to retry, nothing to keep.
			log.Error("inbound: event rejected", "err", err)
			return nil
		}
		for _, r := range receipts {
			if _, err := h.Handle(ctx, r); err != nil {
				return fmt.Errorf("message %s: %w", r.MessageID, err)
			}
		}
		return nil
	})
}
