package message

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// checkReading fails when Read gave an error it should not give, or a
// reading that breaks the package's promises.
func checkReading(t *testing.T, in []byte, m *Message, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrNotMessage) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Read(%.200q) error = %v, want nil, ErrNotMessage or ErrTooLarge", in, err)
		}
		return
	}
	var check func(m *Message, depth int)
	check = func(m *Message, depth int) {
		for field, s := range map[string]string{"Text": m.Text, "HTML": m.HTML, "Subject": m.Subject, "From.Name": m.From.Name} {
			if !utf8.ValidString(s) || strings.Contains(s, "\r") {
				t.Fatalf("Read(%.200q).%s = %.200q: invalid UTF-8 or CR", in, field, s)
			}
		}
		if len(m.Warnings) > maxWarnings+1 {
			t.Fatalf("Read(%.200q) gave %d warnings, want at most %d", in, len(m.Warnings), maxWarnings+1)
		}
		if depth > DefaultMaxDepth+1 {
			t.Fatalf("Read(%.200q): attached messages nested %d deep", in, depth)
		}
		for _, a := range m.Attached {
			check(a, depth+1)
		}
	}
	check(m, 0)
}

func FuzzRead(f *testing.F) {
	for _, path := range emlFiles(f) {
		raw, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Read(bytes.NewReader(in), Options{MaxSize: 1 << 20})
		checkReading(t, in, m, err)
		if m != nil {
			m.BodyText()
		}
		if len(in) < 64<<10 {
			checkSizedBuffers(t, in, Options{MaxSize: 1 << 20})
		}
	})
}

// mutate damages a message the ways transport and broken software do.
func mutate(r *rand.Rand, in []byte) []byte {
	b := append([]byte(nil), in...)
	for range 1 + r.IntN(8) {
		if len(b) == 0 {
			b = append(b, "Subject: x\r\n\r\n"...)
		}
		i := r.IntN(len(b))
		switch r.IntN(9) {
		case 0: // flip bytes
			for j := 0; j < 1+r.IntN(16) && i+j < len(b); j++ {
				b[i+j] ^= byte(1 + r.IntN(255))
			}
		case 1: // truncate
			b = b[:i]
		case 2: // delete a span
			j := min(len(b), i+r.IntN(200))
			b = append(b[:i], b[j:]...)
		case 3: // duplicate a span
			j := min(len(b), i+r.IntN(500))
			b = append(b[:j], append(append([]byte(nil), b[i:j]...), b[j:]...)...)
		case 4: // insert MIME syntax
			tokens := []string{"\r\n--", "--\r\n", "=?", "?=", "=?utf-8?B?", "=\r\n", "=ZZ", "\r\n\r\n",
				"Content-Type: multipart/mixed; boundary=x\r\n", "\r\n--x\r\n", "\r\n--x--\r\n",
				"Content-Transfer-Encoding: base64\r\n", "charset=\"", "filename*0*=", "<", ">", "\"", "(", "\x00", "\xff"}
			tok := tokens[r.IntN(len(tokens))]
			b = append(b[:i], append([]byte(tok), b[i:]...)...)
		case 5: // strip CRs
			b = bytes.ReplaceAll(b, []byte("\r"), nil)
		case 6: // nest in a multipart
			bnd := fmt.Sprintf("n%d", r.IntN(1000))
			b = []byte("Content-Type: multipart/mixed; boundary=" + bnd + "\r\n\r\n--" + bnd +
				"\r\nContent-Type: message/rfc822\r\n\r\n" + string(b) + "\r\n--" + bnd + "--\r\n")
		case 7: // random bytes in place
			for j := i; j < len(b) && j < i+r.IntN(64); j++ {
				b[j] = byte(r.UintN(256))
			}
		case 8: // long line
			b = append(b[:i], append(bytes.Repeat([]byte{byte('a' + r.IntN(26))}, r.IntN(20000)), b[i:]...)...)
		}
	}
	return b
}

