package awsconfig

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/coachmail/coachmail/internal/config"
	"github.com/coachmail/coachmail/internal/token"
)

// SecretGetter is the Secrets Manager call the keyring loader makes.
type SecretGetter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Keyring loads the reply-token keyring: from the configuration itself in
// local mode (COACHMAIL_TOKEN_KEYRING), else from the Secrets Manager secret
// COACHMAIL_TOKEN_SECRET_ARN names.
func Keyring(ctx context.Context, c config.Config, sm SecretGetter) (*token.Keyring, error) {
	data := []byte(c.TokenKeyring)
	if len(data) == 0 {
		if c.TokenSecretARN == "" || sm == nil {
			return nil, fmt.Errorf("load token keyring: neither COACHMAIL_TOKEN_KEYRING nor COACHMAIL_TOKEN_SECRET_ARN is set")
		}
		out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.TokenSecretARN)})
		if err != nil {
			return nil, fmt.Errorf("load token keyring: %w", err)
		}
		data = []byte(aws.ToString(out.SecretString))
	}
	kr, err := token.ParseKeyring(data)
	if err != nil {
		return nil, fmt.Errorf("load token keyring: %w", err)
	}
	return kr, nil
}
