package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachmail/coachmail/internal/reading"
)

// readingTestdata holds the whole messages of package reading's goldens.
var readingTestdata = filepath.Join("..", "..", "internal", "reading", "testdata")

// runParse runs `coachmail parse ARGS` with stdin and returns its exit
// status, standard output and standard error.
func runParse(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"parse"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// parseFields decodes one printed reading into its top-level fields.
func parseFields(t *testing.T, out string) map[string]json.RawMessage {
	t.Helper()
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&fields); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("output holds more than one JSON value:\n%s", out)
	}
	return fields
}

// TestParseShape checks the JSON shape the issue sets: every field present,
// empty lists as [], no invite as null.
func TestParseShape(t *testing.T) {
	code, out, errOut := runParse(t, "", filepath.Join(readingTestdata, "reply-iphone.eml"))
	if code != 0 || errOut != "" {
		t.Fatalf("parse reply-iphone.eml = exit %d, stderr %q; want 0 and nothing", code, errOut)
	}
	fields := parseFields(t, out)
	want := []string{"message_id", "from", "to", "cc", "date", "subject", "auto_reply", "bounce", "reply_text",
		"forwarded", "items", "status_updates", "invite", "attachments", "warnings"}
	if len(fields) != len(want) {
		t.Errorf("fields %d, want %d (%v)", len(fields), len(want), want)
	}
	for _, k := range want {
		if _, ok := fields[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	for _, k := range []string{"cc", "forwarded", "items", "status_updates", "attachments", "warnings"} {
		if got := string(fields[k]); got != "[]" {
			t.Errorf("%s = %s, want []", k, got)
		}
	}
	if got := string(fields["invite"]); got != "null" {
		t.Errorf("invite = %s, want null", got)
	}
	var to []string
	if err := json.Unmarshal(fields["to"], &to); err != nil || len(to) != 1 || to[0] != strings.ToLower(to[0]) || strings.ContainsAny(to[0], "<> ") {
		t.Errorf("to = %s, want one lower-cased bare address", fields["to"])
	}
}

// TestParseDueOmitted checks that an item without a due date has no due
// field and one with a date has it as YYYY-MM-DD.
func TestParseDueOmitted(t *testing.T) {
	code, out, _ := runParse(t, "", filepath.Join(readingTestdata, "notes-direct-html-only.eml"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(parseFields(t, out)["items"], &items); err != nil {
		t.Fatal(err)
	}
	withDue, withoutDue := 0, 0
	for _, it := range items {
		due, ok := it["due"]
		switch {
		case !ok:
			withoutDue++
		case len(due) == len(`"2026-03-13"`) && due[5] == '-' && due[8] == '-':
			withDue++
		default:
			t.Errorf("due = %s, want a quoted YYYY-MM-DD or no field", due)
		}
	}
	if withDue == 0 || withoutDue == 0 {
		t.Errorf("%d items with due, %d without; want some of each:\n%s", withDue, withoutDue, out)
	}
}

// TestParseInvite checks that an invitation prints as an object.
func TestParseInvite(t *testing.T) {
	code, out, _ := runParse(t, "", filepath.Join(readingTestdata, "invite-outlook-windows-zone.eml"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var inv struct {
		Method, Start string
		Attendees     []string
	}
	if err := json.Unmarshal(parseFields(t, out)["invite"], &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Method != "REQUEST" || inv.Start != "2026-04-02T09:00:00+02:00" || len(inv.Attendees) != 2 {
		t.Errorf("invite = %+v, want REQUEST at 2026-04-02T09:00:00+02:00 with 2 attendees", inv)
	}
}

// TestParseCommitments checks --commitments: the listed texts are used to
// read the status updates, and a bad file is a one-line error.
func TestParseCommitments(t *testing.T) {
	msg := filepath.Join(readingTestdata, "reply-status-by-name.eml")
	dir := t.TempDir()
	list := filepath.Join(dir, "commitments.json")
	if err := os.WriteFile(list, []byte(`["Draft the hiring plan for the platform team", "Talk to Priya about the budget overrun"]`), 0o600); err != nil {
		t.Fatal(err)
	}
	updates := func(args ...string) string {
		t.Helper()
		code, out, errOut := runParse(t, "", args...)
		if code != 0 {
			t.Fatalf("parse %v = exit %d, %s", args, code, errOut)
		}
		return string(parseFields(t, out)["status_updates"])
	}
	without, with := updates(msg), updates("--commitments", list, msg)
	if without != "[]" {
		t.Errorf("without --commitments, status_updates = %s, want [] (the reply names commitments, numbers none)", without)
	}
	if !strings.Contains(with, `"ref": 1`) || !strings.Contains(with, `"status": "done"`) {
		t.Errorf("with --commitments, status_updates = %s, want 1 done", with)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"1": "not a list"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{bad, filepath.Join(dir, "missing.json")} {
		code, out, errOut := runParse(t, "", "--commitments", f, msg)
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "coachmail parse: ") {
			t.Errorf("parse --commitments %s = exit %d, stdout %q, stderr %q; want 1, nothing, one line", filepath.Base(f), code, out, errOut)
		}
	}
}

// TestParseNotAMessage checks exit 1 with one line on stderr for input that
// is not a message at all, and for a file that cannot be read.
func TestParseNotAMessage(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"empty.eml":  "",
		"binary.eml": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
		"prose.eml":  "Just some words, with no header at all and no blank line",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runParse(t, "", p)
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "coachmail parse: ") {
			t.Errorf("parse %s = exit %d, stdout %q, stderr %q; want 1, nothing, one line", name, code, out, errOut)
		}
	}
	code, _, errOut := runParse(t, "", filepath.Join(dir, "absent.eml"))
	if code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("parse absent.eml = exit %d, stderr %q; want 1 and one line", code, errOut)
	}
	if code, _, errOut := runParse(t, ""); code != 2 || !strings.Contains(errOut, "usage") {
		t.Errorf("parse without a file = exit %d, stderr %q; want 2 and the usage", code, errOut)
	}
}

// TestParseMatchesReading checks, for every golden message and from
// standard input, that the CLI prints exactly the reading of package
// reading, encoded as its goldens are.
func TestParseMatchesReading(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(readingTestdata, "*.eml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no messages in %s: %v", readingTestdata, err)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runParse(t, string(data), "-")
		if code != 0 || errOut != "" {
			t.Errorf("parse - < %s = exit %d, stderr %q", filepath.Base(n), code, errOut)
			continue
		}
		rd, err := reading.ReadBytes(data, reading.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rd); err != nil {
			t.Fatal(err)
		}
		if out != want.String() {
			t.Errorf("parse - < %s printed\n%s\nwant\n%s", filepath.Base(n), out, want.String())
		}
	}
}
