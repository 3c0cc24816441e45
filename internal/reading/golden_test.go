package reading

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json from the current readings (read every changed golden before committing: it must say what a person reads in the message)")

// goldenNow is the reference time for messages without a usable Date.
var goldenNow = time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC)

// knownGoldenFailures are the fixtures whose reading is knowingly wrong:
// their golden file holds what a person reads in the message, not what Read
// returns today, and -update leaves it alone. A fixture listed here that
// starts matching fails the test, so the list stays true.
var knownGoldenFailures = map[string]string{}

// TestGolden reads every whole message in testdata (NAME.eml, with the
// commitments the prompt listed in NAME.commitments.json when there is one)
// and compares the reading, as `coachmail parse` prints it, with NAME.json.
func TestGolden(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 30 {
		t.Fatalf("testdata holds %d messages, want at least 30", len(names))
	}
	for _, name := range names {
		base := strings.TrimSuffix(filepath.Base(name), ".eml")
		t.Run(base, func(t *testing.T) {
			got := goldenReading(t, name)
			golden := strings.TrimSuffix(name, ".eml") + ".json"
			reason, known := knownGoldenFailures[base]
			if *update && !known {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update, then read the golden file)", err)
			}
			switch {
			case bytes.Equal(got, want) && known:
				t.Errorf("%s matches its golden file but is listed as a known failure (%s); remove it from the list", base, reason)
			case bytes.Equal(got, want):
			case known:
				t.Logf("known failure: %s\n%s", reason, lineDiff(string(got), string(want)))
			default:
				t.Errorf("Read(%s) differs from %s:\n%s", filepath.Base(name), filepath.Base(golden), lineDiff(string(got), string(want)))
			}
		})
	}
}

// goldenReading is the JSON reading of one testdata message.
func goldenReading(t *testing.T, name string) []byte {
	t.Helper()
	opts := Options{Now: goldenNow}
	if data, err := os.ReadFile(strings.TrimSuffix(name, ".eml") + ".commitments.json"); err == nil {
		if err := json.Unmarshal(data, &opts.Commitments); err != nil {
			t.Fatalf("commitments: %v", err)
		}
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := Read(f, opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return marshal(t, rd)
}

// marshal encodes a reading the way `coachmail parse` prints it.
func marshal(t testing.TB, rd *Reading) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rd); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lineDiff lists the lines of got and want that differ, by position, or
// both whole when they have different numbers of lines.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		return "--- got ---\n" + got + "--- want ---\n" + want
	}
	var b strings.Builder
	for i := range g {
		if g[i] != w[i] {
			b.WriteString("  got:  " + g[i] + "\n  want: " + w[i] + "\n")
		}
	}
	return b.String()
}
