package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfigDefaults(t *testing.T) {
	got, err := ParseConfig(mapLookup(map[string]string{"domain": "Mail.Example.ORG."}), "", "")
	if err != nil {
		t.Fatalf("ParseConfig(domain only) error: %v", err)
	}
	want := Config{
		Domain:              "mail.example.org",
		HostedZoneName:      "mail.example.org",
		FromAddress:         "coach@mail.example.org",
		NotesAddress:        "notes@mail.example.org",
		PracticeName:        "Coaching",
		RawRetentionDays:    30,
		LogRetentionDays:    30,
		Stage:               StageDev,
		LogLevel:            "INFO",
		DispatchConcurrency: 1,
		DMARCPolicy:         "none",
		AssetDir:            "../build",
		Region:              "eu-west-1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseConfig(domain only) =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseConfigAll(t *testing.T) {
	params := map[string]string{
		"domain": "mail.example.org", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "hostedZoneName": "example.org",
		"fromAddress": "Leaders@Mail.Example.org", "notesAddress": "intake@mail.example.org",
		"practiceName": "North Star Coaching", "coaches": " ana@example.org,,Ben@Example.org, ana@example.org ",
		"rawRetentionDays": "7", "logRetentionDays": "365", "alarmEmail": "ops@example.org",
		"stage": "PROD", "logLevel": "warn", "dispatchConcurrency": "0", "dmarcPolicy": "Reject", "assetDir": "/tmp/zips",
	}
	got, err := ParseConfig(mapLookup(params), "us-west-2", "123456789012")
	if err != nil {
		t.Fatalf("ParseConfig error: %v", err)
	}
	want := Config{
		Domain: "mail.example.org", HostedZoneID: "Z0123456789ABCDEFGHIJ", HostedZoneName: "example.org",
		FromAddress: "leaders@mail.example.org", NotesAddress: "intake@mail.example.org",
		PracticeName: "North Star Coaching", Coaches: []string{"ana@example.org", "ben@example.org"},
		RawRetentionDays: 7, LogRetentionDays: 365, AlarmEmail: "ops@example.org",
		Stage: StageProd, LogLevel: "WARN", DispatchConcurrency: 0, DMARCPolicy: "reject", AssetDir: "/tmp/zips",
		Region: "us-west-2", Account: "123456789012",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseConfig =\n%+v\nwant\n%+v", got, want)
	}
}

// TestParseConfigRejects: each bad parameter fails with ErrConfig and a
// message naming the parameter.
func TestParseConfigRejects(t *testing.T) {
	tests := []struct {
		param  string // the parameter the error must name
		params map[string]string
	}{
		{"domain", map[string]string{}},
		{"domain", map[string]string{"domain": "localhost"}},
		{"domain", map[string]string{"domain": "exa_mple.com"}},
		{"domain", map[string]string{"domain": "-bad.example.com"}},
		{"domain", map[string]string{"domain": "example.123"}},
		{"domain", map[string]string{"domain": "a..example.com"}},
		{"domain", map[string]string{"domain": strings.Repeat("a", 64) + ".com"}},
		{"domain", map[string]string{"domain": "example.com", "stage": "prod"}},
		{"hostedZoneId", map[string]string{"domain": "example.org", "hostedZoneId": "zone-1"}},
		{"hostedZoneName", map[string]string{"domain": "example.org", "hostedZoneId": "Z123", "hostedZoneName": "example.net"}},
		{"hostedZoneName", map[string]string{"domain": "example.org", "hostedZoneName": "example.org"}},
		{"fromAddress", map[string]string{"domain": "example.org", "fromAddress": "coach@example.net"}},
		{"fromAddress", map[string]string{"domain": "example.org", "fromAddress": "Coach <coach@example.org>"}},
		{"fromAddress", map[string]string{"domain": "example.org", "fromAddress": "coach@badexample.org"}},
		{"notesAddress", map[string]string{"domain": "example.org", "notesAddress": "notes@sub.example.org"}},
		{"notesAddress", map[string]string{"domain": "example.org", "notesAddress": "notes"}},
		{"practiceName", map[string]string{"domain": "example.org", "practiceName": "Coach\r\nBcc: x@example.net"}},
		{"practiceName", map[string]string{"domain": "example.org", "practiceName": strings.Repeat("x", 65)}},
		{"coaches", map[string]string{"domain": "example.org", "coaches": "ana@example.org, not an address"}},
		{"rawRetentionDays", map[string]string{"domain": "example.org", "rawRetentionDays": "0"}},
		{"rawRetentionDays", map[string]string{"domain": "example.org", "rawRetentionDays": "thirty"}},
		{"logRetentionDays", map[string]string{"domain": "example.org", "logRetentionDays": "31"}},
		{"alarmEmail", map[string]string{"domain": "example.org", "alarmEmail": "ops"}},
		{"stage", map[string]string{"domain": "example.org", "stage": "staging"}},
		{"logLevel", map[string]string{"domain": "example.org", "logLevel": "verbose"}},
		{"dispatchConcurrency", map[string]string{"domain": "example.org", "dispatchConcurrency": "-1"}},
		{"dmarcPolicy", map[string]string{"domain": "example.org", "dmarcPolicy": "strict"}},
	}
	for _, tt := range tests {
		_, err := ParseConfig(mapLookup(tt.params), "eu-west-1", "")
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), " "+tt.param+":") {
			t.Errorf("ParseConfig(%v) = %v, want an ErrConfig naming %s", tt.params, err, tt.param)
		}
	}
	if _, err := ParseConfig(mapLookup(map[string]string{"domain": "example.org"}), "eu-west", ""); !errors.Is(err, ErrConfig) {
		t.Errorf("ParseConfig(region eu-west) = %v, want ErrConfig", err)
	}
}

