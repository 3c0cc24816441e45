package notes

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract reads every golden note once per iteration.
func BenchmarkExtract(b *testing.B) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		b.Fatalf("no golden notes: %v", err)
	}
	var texts []string
	size := 0
	for _, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(t))
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			Extract(t, wedRef)
		}
	}
}

// BenchmarkFindDue measures due-date reading alone.
func BenchmarkFindDue(b *testing.B) {
	const s = "Talk to the CFO about the budget before the board meeting on 3 March"
	for b.Loop() {
		findDue(s, wedRef, dayFirst)
	}
}
