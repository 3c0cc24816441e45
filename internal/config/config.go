// Package config loads the typed configuration of coachmail's functions and
// local mode from environment variables, validated once at start-up. Nothing
// deeper in the code reads the environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
)

// Config is what a coachmail function needs to know about its deployment.
type Config struct {
	Table          string // DynamoDB table name (COACHMAIL_TABLE)
	RawBucket      string // S3 bucket of raw inbound mail (COACHMAIL_RAW_BUCKET)
	RawPrefix      string // key prefix of raw mail, before the SES message id (COACHMAIL_RAW_PREFIX, default "inbound/")
	IntakeDomain   string // domain of reply+TOKEN@ addresses (COACHMAIL_INTAKE_DOMAIN)
	FromAddress    string // verified sender (COACHMAIL_FROM_ADDRESS)
	NotesAddress   string // where coaches send notes and invitations (COACHMAIL_NOTES_ADDRESS)
	PracticeName   string // display name of outbound mail (COACHMAIL_PRACTICE_NAME, default "Coaching")
	TokenSecretARN string // Secrets Manager secret holding the token keyring (COACHMAIL_TOKEN_SECRET_ARN)
	TokenKeyring   string // the keyring JSON itself, for local mode (COACHMAIL_TOKEN_KEYRING)
	ConfigSet      string // SES configuration set (COACHMAIL_CONFIG_SET)
	UnsubscribeURL string // one-click unsubscribe endpoint (COACHMAIL_UNSUBSCRIBE_URL)
	MaxMessage     int64  // largest raw message read, bytes (COACHMAIL_MAX_MESSAGE_BYTES, default 40 MiB)
	// BootstrapCoaches are coach addresses registered on first use when
	// missing (COACHMAIL_BOOTSTRAP_COACHES, comma-separated).
	BootstrapCoaches []string
	RawRetention     time.Duration
	LogLevel         slog.Level // COACHMAIL_LOG_LEVEL: debug, info (default), warn, error
	// Endpoints override the AWS endpoints, for local servers
	// (COACHMAIL_DYNAMODB_ENDPOINT, COACHMAIL_S3_ENDPOINT, COACHMAIL_SES_ENDPOINT).
	DynamoDBEndpoint string
	S3Endpoint       string
	SESEndpoint      string
}

// ErrInvalid is returned, wrapped, for a configuration that cannot work.
var ErrInvalid = errors.New("config: invalid")

// Load reads the configuration with getenv (os.Getenv in main) and
// validates the fields that need names for the given function; required
// lists the variables that must be set.
func Load(getenv func(string) string, required ...string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Table:            get("COACHMAIL_TABLE", ""),
		RawBucket:        get("COACHMAIL_RAW_BUCKET", ""),
		RawPrefix:        get("COACHMAIL_RAW_PREFIX", "inbound/"),
		IntakeDomain:     strings.ToLower(get("COACHMAIL_INTAKE_DOMAIN", "")),
		FromAddress:      strings.ToLower(get("COACHMAIL_FROM_ADDRESS", "")),
		NotesAddress:     strings.ToLower(get("COACHMAIL_NOTES_ADDRESS", "")),
		PracticeName:     get("COACHMAIL_PRACTICE_NAME", "Coaching"),
		TokenSecretARN:   get("COACHMAIL_TOKEN_SECRET_ARN", ""),
		TokenKeyring:     get("COACHMAIL_TOKEN_KEYRING", ""),
		ConfigSet:        get("COACHMAIL_CONFIG_SET", ""),
		UnsubscribeURL:   get("COACHMAIL_UNSUBSCRIBE_URL", ""),
		DynamoDBEndpoint: get("COACHMAIL_DYNAMODB_ENDPOINT", ""),
		S3Endpoint:       get("COACHMAIL_S3_ENDPOINT", ""),
		SESEndpoint:      get("COACHMAIL_SES_ENDPOINT", ""),
		MaxMessage:       40 << 20,
		RawRetention:     30 * 24 * time.Hour,
	}
	if v := get("COACHMAIL_MAX_MESSAGE_BYTES", ""); v != "" {
		var n int64
		if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
			return Config{}, fmt.Errorf("%w: COACHMAIL_MAX_MESSAGE_BYTES %q is not a positive number", ErrInvalid, v)
		}
		c.MaxMessage = n
	}
	for _, a := range strings.Split(get("COACHMAIL_BOOTSTRAP_COACHES", ""), ",") {
		if a = strings.ToLower(strings.TrimSpace(a)); a == "" {
			continue
		}
		if p, err := mail.ParseAddress(a); err != nil || p.Address != a {
			return Config{}, fmt.Errorf("%w: COACHMAIL_BOOTSTRAP_COACHES: %q is not a bare address", ErrInvalid, a)
		}
		c.BootstrapCoaches = append(c.BootstrapCoaches, a)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("COACHMAIL_LOG_LEVEL", "info"))); err != nil {
		return Config{}, fmt.Errorf("%w: COACHMAIL_LOG_LEVEL: %v", ErrInvalid, err)
	}
	for _, k := range required {
		if strings.TrimSpace(getenv(k)) == "" {
			return Config{}, fmt.Errorf("%w: %s is required", ErrInvalid, k)
		}
	}
	for k, v := range map[string]string{"COACHMAIL_FROM_ADDRESS": c.FromAddress, "COACHMAIL_NOTES_ADDRESS": c.NotesAddress} {
		if v == "" {
			continue
		}
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return Config{}, fmt.Errorf("%w: %s %q is not a bare address", ErrInvalid, k, v)
		}
	}
	if c.IntakeDomain != "" && (strings.ContainsAny(c.IntakeDomain, "@ /") || !strings.Contains(c.IntakeDomain, ".")) {
		return Config{}, fmt.Errorf("%w: COACHMAIL_INTAKE_DOMAIN %q is not a domain", ErrInvalid, c.IntakeDomain)
	}
	return c, nil
}
