// Package token makes and checks the signed, expiring reply tokens that
// coachmail puts in the local part of its Reply-To addresses
// (reply+TOKEN@intake-domain) and in its one-click unsubscribe URLs.
//
// A token names, without revealing them, the email it answers: it carries a
// random token id that the store maps to a coaching.SentRef (session, leader,
// purpose). It also carries the purpose itself, an expiry day and the id of
// the key that signed it, and ends with a truncated HMAC-SHA256 (RFC 2104)
// over all of them, so that a reply address cannot be forged, altered or
// used after it expires. Keys are rotatable: a Keyring signs with its
// current key and verifies with whichever key a token names.
//
// Encoding. The token is the RFC 4648 base32 alphabet in lower case without
// padding: mail systems may change the case of a local part (RFC 5321
// section 2.4 lets them), so the token uses a single case and Verify folds
// the case before decoding. Only canonical encodings are accepted (no stray
// trailing bits), so no two strings verify as the same token. A token is at
// most MaxLen characters, which keeps "reply+" plus the token within the
// 64-octet limit of a local part (RFC 5321 section 4.5.3.1.1); this is
// stricter than the 64 characters the token alone would be allowed.
//
// Layout of the decoded bytes:
//
//	version (1) | key id length (1) | key id (1..8) | token id (10) |
//	purpose code (1) | expiry day, big endian (2) | MAC (12)
//
// The MAC is HMAC-SHA256, keyed by the named key, over a fixed context
// string followed by every byte before the MAC; it is truncated to 96 bits.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Errors of Verify. Each is returned wrapped; test with errors.Is.
var (
	// ErrMalformed: the string is not a token of this format.
	ErrMalformed = errors.New("token: malformed")
	// ErrUnknownKey: the token names a key that the keyring does not hold
	// (retired, or never ours).
	ErrUnknownKey = errors.New("token: unknown key")
	// ErrBadSignature: the MAC does not match; the token was forged or altered.
	ErrBadSignature = errors.New("token: bad signature")
	// ErrExpired: the token was genuine but its expiry has passed.
	ErrExpired = errors.New("token: expired")
)

// Purpose says which kind of email a token was issued for.
type Purpose string

// Purposes. The string values match coaching.EmailKind for the emails of the
// cycle, so a kind converts with Purpose(kind); Unsubscribe is the token of
// the List-Unsubscribe header.
const (
	Prompt      Purpose = "prompt"
	Recap       Purpose = "recap"
	Reminder    Purpose = "reminder"
	Brief       Purpose = "brief"
	Notice      Purpose = "notice"
	Unsubscribe Purpose = "unsubscribe"
)

// purposeCodes maps each purpose to its one-byte code in a token. It is
// never written to after initialisation.
var purposeCodes = map[Purpose]byte{
	Prompt:      'p',
	Recap:       'r',
	Reminder:    'm',
	Brief:       'b',
	Notice:      'n',
	Unsubscribe: 'u',
}

func purposeOf(code byte) (Purpose, bool) {
	for p, c := range purposeCodes {
		if c == code {
			return p, true
		}
	}
	return "", false
}

// Token is what a token string carries.
type Token struct {
	// KeyID names the key that signed the token. Sign ignores it and uses
	// the keyring's current key; Verify fills it in.
	KeyID string
	// ID is the token id: 16 lower-case base32 characters (80 random bits),
	// the same form as coaching.NewID. The store maps it to a SentRef.
	ID string
	// Purpose is the kind of email the token was issued for.
	Purpose Purpose
	// Expires is when the token stops verifying. A token keeps whole UTC
	// days: Sign rounds Expires up to the next UTC midnight (never down, so
	// a token lives at least as long as asked), and Verify returns that
	// midnight.
	Expires time.Time
}

