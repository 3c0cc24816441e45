// Command gen writes zones_gen.go, the Windows-to-IANA time-zone table of
// package winzone, from CLDR's windowsZones.xml.
//
// Usage (from internal/winzone, as its go:generate directive does):
//
//	go run ./gen [-xml PATH] [-cldr VERSION] [-o zones_gen.go]
//
// The XML defaults to the file Debian's unicode-cldr-core package installs.
// The CLDR release is read from the ldmlSupplemental.dtd that the XML's
// DOCTYPE names (a #FIXED cldrVersion attribute); -cldr overrides it when the
// DTD is not installed beside the XML.
//
// Only the territory "001" rows are kept: CLDR marks that row as the default
// IANA zone for each Windows zone, which is what a calendar entry naming the
// Windows zone means.
package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// debianXML is where unicode-cldr-core installs the table.
const debianXML = "/usr/share/unicode/cldr/common/supplemental/windowsZones.xml"

func main() {
	xmlPath := flag.String("xml", debianXML, "path of CLDR's windowsZones.xml")
	version := flag.String("cldr", "", "CLDR release of the XML (default: read from the DTD its DOCTYPE names)")
	out := flag.String("o", "zones_gen.go", "output Go file")
	flag.Parse()

	if err := run(*xmlPath, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "winzone gen:", err)
		os.Exit(1)
	}
}

func run(xmlPath, version, out string) error {
	data, err := os.ReadFile(xmlPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && xmlPath == debianXML {
			return fmt.Errorf("%w (install Debian's unicode-cldr-core or pass -xml)", err)
		}
		return err
	}
	table, err := parse(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("parse %s: %w", xmlPath, err)
	}
	if version == "" {
		version, err = cldrVersion(xmlPath, data)
		if err != nil {
			return fmt.Errorf("find CLDR version (pass -cldr): %w", err)
		}
	}
	table.cldr = version
	src, err := render(table)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// mapping is one Windows zone and its default IANA zone.
type mapping struct {
	windows, iana string
}

// table is what the generated file records.
type table struct {
	cldr     string // CLDR release
	tzdata   string // tz database release the IANA names were checked against (typeVersion)
	windows  string // Windows registry version (otherVersion)
	mappings []mapping
}

// parse reads the mapTimezones element of windowsZones.xml.
func parse(r io.Reader) (table, error) {
	var doc struct {
		Map struct {
			OtherVersion string `xml:"otherVersion,attr"`
			TypeVersion  string `xml:"typeVersion,attr"`
			Zones        []struct {
				Other     string `xml:"other,attr"`
				Territory string `xml:"territory,attr"`
				Type      string `xml:"type,attr"`
			} `xml:"mapZone"`
		} `xml:"windowsZones>mapTimezones"`
	}
	dec := xml.NewDecoder(r)
	// The DOCTYPE names a DTD; encoding/xml does not fetch it, and the
	// document uses no entities that would need it.
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return table{}, err
	}
	t := table{tzdata: doc.Map.TypeVersion, windows: doc.Map.OtherVersion}
	seen := make(map[string]string)
	for _, z := range doc.Map.Zones {
		if z.Territory != "001" {
			continue
		}
		other := strings.TrimSpace(z.Other)
		// For 001 CLDR gives exactly one zone; a list would be a format
		// change this generator should not paper over.
		iana := strings.TrimSpace(z.Type)
		if other == "" || iana == "" || strings.ContainsAny(iana, " \t") {
			return table{}, fmt.Errorf("unexpected 001 row %q -> %q", z.Other, z.Type)
		}
		key := strings.ToLower(other)
		if prev, ok := seen[key]; ok {
			return table{}, fmt.Errorf("zone %q listed twice for 001 (%s, %s)", other, prev, iana)
		}
		seen[key] = iana
		t.mappings = append(t.mappings, mapping{windows: other, iana: iana})
	}
	if len(t.mappings) == 0 {
		return table{}, errors.New("no territory 001 rows in mapTimezones")
	}
	sort.Slice(t.mappings, func(i, j int) bool { return t.mappings[i].windows < t.mappings[j].windows })
	return t, nil
}

var (
	doctypeRE = regexp.MustCompile(`<!DOCTYPE\s+\w+\s+SYSTEM\s+"([^"]+)"`)
	versionRE = regexp.MustCompile(`<!ATTLIST\s+version\s+cldrVersion\s+CDATA\s+#FIXED\s+"([^"]+)"`)
)

// cldrVersion reads the CLDR release from the DTD named by the XML's DOCTYPE.
func cldrVersion(xmlPath string, data []byte) (string, error) {
	m := doctypeRE.FindSubmatch(data)
	if m == nil {
		return "", errors.New("no DOCTYPE naming a DTD")
	}
	dtdPath := filepath.Join(filepath.Dir(xmlPath), filepath.FromSlash(string(m[1])))
	dtd, err := os.ReadFile(dtdPath)
	if err != nil {
		return "", err
	}
	v := versionRE.FindSubmatch(dtd)
	if v == nil {
		return "", fmt.Errorf("%s: no fixed cldrVersion attribute", dtdPath)
	}
	return string(v[1]), nil
}

// render writes the Go source. The table is a switch rather than a map so the
// package holds no mutable state.
func render(t table) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/winzone/gen from CLDR %s windowsZones.xml; DO NOT EDIT.\n\n", t.cldr)
	b.WriteString("package winzone\n\n")
	fmt.Fprintf(&b, "// Windows time-zone data version in CLDR: %s.\n\n", t.windows)
	b.WriteString("// CLDRVersion is the CLDR release the table was generated from.\n")
	fmt.Fprintf(&b, "const CLDRVersion = %s\n\n", strconv.Quote(t.cldr))
	b.WriteString("// TZDataVersion is the tz database release CLDR checked the IANA names against.\n")
	fmt.Fprintf(&b, "const TZDataVersion = %s\n\n", strconv.Quote(t.tzdata))
	b.WriteString("// lookup returns the default (territory 001) IANA zone for a lower-cased Windows zone name.\n")
	b.WriteString("func lookup(key string) (string, bool) {\n\tswitch key {\n")
	for _, m := range t.mappings {
		fmt.Fprintf(&b, "\tcase %s:\n\t\treturn %s, true\n", strconv.Quote(strings.ToLower(m.windows)), strconv.Quote(m.iana))
	}
	b.WriteString("\t}\n\treturn \"\", false\n}\n\n")
	b.WriteString("// windowsNames returns every Windows zone name in the table, as CLDR spells it.\n")
	b.WriteString("func windowsNames() []string {\n\treturn []string{\n")
	for _, m := range t.mappings {
		fmt.Fprintf(&b, "\t\t%s,\n", strconv.Quote(m.windows))
	}
	b.WriteString("\t}\n}\n")
	return format.Source(b.Bytes())
}
