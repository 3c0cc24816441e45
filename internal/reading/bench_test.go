package reading

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadMix reads every whole message of testdata once per
// iteration: replies from many clients and charsets, forwards, notes,
// invitations, auto-replies, bounces. MB/s is over their bytes; msgs/s is
// messages per second.
func BenchmarkReadMix(b *testing.B) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		b.Fatal(err)
	}
	var msgs [][]byte
	var size int64
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, data)
		size += int64(len(data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			if _, err := ReadBytes(m, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
