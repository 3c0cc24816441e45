package reading

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/coachmail/coachmail/tools/peerbench/corpus"
)

// largeSize is the size of the generated message: 40 MB, just under the
// message reader's default limit of 40 MiB.
const largeSize = 40_000_000

// allocLimit is the most a reading may allocate, as a multiple of the
// message size (issue: "stays under 3x the message size").
const allocLimit = 3.0

// TestReadLarge reads a 40 MB reply with three attachments generated in
// the test: the answer is read, every attachment is listed with its decoded
// size, and reading allocates less than allocLimit times the message size.
func TestReadLarge(t *testing.T) {
	raw := corpus.Large(largeSize)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rd, err := Read(bytes.NewReader(raw), Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("Read(%d bytes): %v", len(raw), err)
	}
	if rd.ReplyText != corpus.LargeReplyText {
		t.Errorf("reply text = %q, want %q", rd.ReplyText, corpus.LargeReplyText)
	}
	if len(rd.Attachments) != len(corpus.LargeAttachments) {
		t.Fatalf("attachments = %+v, want %v", rd.Attachments, corpus.LargeAttachments)
	}
	var total int64
	for i, a := range rd.Attachments {
		if a.Filename != corpus.LargeAttachments[i] || a.Size <= 0 {
			t.Errorf("attachment %d = %+v, want %s with its size", i, a, corpus.LargeAttachments[i])
		}
		total += a.Size
	}
	// Base64 carries 3 bytes in 4 characters plus CRLF every 76.
	if lo, hi := int64(len(raw))*70/100, int64(len(raw))*76/100; total < lo || total > hi {
		t.Errorf("attachments total %d bytes, want the decoded size of a %d-byte message (%d..%d)", total, len(raw), lo, hi)
	}
	ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(raw))
	t.Logf("reading %d bytes allocated %.2f× the message size", len(raw), ratio)
	if ratio >= allocLimit {
		t.Errorf("reading a %d-byte message allocated %.2f× its size, want under %.0f×", len(raw), ratio, allocLimit)
	}
}

// BenchmarkReadLarge reads the 40 MB message; alloc/size is the bytes
// allocated per message byte.
func BenchmarkReadLarge(b *testing.B) {
	raw := corpus.Large(largeSize)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if _, err := Read(bytes.NewReader(raw), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(raw)), "alloc/size")
}