// Sizes of the format.
const (
	// MaxLen is the longest token string: with the longest key id, a token
	// is 56 characters, and "reply+" plus MaxLen is 64.
	MaxLen = 58
	// MaxKeyIDLen is the longest key id.
	MaxKeyIDLen = 8
	// MinKeyLen is the shortest key accepted, in bytes; 32 are recommended
	// (openssl rand -base64 32).
	MinKeyLen = 16

	version  = 1
	idLen    = 10
	macLen   = 12
	fixedLen = 1 + 1 + idLen + 1 + 2 + macLen // all but the key id
	day      = 24 * time.Hour
)

// macContext separates this MAC from any other use of the same key.
const macContext = "coachmail reply token v1\x00"

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a random token id: 80 bits as 16 lower-case base32 characters.
func NewID() string {
	var b [idLen]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return encoding.EncodeToString(b[:])
}

// Keyring holds the keys that sign and verify tokens. It is immutable and
// safe for concurrent use.
type Keyring struct {
	current string
	keys    map[string][]byte
}

// NewKeyring returns a keyring that signs with keys[current] and verifies
// with any key in keys. Key ids are 1 to MaxKeyIDLen characters of
// [A-Za-z0-9_-]; keys are at least MinKeyLen bytes. The keys are copied.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("token: keyring: no keys")
	}
	kr := &Keyring{current: current, keys: make(map[string][]byte, len(keys))}
	for id, k := range keys {
		if !validKeyID(id) {
			return nil, fmt.Errorf("token: keyring: key id %q: want 1 to %d characters of A-Z, a-z, 0-9, '-', '_'", id, MaxKeyIDLen)
		}
		if len(k) < MinKeyLen {
			// Never print the key itself.
			return nil, fmt.Errorf("token: keyring: key %q is %d bytes, want at least %d", id, len(k), MinKeyLen)
		}
		kr.keys[id] = append([]byte(nil), k...)
	}
	if _, ok := kr.keys[current]; !ok {
		return nil, fmt.Errorf("token: keyring: current key %q is not among the keys", current)
	}
	return kr, nil
}

// ParseKeyring reads a keyring from its JSON configuration form,
// {"current":"k1","keys":{"k1":"<base64>","k0":"<base64>"}}, with each key in
// standard base64 (padded or not).
func ParseKeyring(data []byte) (*Keyring, error) {
	var cfg struct {
		Current string            `json:"current"`
		Keys    map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		// The JSON error may quote the input, which holds keys: say only where.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("token: keyring: invalid JSON at offset %d", se.Offset)
		}
		return nil, errors.New("token: keyring: want {\"current\":\"id\",\"keys\":{\"id\":\"base64\"}}")
	}
	keys := make(map[string][]byte, len(cfg.Keys))
	for id, s := range cfg.Keys {
		k, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			k, err = base64.RawStdEncoding.DecodeString(s)
		}
		if err != nil {
			return nil, fmt.Errorf("token: keyring: key %q is not base64", id)
		}
		keys[id] = k
	}
	return NewKeyring(cfg.Current, keys)
}

// Current returns the id of the key that signs new tokens.
func (kr *Keyring) Current() string { return kr.current }

