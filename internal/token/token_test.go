package token

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	key1 = bytes.Repeat([]byte{0x11}, 32)
	key2 = bytes.Repeat([]byte{0x22}, 32)
	// midnight is a UTC day boundary: a token keeps it exactly.
	midnight = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
)

func keyring(t *testing.T, current string, keys map[string][]byte) *Keyring {
	t.Helper()
	kr, err := NewKeyring(current, keys)
	if err != nil {
		t.Fatalf("NewKeyring(%q) = %v", current, err)
	}
	return kr
}

func sign(t *testing.T, kr *Keyring, tok Token) string {
	t.Helper()
	s, err := kr.Sign(tok)
	if err != nil {
		t.Fatalf("Sign(%+v) = %v", tok, err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1})
	for _, p := range []Purpose{Prompt, Recap, Reminder, Brief, Notice, Unsubscribe} {
		in := Token{ID: NewID(), Purpose: p, Expires: midnight}
		s := sign(t, kr, in)
		got, err := kr.Verify(s, midnight.Add(-time.Second))
		if err != nil {
			t.Fatalf("Verify(Sign(%+v)) = %v", in, err)
		}
		want := in
		want.KeyID = "k1"
		if got != want {
			t.Errorf("Verify(Sign(%+v)) = %+v, want %+v", in, got, want)
		}
		if strings.ToLower(s) != s || strings.ContainsAny(s, "=+/-_.") {
			t.Errorf("Sign(%+v) = %q, want lower-case base32 without padding", in, s)
		}
	}
}

func TestExpiryRoundsUp(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1})
	tests := []struct {
		expires, want time.Time
	}{
		{midnight, midnight},
		{midnight.Add(time.Nanosecond), midnight.Add(day)},
		{midnight.Add(23 * time.Hour), midnight.Add(day)},
		// A zone other than UTC: 01:00 in Paris on the 10th is midnight UTC.
		{time.Date(2026, 3, 10, 1, 0, 0, 0, time.FixedZone("CET", 3600)), midnight},
	}
	for _, test := range tests {
		s := sign(t, kr, Token{ID: NewID(), Purpose: Prompt, Expires: test.expires})
		got, err := kr.Verify(s, test.expires.Add(-time.Hour))
		if err != nil {
			t.Fatalf("Verify = %v", err)
		}
		if !got.Expires.Equal(test.want) {
			t.Errorf("Expires after Sign(%s) = %s, want %s", test.expires, got.Expires, test.want)
		}
	}
}

func TestExpired(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1})
	in := Token{ID: NewID(), Purpose: Recap, Expires: midnight}
	s := sign(t, kr, in)
	for _, now := range []time.Time{midnight, midnight.Add(time.Second), midnight.Add(400 * day)} {
		got, err := kr.Verify(s, now)
		if !errors.Is(err, ErrExpired) {
			t.Fatalf("Verify(at %s) = %v, want %v", now, err, ErrExpired)
		}
		// An expired token is still genuine, and says what it was for.
		if got.ID != in.ID || got.Purpose != in.Purpose {
			t.Errorf("Verify(at %s) = %+v, want the token's id and purpose", now, got)
		}
	}
}

// TestTamper changes each field of a genuine token, re-encodes it
// canonically, and checks that the result never verifies.
func TestTamper(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1, "k2": key2})
	s := sign(t, kr, Token{ID: NewID(), Purpose: Prompt, Expires: midnight})
	b, err := encoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	kidEnd := 2 + int(b[1])
	fields := []struct {
		name string
		at   int
		want error
	}{
		{"version", 0, ErrMalformed},
		{"key id length", 1, ErrMalformed},
		{"key id", 2, ErrUnknownKey},
		{"token id first byte", kidEnd, ErrBadSignature},
		{"token id last byte", kidEnd + idLen - 1, ErrBadSignature},
		{"purpose", kidEnd + idLen, ErrBadSignature},
		{"expiry high byte", kidEnd + idLen + 1, ErrBadSignature},
		{"expiry low byte", kidEnd + idLen + 2, ErrBadSignature},
		{"MAC first byte", len(b) - macLen, ErrBadSignature},
		{"MAC last byte", len(b) - 1, ErrBadSignature},
	}
	for _, f := range fields {
		c := bytes.Clone(b)
		c[f.at] ^= 0x01
		_, err := kr.Verify(encoding.EncodeToString(c), midnight.Add(-day))
		if !errors.Is(err, f.want) {
			t.Errorf("Verify with %s changed = %v, want %v", f.name, err, f.want)
		}
	}
	// The key id changed to another key the keyring holds: the MAC fails.
	c := bytes.Clone(b)
	c[3] = '2'
	if _, err := kr.Verify(encoding.EncodeToString(c), midnight.Add(-day)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify with key id k1 changed to k2 = %v, want %v", err, ErrBadSignature)
	}
	// Every single-character change of the string fails too.
	for i := range len(s) {
		for _, r := range "a7q" {
			if rune(s[i]) == r {
				continue
			}
			m := s[:i] + string(r) + s[i+1:]
			if got, err := kr.Verify(m, midnight.Add(-day)); err == nil {
				t.Errorf("Verify(%q), one character changed at %d, = %+v, want an error", m, i, got)
			}
		}
	}
}

