// Command infra synthesises coachmail's AWS CloudFormation template: the whole
// system as one CDK app (see README.md). It reads its parameters from the CDK
// context or COACHMAIL_* environment variables, checks them and the function
// zips before building anything, and needs neither AWS credentials nor lookups.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	// No jsii.Close: in jsii-runtime-go v1.130.0 it races with the runtime's own
	// wait for the Node process and prints a spurious "exited abnormally"; the
	// process ends with ours, when its standard input closes.
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	props := &awscdk.AppProps{}
	if os.Getenv("CDK_OUTDIR") == "" {
		// Run without the CDK CLI (make synth): write where the CLI would.
		props.Outdir = jsii.String("cdk.out")
	}
	app := awscdk.NewApp(props)
	cfg, err := ConfigFromEnvironment(func(key string) any { return app.Node().TryGetContext(jsii.String(key)) })
	if err != nil {
		return err
	}
	if err := checkAssets(cfg); err != nil {
		return err
	}
	NewCoachmailStack(app, StackName(cfg), &CoachmailStackProps{StackProps: StackPropsFor(cfg), Config: cfg})
	ApplyChecks(app)
	app.Synth(nil)
	return nil
}

// StackName is the CloudFormation stack name for a stage, so that dev and prod
// can live in one account.
func StackName(cfg Config) string {
	if cfg.Stage == StageProd {
		return "Coachmail-prod"
	}
	return "Coachmail-dev"
}

// StackPropsFor places the stack in the configured region (and account, when
// the CLI knows it) and keeps CDK's usage report out of the template.
func StackPropsFor(cfg Config) awscdk.StackProps {
	env := &awscdk.Environment{Region: jsii.String(cfg.Region)}
	if cfg.Account != "" {
		env.Account = jsii.String(cfg.Account)
	}
	return awscdk.StackProps{Env: env, AnalyticsReporting: jsii.Bool(false)}
}

// checkAssets fails early, with the remedy, when a function zip is missing.
func checkAssets(cfg Config) error {
	var errs []error
	for _, name := range Functions {
		p := filepath.Join(cfg.AssetDir, name+".zip")
		if _, err := os.Stat(p); err != nil {
			errs = append(errs, fmt.Errorf("function %s: %w (run `make build` at the repository root, or pass -c assetDir=DIR)", name, err))
		}
	}
	return errors.Join(errs...)
}
