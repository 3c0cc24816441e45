package config

import (
	"errors"
	"log/slog"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	c, err := Load(env(map[string]string{
		"COACHMAIL_TABLE":             "t",
		"COACHMAIL_INTAKE_DOMAIN":     "Mail.Example.com",
		"COACHMAIL_FROM_ADDRESS":      "coach@example.com",
		"COACHMAIL_LOG_LEVEL":         "debug",
		"COACHMAIL_BOOTSTRAP_COACHES": " Robin@Practice.example, ,sam@practice.example",
	}), "COACHMAIL_TABLE")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(c.BootstrapCoaches) != 2 || c.BootstrapCoaches[0] != "robin@practice.example" {
		t.Errorf("BootstrapCoaches = %q", c.BootstrapCoaches)
	}
	if c.IntakeDomain != "mail.example.com" || c.RawPrefix != "inbound/" || c.LogLevel != slog.LevelDebug || c.MaxMessage != 40<<20 {
		t.Errorf("Load = %+v", c)
	}
}

func TestLoadInvalid(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"missing table": {},
		"bad from":      {"COACHMAIL_TABLE": "t", "COACHMAIL_FROM_ADDRESS": "Coach <c@example.com>"},
		"bad domain":    {"COACHMAIL_TABLE": "t", "COACHMAIL_INTAKE_DOMAIN": "a@b"},
		"bad level":     {"COACHMAIL_TABLE": "t", "COACHMAIL_LOG_LEVEL": "loud"},
		"bad size":      {"COACHMAIL_TABLE": "t", "COACHMAIL_MAX_MESSAGE_BYTES": "-1"},
		"bad coach":     {"COACHMAIL_TABLE": "t", "COACHMAIL_BOOTSTRAP_COACHES": "Robin <r@x.example>"},
	} {
		if _, err := Load(env(m), "COACHMAIL_TABLE"); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Load error = %v, want ErrInvalid", name, err)
		}
	}
}