func TestRotation(t *testing.T) {
	old := keyring(t, "k1", map[string][]byte{"k1": key1})
	s1 := sign(t, old, Token{ID: NewID(), Purpose: Prompt, Expires: midnight})

	rotated := keyring(t, "k2", map[string][]byte{"k1": key1, "k2": key2})
	got, err := rotated.Verify(s1, midnight.Add(-day))
	if err != nil {
		t.Fatalf("rotated keyring: Verify(old token) = %v", err)
	}
	if got.KeyID != "k1" {
		t.Errorf("old token's KeyID = %q, want k1", got.KeyID)
	}
	s2 := sign(t, rotated, Token{KeyID: "k1", ID: NewID(), Purpose: Prompt, Expires: midnight})
	got, err = rotated.Verify(s2, midnight.Add(-day))
	if err != nil {
		t.Fatalf("rotated keyring: Verify(new token) = %v", err)
	}
	if got.KeyID != "k2" {
		t.Errorf("new token's KeyID = %q, want the current key k2", got.KeyID)
	}
	if _, err := old.Verify(s2, midnight.Add(-day)); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old keyring: Verify(new token) = %v, want %v", err, ErrUnknownKey)
	}
	retired := keyring(t, "k2", map[string][]byte{"k2": key2})
	if _, err := retired.Verify(s1, midnight.Add(-day)); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("k1 retired: Verify(old token) = %v, want %v", err, ErrUnknownKey)
	}
	// Same id, different key material: a keyring that reuses the name k1
	// for another key refuses the old tokens.
	reused := keyring(t, "k1", map[string][]byte{"k1": key2})
	if _, err := reused.Verify(s1, midnight.Add(-day)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("k1 with other key: Verify = %v, want %v", err, ErrBadSignature)
	}
}

func TestLengthAndCase(t *testing.T) {
	longest := strings.Repeat("k", MaxKeyIDLen)
	kr := keyring(t, longest, map[string][]byte{longest: key1, "a": key2})
	for _, kid := range []string{"a", longest} {
		kr := keyring(t, kid, kr.keys)
		s := sign(t, kr, Token{ID: NewID(), Purpose: Unsubscribe, Expires: time.Date(2149, 6, 1, 0, 0, 0, 0, time.UTC)})
		if len(s) > MaxLen {
			t.Errorf("len(Sign) with key id %q = %d, want <= %d", kid, len(s), MaxLen)
		}
		if local := "reply+" + s; len(local) > 64 {
			t.Errorf("local part %q is %d octets, want <= 64 (RFC 5321)", local, len(local))
		}
		up := strings.ToUpper(s)
		if _, err := kr.Verify(up, midnight); err != nil {
			t.Errorf("Verify(upper-cased %q) = %v, want success", up, err)
		}
		mixed := strings.ToUpper(s[:len(s)/2]) + s[len(s)/2:]
		if _, err := kr.Verify(mixed, midnight); err != nil {
			t.Errorf("Verify(mixed-case %q) = %v, want success", mixed, err)
		}
	}
}

func TestMalformed(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1})
	s := sign(t, kr, Token{ID: NewID(), Purpose: Prompt, Expires: midnight})
	b, _ := encoding.DecodeString(s)
	for _, in := range []string{
		"",
		"a",
		"hello",
		s[:len(s)-1],
		s + "a",
		s + s,
		strings.Repeat("a", 1000),
		s[:10] + "1" + s[11:], // '1' is not in the alphabet
		s[:10] + "=" + s[11:],
		s[:10] + " " + s[11:],
		s + "====",
		encoding.EncodeToString(b[:len(b)-1]),
		encoding.EncodeToString(append(bytes.Clone(b), 0)),
	} {
		if got, err := kr.Verify(in, midnight.Add(-day)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) = %+v, %v, want %v", in, got, err, ErrMalformed)
		}
	}
	// A string whose last character carries non-zero padding bits decodes
	// to the same bytes, but is not the canonical form: refused.
	last := strings.IndexByte("abcdefghijklmnopqrstuvwxyz234567", s[len(s)-1])
	alias := s[:len(s)-1] + string("abcdefghijklmnopqrstuvwxyz234567"[last^1])
	if d, err := encoding.DecodeString(alias); err == nil && bytes.Equal(d, b) {
		if _, err := kr.Verify(alias, midnight.Add(-day)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(non-canonical alias) = %v, want %v", err, ErrMalformed)
		}
	}
}