// TestRandomInput reads 100 MB of random and mutated input in chunks from a
// seeded generator: no panic, no unexpected error, no broken promise.
func TestRandomInput(t *testing.T) {
	var seeds [][]byte
	for _, path := range emlFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, raw)
	}
	r := rand.New(rand.NewPCG(20250304, 42))
	// Random bytes come from a pool, filled once, at random offsets.
	pool := make([]byte, 4<<20)
	for i := 0; i+8 <= len(pool); i += 8 {
		binary.LittleEndian.PutUint64(pool[i:], r.Uint64())
	}
	randomBytes := func(n int) []byte {
		off := r.IntN(len(pool) - n)
		return pool[off : off+n]
	}
	// An attachment-sized blob, encoded once, in 76-character lines.
	blob := b64(string(randomBytes(1 << 20)))
	const total = 100 << 20
	done, inputs := 0, 0
	for done < total {
		var in []byte
		switch k := r.IntN(10); {
		case k < 6:
			in = mutate(r, seeds[r.IntN(len(seeds))])
		case k < 8:
			// A valid header over random bytes, to exercise the body paths.
			in = append([]byte("Subject: random\r\nContent-Type: multipart/mixed; boundary=\"\xff\"\r\n\r\n"), randomBytes(r.IntN(64<<10))...)
		default:
			// Large: many mutated fixtures and an attachment-sized blob in one multipart.
			var sb strings.Builder
			sb.WriteString("Subject: big\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n")
			for range 8 {
				sb.WriteString("--big\r\nContent-Type: message/rfc822\r\n\r\n")
				sb.Write(mutate(r, seeds[r.IntN(len(seeds))]))
				sb.WriteString("\r\n")
			}
			sb.WriteString("--big\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
			sb.WriteString(blob)
			sb.WriteString("\r\n--big--\r\n")
			in = mutate(r, []byte(sb.String()))
		}
		m, err := Read(bytes.NewReader(in), Options{})
		checkReading(t, in, m, err)
		done += len(in)
		inputs++
	}
	t.Logf("read %d inputs, %d MB", inputs, done>>20)
}

// adversarial are headers and bodies built to hit quadratic paths; they
// must read in time proportional to their size.
func adversarial() map[string]string {
	return map[string]string{
		"broken words":     "Subject: " + strings.Repeat("=?x", 100000) + "\r\n\r\nb",
		"adjacent words":   "Subject: " + strings.Repeat("=?utf-8?Q?a?= ", 20000) + "\r\n\r\nb",
		"group colons":     "To: " + strings.Repeat("a:", 100000) + "\r\n\r\nb",
		"many addresses":   "To: " + strings.Repeat("x@y.z, ", 30000) + "\r\n\r\nb",
		"comments":         "From: " + strings.Repeat("(", 50000) + "a@b.c" + "\r\n\r\nb",
		"long folded line": "Subject: a" + strings.Repeat("\r\n b", 60000) + "\r\n\r\nb",
		"params":           "Content-Type: text/plain" + strings.Repeat("; name*1*=%41", 20000) + "\r\n\r\nb",
		"parts":            "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + strings.Repeat("--b\r\n\r\nx\r\n", 100000),
		"nested":           strings.Repeat("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n", 10000),
		"qp spaces":        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + strings.Repeat(" ", 1<<20) + "=\r\nx",
		"base64 junk":      "Content-Transfer-Encoding: base64\r\n\r\n" + strings.Repeat("!", 1<<20),
		"long header line": "Subject: " + strings.Repeat("x", 1<<20) + "\r\n\r\nb",
		"flowed":           "Content-Type: text/plain; format=flowed\r\n\r\n" + strings.Repeat("a \r\n", 100000),
	}
}

func TestReadAdversarial(t *testing.T) {
	for name, in := range adversarial() {
		m, err := Read(strings.NewReader(in), Options{})
		checkReading(t, []byte(in), m, err)
		if err != nil {
			t.Errorf("%s: Read() error = %v", name, err)
		}
	}
}

func BenchmarkReadAdversarial(b *testing.B) {
	for name, in := range adversarial() {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				Read(strings.NewReader(in), Options{})
			}
		})
	}
}

