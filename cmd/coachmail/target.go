package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/coachmail/coachmail/internal/awsconfig"
	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/token"
)

// target says which deployment an operator command acts on: a DynamoDB
// endpoint and table given by flags or environment (AWS itself when no
// endpoint is given), or else the local mode running in --dir.
type target struct {
	dir      string
	endpoint string
	table    string
	jsonOut  bool
}

func (t *target) flags(fs *flag.FlagSet) {
	fs.StringVar(&t.dir, "dir", ".coachmail", "directory of the local mode (`coachmail run`)")
	fs.StringVar(&t.endpoint, "dynamodb-endpoint", os.Getenv("COACHMAIL_DYNAMODB_ENDPOINT"), "DynamoDB endpoint (default: the running local mode, or AWS when --table is set)")
	fs.StringVar(&t.table, "table", os.Getenv("COACHMAIL_TABLE"), "DynamoDB table")
	fs.BoolVar(&t.jsonOut, "json", false, "print JSON for scripts")
}

// deployment is what an operator command works with.
type deployment struct {
	store *dynamo.Store
	raw   *rawmail.Store // nil when unknown
	keys  *token.Keyring // nil when unknown
	cycle *cycle.Cycle
	run   local.Running
}

var errNoTarget = errors.New("no store to act on: start the local mode (`make run`) in another terminal, or give --dynamodb-endpoint and --table (or COACHMAIL_TABLE for AWS)")

func (t *target) open(ctx context.Context) (*deployment, error) {
	var r local.Running
	if t.endpoint == "" && t.table == "" {
		var err error
		r, err = local.ReadRunning(t.dir)
		switch {
		case err == local.ErrNotRunning:
			return nil, errNoTarget
		case errors.Is(err, local.ErrNotRunning):
			return nil, fmt.Errorf("%w; %v", errNoTarget, err)
		case err != nil:
			return nil, err
		}
	} else {
		r.DynamoDBEndpoint, r.Table = t.endpoint, t.table
	}
	if r.Table == "" {
		r.Table = "coachmail"
	}
	cfg := config.Config{Table: r.Table, DynamoDBEndpoint: r.DynamoDBEndpoint, S3Endpoint: r.S3Endpoint}
	aws, err := awsconfig.Load(ctx, cfg)
	if err != nil {
		return nil, err
	}
	d := &deployment{store: dynamo.New(awsconfig.DynamoDB(aws, cfg), r.Table), run: r}
	if r.S3Endpoint != "" && r.Bucket != "" {
		d.raw = rawmail.New(awsconfig.S3(aws, cfg), r.Bucket, r.RawPrefix)
	}
	if r.Keyring != "" {
		data, err := os.ReadFile(r.Keyring)
		if err != nil {
			return nil, fmt.Errorf("read keyring: %w", err)
		}
		if d.keys, err = token.ParseKeyring(data); err != nil {
			return nil, fmt.Errorf("read keyring: %w", err)
		}
	}
	d.cycle = &cycle.Cycle{Store: d.store, Clock: coaching.SystemClock{}, Log: discardLog()}
	return d, nil
}