func TestSignErrors(t *testing.T) {
	kr := keyring(t, "k1", map[string][]byte{"k1": key1})
	for _, tok := range []Token{
		{ID: "", Purpose: Prompt, Expires: midnight},
		{ID: "short", Purpose: Prompt, Expires: midnight},
		{ID: strings.ToUpper(NewID()), Purpose: Prompt, Expires: midnight},
		{ID: NewID() + "aa", Purpose: Prompt, Expires: midnight},
		{ID: NewID(), Purpose: "invite", Expires: midnight},
		{ID: NewID(), Purpose: Prompt},
		{ID: NewID(), Purpose: Prompt, Expires: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: NewID(), Purpose: Prompt, Expires: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if s, err := kr.Sign(tok); err == nil {
			t.Errorf("Sign(%+v) = %q, want an error", tok, s)
		}
	}
}

func TestNewKeyring(t *testing.T) {
	tests := []struct {
		name    string
		current string
		keys    map[string][]byte
		ok      bool
	}{
		{"one key", "k1", map[string][]byte{"k1": key1}, true},
		{"two keys", "2026-03", map[string][]byte{"2026-03": key1, "2025_12": key2}, true},
		{"no keys", "k1", nil, false},
		{"current missing", "k2", map[string][]byte{"k1": key1}, false},
		{"short key", "k1", map[string][]byte{"k1": key1[:MinKeyLen-1]}, false},
		{"long key id", "k123456789", map[string][]byte{"k123456789": key1}, false},
		{"key id with dot", "k.1", map[string][]byte{"k.1": key1}, false},
		{"empty key id", "", map[string][]byte{"": key1}, false},
	}
	for _, test := range tests {
		_, err := NewKeyring(test.current, test.keys)
		if (err == nil) != test.ok {
			t.Errorf("%s: NewKeyring = %v, want ok %v", test.name, err, test.ok)
		}
	}
	// The keyring copies the keys: changing the caller's slice changes nothing.
	k := bytes.Clone(key1)
	kr := keyring(t, "k1", map[string][]byte{"k1": k})
	s := sign(t, kr, Token{ID: NewID(), Purpose: Prompt, Expires: midnight})
	k[0] ^= 0xff
	if _, err := kr.Verify(s, midnight.Add(-day)); err != nil {
		t.Errorf("Verify after the caller changed its key slice = %v", err)
	}
}

func TestParseKeyring(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	raw := base64.RawStdEncoding.EncodeToString
	secret := b64(key1)
	good := `{"current":"k2","keys":{"k1":"` + secret + `","k2":"` + raw(key2) + `"}}`
	kr, err := ParseKeyring([]byte(good))
	if err != nil {
		t.Fatalf("ParseKeyring = %v", err)
	}
	if got, want := kr.Current(), "k2"; got != want {
		t.Errorf("Current() = %q, want %q", got, want)
	}
	if got, want := strings.Join(kr.KeyIDs(), ","), "k1,k2"; got != want {
		t.Errorf("KeyIDs() = %q, want %q", got, want)
	}
	if !bytes.Equal(kr.keys["k1"], key1) || !bytes.Equal(kr.keys["k2"], key2) {
		t.Errorf("ParseKeyring decoded other keys than given")
	}
	for _, bad := range []string{
		``,
		`{`,
		`{"current":"k1","keys":{"k1":"` + secret + `"`,
		`[]`,
		`{"current":"k1","keys":{"k1":"not base64!"}}`,
		`{"current":"k1","keys":{"k1":"` + b64([]byte("short")) + `"}}`,
		`{"current":"k9","keys":{"k1":"` + secret + `"}}`,
		`{"current":"k1","keys":{"k1":42}}`,
	} {
		_, err := ParseKeyring([]byte(bad))
		if err == nil {
			t.Errorf("ParseKeyring(%q) = nil error, want one", bad)
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:12]) {
			t.Errorf("ParseKeyring(%q) error %q shows the key", bad, err)
		}
	}
}

func TestReplyAddress(t *testing.T) {
	tok := "abcdefgh234567"
	addr := ReplyAddress(tok, "in.example.com")
	if want := "reply+abcdefgh234567@in.example.com"; addr != want {
		t.Errorf("ReplyAddress = %q, want %q", addr, want)
	}
	tests := []struct {
		addr, tok string
		ok        bool
	}{
		{addr, tok, true},
		{"REPLY+ABC@IN.EXAMPLE.COM", "ABC", true},
		{"reply+@in.example.com", "", false},
		{"reply@in.example.com", "", false},
		{"notes@in.example.com", "", false},
		{"reply+abc", "", false},
		{"", "", false},
	}
	for _, test := range tests {
		got, ok := FromAddress(test.addr)
		if got != test.tok || ok != test.ok {
			t.Errorf("FromAddress(%q) = %q, %v, want %q, %v", test.addr, got, ok, test.tok, test.ok)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id := NewID()
		if _, err := decodeID(id); err != nil {
			t.Fatalf("NewID() = %q: %v", id, err)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
}

func BenchmarkVerify(b *testing.B) {
	kr, _ := NewKeyring("k1", map[string][]byte{"k1": key1})
	s, _ := kr.Sign(Token{ID: NewID(), Purpose: Prompt, Expires: midnight})
	now := midnight.Add(-day)
	for b.Loop() {
		if _, err := kr.Verify(s, now); err != nil {
			b.Fatal(err)
		}
	}
}
