package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output (review them before committing)")

// golden is what a fixture's golden file holds.
type golden struct {
	Notification *Notification `json:"notification,omitempty"`
	Suppresses   bool          `json:"suppresses,omitempty"`
	Error        string        `json:"error,omitempty"`
}

func fixtures(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if filepath.Base(f) != "sns-event.json" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	return out
}

func TestDecodeGolden(t *testing.T) {
	for _, file := range fixtures(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			n, err := Decode(data)
			var g golden
			if err != nil {
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("Decode(%s) error = %v, want ErrMalformed", name, err)
				}
				g.Error = err.Error()
			} else {
				g.Notification, g.Suppresses = &n, n.Suppresses()
			}
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Decode(%s) =\n%s\nwant\n%s", name, got, want)
			}
			if strings.HasPrefix(name, "bad-") != (g.Error != "") {
				t.Errorf("Decode(%s) error = %q; fixtures named bad-* and only they must fail", name, g.Error)
			}
			if strings.Contains(g.Error, "@") {
				t.Errorf("Decode(%s) error %q quotes an address", name, g.Error)
			}
		})
	}
}

func TestDecodeTypes(t *testing.T) {
	tests := []struct {
		in         string
		typ        Type
		suppresses bool
	}{
		{`{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, Bounce, true},
		{`{"notificationType":"Bounce","bounce":{"bounceType":"permanent","bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, Bounce, true},
		{`{"eventType":"bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, Bounce, false},
		{`{"eventType":"Bounce","bounce":{"bounceType":"Undetermined","bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, Bounce, false},
		{`{"eventType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, Bounce, false},
		{`{"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"a@example.org"}]}}`, Complaint, true},
		{`{"eventType":"Complaint","complaint":{"complaintFeedbackType":"Not-Spam","complainedRecipients":[{"emailAddress":"a@example.org"}]}}`, Complaint, false},
		{`{"eventType":"Complaint","complaint":{"complaintFeedbackType":"fraud","complainedRecipients":[{"emailAddress":"a@example.org"}]}}`, Complaint, true},
		// eventType wins over notificationType when both are present.
		{`{"eventType":"Delivery","notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.org"}]}}`, "Delivery", false},
		{`{"eventType":"Send","mail":{"messageId":"m"}}`, "Send", false},
		{`{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"MailboxFull"}}`, "DeliveryDelay", false},
	}
	for _, tt := range tests {
		n, err := Decode([]byte(tt.in))
		if err != nil {
			t.Errorf("Decode(%s) error = %v", tt.in, err)
			continue
		}
		if n.Type != tt.typ || n.Suppresses() != tt.suppresses {
			t.Errorf("Decode(%s) = type %q, suppresses %v; want %q, %v", tt.in, n.Type, n.Suppresses(), tt.typ, tt.suppresses)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ``},
		{"array", `[]`},
		{"null", `null`},
		{"type not a string", `{"eventType":7}`},
		{"no recipients", `{"eventType":"Complaint","complaint":{"complainedRecipients":[]}}`},
		{"only unusable recipients", `{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"@example.org"},{"emailAddress":"dana@"},{"emailAddress":"a\u0000b@example.org"}]}}`},
		{"too many recipients", `{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[` +
			strings.Repeat(`{"emailAddress":"a@example.org"},`, MaxRecipients) + `{"emailAddress":"b@example.org"}]}}`},
		{"too large", `{"eventType":"Bounce","pad":"` + strings.Repeat("x", MaxSize) + `"}`},
	}
	for _, tt := range tests {
		if n, err := Decode([]byte(tt.in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%s) = %+v, %v; want ErrMalformed", tt.name, n, err)
		}
	}
}

func TestBareAddress(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"dana@example.org", "dana@example.org", true},
		{"  Dana.Lee@Example.ORG ", "dana.lee@example.org", true},
		{`"Lee, Dana" <dana@example.org>`, "dana@example.org", true},
		{"Dana Lee <dana@example.org>", "dana@example.org", true},
		{"<dana@example.org>", "dana@example.org", true},
		{"broken <dana@example.org", "", false},
		{"Dana <<dana@example.org>>", "dana@example.org", true},
		{`"very.(),:;<>[]\".VERY.\"very@\\ \"very\".unusual"@strange.example.com`, `"very.(),:;<>[]\".very.\"very@\\ \"very\".unusual"@strange.example.com`, false},
		{"user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk", true},
		{"ünïcødé@example.org", "ünïcødé@example.org", true},
		{"", "", false},
		{"dana", "", false},
		{"dana@", "", false},
		{"@example.org", "", false},
		{"dana@exa mple.org", "", false},
		{"dana@example.org\r\nBcc: x@example.net", "", false},
		{strings.Repeat("a", 250) + "@example.org", "", false},
		{"\xff@example.org", "", false},
	}
	for _, tt := range tests {
		got, ok := bareAddress(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("bareAddress(%.80q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"smtp; 550 5.1.1 user unknown", 300, "smtp; 550 5.1.1 user unknown"},
		{"  smtp; 550-5.1.1 first\r\n 550 5.1.1\tsecond  ", 300, "smtp; 550-5.1.1 first 550 5.1.1 second"},
		{"a\x00b\x1bc", 300, "a b c"},
		{"abcdef", 4, "abcd"},
		{"ab cdef", 3, "ab"},
		{"héllo", 2, "h"},
		{"bad \xff byte", 300, "bad \uFFFD byte"},
		{strings.Repeat("x ", 10000), 10, "x x x x x"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in, tt.max); got != tt.want {
			t.Errorf("oneLine(%.60q, %d) = %.60q, want %.60q", tt.in, tt.max, got, tt.want)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "event-bounce-multiple.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
