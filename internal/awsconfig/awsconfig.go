// Package awsconfig builds the AWS SDK clients of coachmail's functions and
// local mode from the typed configuration, once, at start-up. Endpoint
// overrides point a client at a local server (DynamoDB Local, an in-process
// S3 or SES server); with one set, static dummy credentials are used so that
// nothing needs an AWS account.
package awsconfig

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscfg "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/coachmail/coachmail/internal/config"
)

// Load returns the SDK configuration: the default chain in AWS (the
// Lambda's role), static local credentials when any endpoint is overridden.
func Load(ctx context.Context, c config.Config) (aws.Config, error) {
	opts := []func(*awscfg.LoadOptions) error{
		awscfg.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(30 * time.Second)),
		awscfg.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
		awscfg.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
	}
	if c.DynamoDBEndpoint != "" || c.S3Endpoint != "" || c.SESEndpoint != "" {
		opts = append(opts,
			awscfg.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")),
			awscfg.WithRegion("eu-west-1"),
		)
	}
	cfg, err := awscfg.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "eu-west-1"
	}
	return cfg, nil
}

// DynamoDB returns a DynamoDB client, on the configured endpoint if any.
func DynamoDB(cfg aws.Config, c config.Config) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if c.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(c.DynamoDBEndpoint)
		}
	})
}

// S3 returns an S3 client, path-style on the configured endpoint if any.
func S3(cfg aws.Config, c config.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if c.S3Endpoint != "" {
			o.BaseEndpoint = aws.String(c.S3Endpoint)
			o.UsePathStyle = true
		}
	})
}

// SES returns an SES v2 client, on the configured endpoint if any.
func SES(cfg aws.Config, c config.Config) *sesv2.Client {
	return sesv2.NewFromConfig(cfg, func(o *sesv2.Options) {
		if c.SESEndpoint != "" {
			o.BaseEndpoint = aws.String(c.SESEndpoint)
		}
	})
}

// SecretsManager returns a Secrets Manager client.
func SecretsManager(cfg aws.Config) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(cfg)
}