// KeyIDs returns the ids of all keys, sorted.
func (kr *Keyring) KeyIDs() []string {
	ids := make([]string, 0, len(kr.keys))
	for id := range kr.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Sign returns the token string for t, signed with the current key. t.ID
// must be in NewID's form, t.Purpose one of the purposes, and t.Expires
// between 1970 and 2149 (the expiry day is 16 bits).
func (kr *Keyring) Sign(t Token) (string, error) {
	id, err := decodeID(t.ID)
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	code, ok := purposeCodes[t.Purpose]
	if !ok {
		return "", fmt.Errorf("token: sign: unknown purpose %q", t.Purpose)
	}
	exp, err := expiryDay(t.Expires)
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	kid := kr.current
	b := make([]byte, 0, fixedLen+len(kid))
	b = append(b, version, byte(len(kid)))
	b = append(b, kid...)
	b = append(b, id...)
	b = append(b, code)
	b = binary.BigEndian.AppendUint16(b, exp)
	b = append(b, mac(kr.keys[kid], b)...)
	return encoding.EncodeToString(b), nil
}

// Verify checks a token string and returns what it carries. Case is
// ignored. The checks run in this order, and the first that fails decides
// the error: the format (ErrMalformed), the key (ErrUnknownKey), the MAC
// (ErrBadSignature), the expiry (ErrExpired). With ErrExpired the token is
// returned too: its signature is genuine, so the caller may use it to say
// which email an expired reply answers.
func (kr *Keyring) Verify(s string, now time.Time) (Token, error) {
	if len(s) > MaxLen || len(s) < encoding.EncodedLen(fixedLen+1) {
		return Token{}, fmt.Errorf("%w: length %d", ErrMalformed, len(s))
	}
	s = strings.ToLower(s)
	b, err := encoding.DecodeString(s)
	if err != nil || encoding.EncodeToString(b) != s {
		return Token{}, fmt.Errorf("%w: not canonical base32", ErrMalformed)
	}
	if b[0] != version {
		return Token{}, fmt.Errorf("%w: version %d", ErrMalformed, b[0])
	}
	n := int(b[1])
	if n < 1 || n > MaxKeyIDLen || len(b) != fixedLen+n {
		return Token{}, fmt.Errorf("%w: key id length %d in %d bytes", ErrMalformed, n, len(b))
	}
	kid := string(b[2 : 2+n])
	rest := b[2+n:]
	signed, sum := b[:len(b)-macLen], b[len(b)-macLen:]
	key, ok := kr.keys[kid]
	if !ok {
		return Token{}, fmt.Errorf("%w: %q", ErrUnknownKey, kid)
	}
	if !hmac.Equal(sum, mac(key, signed)) {
		return Token{}, ErrBadSignature
	}
	purpose, ok := purposeOf(rest[idLen])
	if !ok {
		// Only reachable with a key that signed something else: still refuse.
		return Token{}, fmt.Errorf("%w: purpose code %q", ErrMalformed, rest[idLen])
	}
	t := Token{
		KeyID:   kid,
		ID:      encoding.EncodeToString(rest[:idLen]),
		Purpose: purpose,
		Expires: time.Unix(int64(binary.BigEndian.Uint16(rest[idLen+1:]))*int64(day/time.Second), 0).UTC(),
	}
	if !now.Before(t.Expires) {
		return t, fmt.Errorf("%w: at %s", ErrExpired, t.Expires.Format(time.DateOnly))
	}
	return t, nil
}

func mac(key, signed []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(macContext))
	h.Write(signed)
	return h.Sum(nil)[:macLen]
}

func decodeID(id string) ([]byte, error) {
	b, err := encoding.DecodeString(id)
	if err != nil || len(b) != idLen || encoding.EncodeToString(b) != id {
		return nil, fmt.Errorf("token id %q: want 16 lower-case base32 characters", id)
	}
	return b, nil
}

// expiryDay returns the number of the UTC day whose start is the first
// midnight at or after t.
func expiryDay(t time.Time) (uint16, error) {
	if t.IsZero() {
		return 0, errors.New("no expiry")
	}
	sec := t.Unix()
	d := sec / int64(day/time.Second)
	if sec%int64(day/time.Second) != 0 || t.Nanosecond() != 0 {
		d++
	}
	if sec <= 0 || d > 0xffff {
		return 0, fmt.Errorf("expiry %s out of range", t.UTC().Format(time.RFC3339))
	}
	return uint16(d), nil
}

func validKeyID(id string) bool {
	if len(id) < 1 || len(id) > MaxKeyIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// ReplyAddress returns the Reply-To address that carries token tok:
// reply+TOK@domain.
func ReplyAddress(tok, domain string) string {
	return replyPrefix + tok + "@" + domain
}

const replyPrefix = "reply+"

// FromAddress returns the token in a reply address (reply+TOKEN@domain, with
// the "reply" in any case), and false when addr is not one. It checks only
// the shape; Verify checks the token.
func FromAddress(addr string) (string, bool) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", false
	}
	local := addr[:at]
	if len(local) <= len(replyPrefix) || !strings.EqualFold(local[:len(replyPrefix)], replyPrefix) {
		return "", false
	}
	return local[len(replyPrefix):], true
}
