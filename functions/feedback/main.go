// Command feedback is the Lambda function that the SES feedback topic
// invokes with each bounce or complaint notification (configuration set
// event destination → SNS → this function). It only wires; the work is in
// internal/feedback.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coachmail/coachmail/internal/awsconfig"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/feedback"
)

func main() {
	log := lambdacontext.NewLogger()
	ctx := context.Background()
	cfg, err := config.Load(os.Getenv, "COACHMAIL_TABLE")
	if err != nil {
		log.Error("feedback: configuration", "err", err)
		os.Exit(1)
	}
	aws, err := awsconfig.Load(ctx, cfg)
	if err != nil {
		log.Error("feedback: AWS configuration", "err", err)
		os.Exit(1)
	}
	h := &feedback.Handler{
		Store: dynamo.New(awsconfig.DynamoDB(aws, cfg), cfg.Table),
		Clock: coaching.SystemClock{},
		Log:   log,
	}
	// A returned error is temporary: Lambda retries the event, and what was
	// already applied is recognised.
	lambda.Start(h.HandleSNS)
}
