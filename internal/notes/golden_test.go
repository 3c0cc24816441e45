package notes

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

var update = flag.Bool("update", false, "rewrite the expected items of testdata/*.json from the current output")

// golden is a testdata/NAME.json file: when the notes were sent, and the
// items a person reading testdata/NAME.txt takes from them, in the shape
// the coachmail parse command prints.
type golden struct {
	Ref   string       `json:"ref"`
	Items []goldenItem `json:"items"`
}

type goldenItem struct {
	Type string `json:"type"`
	Text string `json:"text"`
	Due  string `json:"due,omitempty"`
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("found %d golden notes, want at least 15", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			jf := strings.TrimSuffix(f, ".txt") + ".json"
			raw, err := os.ReadFile(jf)
			if err != nil {
				t.Fatalf("read expected items: %v", err)
			}
			var want golden
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("decode %s: %v", jf, err)
			}
			ref, err := time.Parse(time.RFC3339, want.Ref)
			if err != nil {
				t.Fatalf("%s: ref: %v", jf, err)
			}
			got := golden{Ref: want.Ref, Items: []goldenItem{}}
			for _, it := range Extract(string(text), ref) {
				got.Items = append(got.Items, goldenItem{Type: string(it.Kind), Text: it.Text, Due: it.Due})
			}
			if *update {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(got); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(jf, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want.Items == nil {
				want.Items = []goldenItem{}
			}
			if len(got.Items) != len(want.Items) {
				t.Errorf("Extract(%s) gave %d items, want %d", name, len(got.Items), len(want.Items))
			}
			for i := 0; i < len(got.Items) || i < len(want.Items); i++ {
				var g, w goldenItem
				if i < len(got.Items) {
					g = got.Items[i]
				}
				if i < len(want.Items) {
					w = want.Items[i]
				}
				if g != w {
					t.Errorf("item %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
