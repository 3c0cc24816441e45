package main

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestDemoGolden plays the demo and compares what it prints, step by step,
// with testdata/demo.golden. The demo runs the whole local stack (SMTP in,
// inbound handler, store, dispatcher, SES out to the outbox) on a manual
// clock, so this is an end-to-end test of one coaching cycle; a change of
// a template or of what the readers extract shows up here as a diff, to be
// looked at and accepted with -update.
func TestDemoGolden(t *testing.T) {
	var out bytes.Buffer
	if err := playDemo(context.Background(), t.TempDir(), &out, slog.New(slog.NewTextHandler(testLog{t}, nil))); err != nil {
		t.Fatalf("demo: %v\noutput so far:\n%s", err, out.String())
	}
	// Session references derive from random session ids.
	printed := sessionRef.ReplaceAllString(out.String(), "[S-XXXXXX]")
	if printed == out.String() {
		t.Errorf("demo output shows no session reference in the coach's brief")
	}
	golden := filepath.Join("testdata", "demo.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(printed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestDemoGolden -update to create it)", err)
	}
	if got := printed; got != string(want) {
		t.Errorf("demo output differs from %s (go test -run TestDemoGolden -update accepts it):\n%s", golden, lineDiff(string(want), got))
	}
	// The story's milestones, whatever the templates say.
	for _, step := range []string{
		"Robin Ellis sends a calendar invitation", "Dana Lee <dana@leader.example> receives", "Dana Lee replies from Gmail",
		"stored: focus answer", "Robin Ellis <robin@coach.example> receives", "stored: action:", "stored: commitment 1",
		": done", `not done ("waiting on legal")`,
	} {
		if !strings.Contains(out.String(), step) {
			t.Errorf("demo output lacks %q", step)
		}
	}
}

var sessionRef = regexp.MustCompile(`\[S-[0-9A-Z]{6}\]`)

// lineDiff shows the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// testLog sends log output to the test's log, shown when it fails.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
