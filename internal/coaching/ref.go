package coaching

import (
	"crypto/sha256"
	"regexp"
	"slices"
	"strings"
)

// refAlphabet is Crockford's base 32: digits and letters without I, L, O
// and U, so that a reference read aloud or typed again survives.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// refLen is the length of a session reference: 32^6 (a billion) values.
// References are only compared among one coach's recent sessions: for 300
// of them, the chance that two share one is about 1 in 24,000.
const refLen = 6

// SessionRef returns the short reference of a session, "S-" and six
// characters, that the coach's brief carries in its subject; notes whose
// subject keeps it are filed with that session. It is derived from the
// session id, so it needs no storage, and reveals nothing of it.
func SessionRef(sessionID string) string {
	sum := sha256.Sum256([]byte("coachmail session ref\x00" + sessionID))
	v := uint64(sum[0])<<32 | uint64(sum[1])<<24 | uint64(sum[2])<<16 | uint64(sum[3])<<8 | uint64(sum[4]) // 40 bits
	var b strings.Builder
	b.WriteString("S-")
	for i := refLen - 1; i >= 0; i-- {
		b.WriteByte(refAlphabet[(v>>(5*uint(i)))&31])
	}
	return b.String()
}

// refPattern finds a session reference in text, in any case.
var refPattern = regexp.MustCompile(`(?i)\bS-([0-9A-Z]{6})\b`)

// refDigits reads the letters Crockford's decoding takes for digits.
var refDigits = strings.NewReplacer("O", "0", "I", "1", "L", "1")

// FindSessionRefs returns the session references in text, normalized as
// SessionRef writes them, in order of appearance, without repeats. The
// letters Crockford's decoding reads as digits count as them (O for 0, I
// and L for 1), as a reference typed again from memory may have them.
func FindSessionRefs(text string) []string {
	var out []string
	for _, m := range refPattern.FindAllStringSubmatch(text, -1) {
		code := refDigits.Replace(strings.ToUpper(m[1]))
		if strings.ContainsRune(code, 'U') {
			continue // not in the alphabet: not one of ours
		}
		if ref := "S-" + code; !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	return out
}
