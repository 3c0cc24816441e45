package forward

import (
	"net/mail"
	"testing"
)

func TestParseAddressList(t *testing.T) {
	a := func(name, address string) mail.Address { return mail.Address{Name: name, Address: address} }
	tests := []struct {
		in   string
		want []mail.Address
	}{
		{"", nil},
		{"john@example.com", []mail.Address{a("", "john@example.com")}},
		{"John.Doe@Example.COM", []mail.Address{a("", "john.doe@example.com")}},
		{"John Doe <john@example.com>", []mail.Address{a("John Doe", "john@example.com")}},
		{`"Doe, John" <john@example.com>, ann@example.com`, []mail.Address{a("Doe, John", "john@example.com"), a("", "ann@example.com")}},
		{"Doe, John <john@example.com>; Roe, Ann <ann@example.com>", []mail.Address{a("Doe, John", "john@example.com"), a("Roe, Ann", "ann@example.com")}},
		{"John Doe [mailto:john@example.com]", []mail.Address{a("John Doe", "john@example.com")}},
		{"John Doe <john@example.com<mailto:john@example.com>>", []mail.Address{a("John Doe", "john@example.com")}},
		{"ann@example.com<mailto:ann@example.com>; Bob <bob@example.com>", []mail.Address{a("", "ann@example.com"), a("Bob", "bob@example.com")}},
		{"John Doe (john@example.com)", []mail.Address{a("John Doe", "john@example.com")}},
		{"'ann@example.com' <ann@example.com>", []mail.Address{a("", "ann@example.com")}},
		{"« Jean Dupont » <jean@example.fr>", []mail.Address{a("Jean Dupont", "jean@example.fr")}},
		{"*John Doe* <john@example.com>", []mail.Address{a("John Doe", "john@example.com")}},
		{"John Doe <john@example.com> on behalf of Team <team@example.com>", []mail.Address{a("John Doe", "john@example.com")}},
		{`"Ann \"the boss\" Roe" <ann@example.com>`, []mail.Address{a(`Ann "the boss" Roe`, "ann@example.com")}},
		{"John Doe", []mail.Address{a("John Doe", "")}},
		{"Doe, John", []mail.Address{a("Doe, John", "")}},
		{"John Doe; Ann Roe", []mail.Address{a("John Doe", ""), a("Ann Roe", "")}},
		{"John Doe, Ann Roe", []mail.Address{a("John Doe", ""), a("Ann Roe", "")}},
		{"<john@example.com", []mail.Address{a("", "john@example.com")}},
		{`"unclosed <john@example.com>`, []mail.Address{a("unclosed", "john@example.com")}},
	}
	for _, tt := range tests {
		got := parseAddressList(tt.in)
		if !sameAddresses(got, tt.want) {
			t.Errorf("parseAddressList(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
