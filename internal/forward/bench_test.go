package forward

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkParse parses every fixture of the corpus once per iteration.
func BenchmarkParse(b *testing.B) {
	type input struct{ subject, body string }
	var inputs []input
	size := 0
	for _, c := range corpusCases() {
		in := input{readFixture(b, c.subject), readFixture(b, c.body)}
		inputs = append(inputs, in)
		size += len(in.body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range inputs {
			Parse(in.subject, in.body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(inputs)), "ns/message")
}

// BenchmarkParseHostile measures bodies built to make a careless parser
// slow: header-like lines, separators, quote markers and long lines. Its
// MB/s should not fall as the size grows.
func BenchmarkParseHostile(b *testing.B) {
	units := map[string]string{
		"headers":    "From: a <a@b.c>\nTo: d, e, f, \nCc: g <g@h>\n",
		"separators": "---------- Forwarded message ---------\n----- Forwarded Message ----- From: xTo: y\n________________\n",
		"quotes":     ">>>>>>>>>>>>>> > > > > From: a\n>\n",
		"longline":   strings.Repeat("<<\"mailto:, ; @ ", 4096) + "\n",
	}
	for name, unit := range units {
		for _, size := range []int{64 << 10, 1 << 20} {
			body := strings.Repeat(unit, size/len(unit)+1)[:size]
			b.Run(name+"/"+byteSize(size), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					Parse("Fwd: x", body)
				}
			})
		}
	}
}

func byteSize(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + "MiB"
	}
	return strconv.Itoa(n>>10) + "KiB"
}
