// Package winzone maps Microsoft Windows time-zone names, as Outlook and
// Exchange write them in iCalendar TZID parameters ("W. Europe Standard
// Time", "Eastern Standard Time"), to IANA time-zone names.
//
// The table is generated from the Unicode CLDR windowsZones.xml
// (supplemental data, https://cldr.unicode.org) by the program in ./gen and
// committed as zones_gen.go; regenerate it with `go generate` after
// installing Debian's unicode-cldr-core. Only CLDR's territory "001" rows are
// used: they name the default zone for each Windows zone. Some IANA names in
// CLDR are backward-compatible links (Asia/Calcutta, America/Buenos_Aires);
// time.LoadLocation resolves them.
package winzone

import "strings"

//go:generate go run ./gen -o zones_gen.go

// IANA returns the IANA zone for the Windows time-zone name windowsName,
// using CLDR's default (territory "001") mapping. Matching ignores case and
// surrounding space. The boolean is false when the name is not a Windows
// zone CLDR knows.
func IANA(windowsName string) (string, bool) {
	return lookup(strings.ToLower(strings.TrimSpace(windowsName)))
}
