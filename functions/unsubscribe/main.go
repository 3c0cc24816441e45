// Command unsubscribe is the Lambda function behind the public function URL
// of the one-click unsubscribe link (RFC 8058) in every email to a leader.
// It only wires; the work is in internal/unsubscribe.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coachmail/coachmail/internal/awsconfig"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/unsubscribe"
)

func main() {
	log := lambdacontext.NewLogger()
	ctx := context.Background()
	cfg, err := config.Load(os.Getenv, "COACHMAIL_TABLE")
	if err != nil {
		log.Error("unsubscribe: configuration", "err", err)
		os.Exit(1)
	}
	aws, err := awsconfig.Load(ctx, cfg)
	if err != nil {
		log.Error("unsubscribe: AWS configuration", "err", err)
		os.Exit(1)
	}
	h := &unsubscribe.Handler{
		Store: dynamo.New(awsconfig.DynamoDB(aws, cfg), cfg.Table),
		Clock: coaching.SystemClock{},
		Log:   log,
	}
	sm := awsconfig.SecretsManager(aws)
	var serve func(context.Context, events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error)
	lambda.Start(func(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
		if serve == nil {
			// Loaded on the first request rather than at init: keeps the
			// cold start free of network calls. An error reaches the client
			// as a 502, which a mail client retries.
			kr, err := awsconfig.Keyring(ctx, cfg, sm)
			if err != nil {
				return events.LambdaFunctionURLResponse{}, err
			}
			h.Keys = kr
			serve = unsubscribe.Lambda(h)
		}
		return serve(ctx, req)
	})
}