// bigMessage builds a message of about size bytes: text, HTML, an attached
// message and base64 attachments that make up the bulk.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Big <big@example.com>\r\nTo: notes@coachmail.example\r\nSubject: Big\r\n" +
		"Date: Mon, 7 Apr 2025 10:00:00 +0000\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n" +
		"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.Repeat("Decision: keep the plan. ", 200) + "\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>" +
		strings.Repeat("Decision: keep the plan. ", 200) + "</p>\r\n--alt--\r\n" +
		"--outer\r\nContent-Type: message/rfc822\r\n\r\nFrom: inner@example.com\r\nSubject: inner\r\n" +
		"Content-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\ninner text\r\n" +
		"--inner\r\nContent-Type: application/pdf; name=inner.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	blob := []byte(filler(1 << 20))
	writeB64 := func(n int) {
		enc := base64.StdEncoding
		line := make([]byte, 76)
		for written := 0; written < n; {
			for off := 0; off+57 <= len(blob) && written < n; off += 57 {
				enc.Encode(line, blob[off:off+57])
				b.Write(line)
				b.WriteString("\r\n")
				written += 78
			}
		}
	}
	writeB64(size / 8)
	b.WriteString("--inner--\r\n\r\n")
	for i := 0; b.Len() < size-(1<<20); i++ {
		fmt.Fprintf(&b, "--outer\r\nContent-Type: application/octet-stream; name=\"file%d.bin\"\r\n"+
			"Content-Disposition: attachment; filename=\"file%d.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, i)
		writeB64(min(size/5, size-(1<<20)-b.Len()))
	}
	b.WriteString("--outer--\r\n")
	return b.Bytes()
}

// TestMemoryBound reads a message with attachments and checks that Read
// allocates less than three times its size: attachments are counted while
// they stream past, not buffered. BenchmarkRead40MB measures the same on
// 40 MB.
func TestMemoryBound(t *testing.T) {
	raw := bigMessage(8 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Read(bytes.NewReader(raw), Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) < 4 || len(m.Attached) != 1 {
		t.Fatalf("Read(big) = %d attachments, %d attached, want at least 4 and 1", len(m.Attachments), len(m.Attached))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*uint64(len(raw)) {
		t.Errorf("Read(%d bytes) allocated %d bytes, want under 3x the message size", len(raw), alloc)
	}
}

func BenchmarkRead(b *testing.B) {
	var msgs [][]byte
	size := 0
	for _, path := range emlFiles(b) {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
		size += len(raw)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range msgs {
			m, err := Read(bytes.NewReader(raw), Options{})
			if err != nil {
				b.Fatal(err)
			}
			m.BodyText()
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkRead40MB reads a generated 40 MB message with attachments and
// reports the bytes allocated per read as a multiple of the message size
// (alloc/size); the bound is 3.
func BenchmarkRead40MB(b *testing.B) {
	raw := bigMessage(40 << 20)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if _, err := Read(bytes.NewReader(raw), Options{MaxSize: int64(len(raw))}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perOp := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
	b.ReportMetric(perOp/float64(len(raw)), "alloc/size")
}

// TestReadSizedBuffers checks that reading an input of known length, whose
// buffers Read sizes from that length, gives the reading that an input of
// unknown length gives, read in the default buffers: on the fixtures and on
// mutations of them.
func TestReadSizedBuffers(t *testing.T) {
	r := rand.New(rand.NewPCG(20260301, 7))
	for _, path := range emlFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkSizedBuffers(t, raw, Options{})
		for range 8 {
			checkSizedBuffers(t, mutate(r, raw), Options{MaxHeaderBytes: 1 + r.IntN(2048), MaxTextBytes: 1 + r.IntN(4096)})
		}
	}
}

// checkSizedBuffers fails when Read gives another reading of in as a
// bytes.Reader than as a reader of unknown length, or one byte at a time.
func checkSizedBuffers(t *testing.T, in []byte, opts Options) {
	t.Helper()
	got, gotErr := Read(bytes.NewReader(in), opts)
	for _, r := range []io.Reader{struct{ io.Reader }{bytes.NewReader(in)}, iotest.OneByteReader(bytes.NewReader(in))} {
		want, wantErr := Read(r, opts)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("Read(bytes.Reader(%.200q)) = %+v, %v; Read(%T) = %+v, %v", in, got, gotErr, r, want, wantErr)
		}
	}
}