// TestParseConfigNoCascade: a bad domain is reported once, not again through
// the addresses and zone name derived from it.
func TestParseConfigNoCascade(t *testing.T) {
	for _, domain := range []string{"", "bad_domain"} {
		_, err := ParseConfig(mapLookup(map[string]string{"domain": domain}), "", "")
		if err == nil || strings.Count(err.Error(), "invalid parameter") != 1 {
			t.Errorf("ParseConfig(domain %q) = %v, want exactly one error, about domain", domain, err)
		}
	}
}

// TestParseConfigReportsAll: one run names every bad parameter, not just the first.
func TestParseConfigReportsAll(t *testing.T) {
	_, err := ParseConfig(mapLookup(map[string]string{"domain": "example.org", "stage": "qa", "logLevel": "loud"}), "", "")
	for _, p := range []string{"stage:", "logLevel:"} {
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("ParseConfig(two bad parameters) = %v, want it to mention %s", err, p)
		}
	}
}

func TestContextThenEnv(t *testing.T) {
	context := map[string]any{"domain": "context.example.org", "rawRetentionDays": float64(14), "stage": "  "}
	env := map[string]string{"COACHMAIL_DOMAIN": "env.example.org", "COACHMAIL_STAGE": "prod", "COACHMAIL_LOG_LEVEL": ""}
	lookup := ContextThenEnv(func(k string) any { return context[k] }, func(k string) string { return env[k] })
	tests := []struct {
		key, want string
		ok        bool
	}{
		{"domain", "context.example.org", true}, // context wins
		{"rawRetentionDays", "14", true},        // numbers from cdk.json
		{"stage", "prod", true},                 // blank context falls through to the environment
		{"logLevel", "", false},                 // empty variable is unset
		{"alarmEmail", "", false},
	}
	for _, tt := range tests {
		got, ok := lookup(tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("lookup(%q) = %q, %v, want %q, %v", tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

// TestParametersDocumented: every parameter ParseConfig reads is in Parameters
// (and so in the error messages and README), and nothing else is.
func TestParametersDocumented(t *testing.T) {
	read := map[string]bool{}
	_, _ = ParseConfig(func(key string) (string, bool) { read[key] = true; return "", false }, "", "")
	documented := map[string]bool{}
	for _, p := range Parameters {
		documented[p.Key] = true
		if !strings.HasPrefix(p.Env, "COACHMAIL_") || p.Doc == "" {
			t.Errorf("parameter %s: env %q, doc %q", p.Key, p.Env, p.Doc)
		}
	}
	if !reflect.DeepEqual(read, documented) {
		t.Errorf("parameters read = %v, documented = %v", read, documented)
	}
}
