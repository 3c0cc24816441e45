package forward

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in    string
		langs []string
		want  string // RFC 3339, "" when the date must not be read
	}{
		// The forms named in the brief.
		{"Mon, 25 Nov 2026 at 10:02", nil, "2026-11-25T10:02:00Z"},
		{"25 nov. 2026 à 10:02", nil, "2026-11-25T10:02:00Z"},
		{"Montag, 25. November 2026 um 10:02", nil, "2026-11-25T10:02:00Z"},
		{"25. листопада 2026 р. о 10:02", nil, "2026-11-25T10:02:00Z"},
		{"2026年11月25日(水) 10:02", nil, "2026-11-25T10:02:00Z"},
		{"11/25/2026 10:02 AM", nil, "2026-11-25T10:02:00Z"},
		// RFC 5322 and ISO 8601.
		{"Wed, 3 Nov 2021 15:51:30 +0100", nil, "2021-11-03T15:51:30+01:00"},
		{"2026-11-25T10:02:00-05:00", nil, "2026-11-25T10:02:00-05:00"},
		// Twelve-hour clocks.
		{"Tuesday, November 24, 2026 5:12 PM", nil, "2026-11-24T17:12:00Z"},
		{"Tuesday, November 24, 2026 12:05:43 AM", nil, "2026-11-24T00:05:43Z"},
		{"Monday, 1 August 2022 11:11 pm", nil, "2022-08-01T23:11:00Z"},
		{"martes, 24 de noviembre de 2026 5:12 p. m.", nil, "2026-11-24T17:12:00Z"},
		{"2026년 11월 25일 (수) 오후 3:02", nil, "2026-11-25T15:02:00Z"},
		// Zones.
		{"25 October 2021 at 11:17:21 EEST", nil, "2021-10-25T11:17:21+03:00"},
		{"Dienstag, 2. November 2021, 09:26:50 MEZ", nil, "2021-11-02T09:26:50+01:00"},
		{"úterý 2. listopadu 2021 09:26:50 SEČ", nil, "2021-11-02T09:26:50+01:00"},
		{"Monday, September 19, 2022, 5:55:44 PM -0400", nil, "2022-09-19T17:55:44-04:00"},
		{"26 октября 2021 г. в 14:25:08 GMT+3", nil, "2021-10-26T14:25:08+03:00"},
		{"mardi 2 novembre 2021, 09:26:50 UTC+1", nil, "2021-11-02T09:26:50+01:00"},
		{"Tue, 24 Nov 2026 17:12 (GMT+05:30)", nil, "2026-11-24T17:12:00+05:30"},
		{"02/10/2023 4:52 PM EST", nil, "2023-02-10T16:52:00-05:00"},
		// Dots, words between, inflected months.
		{"26. oktober 2021 kl. 14.25.08 EEST", nil, "2021-10-26T14:25:08+03:00"},
		{"ke 27. lokak. 2021 klo 9.31", nil, "2021-10-27T09:31:00Z"},
		{"st 27. 10. 2021 v 9:31", nil, "2021-10-27T09:31:00Z"},
		{"2021. okt. 27., Sze, 9:31", nil, "2021-10-27T09:31:00Z"},
		{"csütörtök, 2021. október 28. 12:46", nil, "2021-10-28T12:46:00Z"},
		{"qua., 27 de out. de 2021 às 09:31", nil, "2021-10-27T09:31:00Z"},
		{"quarta, 27/10/2021 à(s) 09:31", nil, "2021-10-27T09:31:00Z"},
		{"śr., 27 paź 2021 o 09:31", nil, "2021-10-27T09:31:00Z"},
		{"27 Eki 2021 Çar, 09:31", nil, "2021-10-27T09:31:00Z"},
		{"ср, 27 жовт. 2021 о 09:31", nil, "2021-10-27T09:31:00Z"},
		{"mer 27 ott 2021 alle ore 09:31", nil, "2021-10-27T09:31:00Z"},
		{"K, 27. oktoober 2021 kell 09:31", nil, "2021-10-27T09:31:00Z"},
		{"Mi., 27. Okt. 2021 um 09:31 Uhr", nil, "2021-10-27T09:31:00Z"},
		{"jeudi 26 novembre 2026 à 17h30", nil, "2026-11-26T17:30:00Z"},
		{"2022年9月19日月曜日 17:55:44 -0400", nil, "2022-09-19T17:55:44-04:00"},
		{"2026年11月25日 10時02分", nil, "2026-11-25T10:02:00Z"},
		{"28/10/21, 12:46", nil, "2021-10-28T12:46:00Z"},
		{"2026-11-25 10:02", nil, "2026-11-25T10:02:00Z"},
		{"Τετάρτη, 25 Νοεμβρίου 2026 10:02 π.μ.", nil, "2026-11-25T10:02:00Z"},
		{"2026年11月25日 星期三 下午3:02", nil, "2026-11-25T15:02:00Z"},
		{"dimecres, 25 de novembre de 2026 10:02", nil, "2026-11-25T10:02:00Z"},
		{"Rabu, 25 November 2026 10.02", nil, "2026-11-25T10:02:00Z"},
		{"On Wednesday, November 25th, 2026 at 10:02 AM", nil, "2026-11-25T10:02:00Z"},
		{"le 1er décembre 2026 à 09:00", nil, "2026-12-01T09:00:00Z"},
		// "listopad" is November in Polish and Czech, October in Croatian:
		// the labels' language decides, else the weekday, else Polish.
		{"26. listopada 2021. u 14:25:08 EEST", []string{"hr"}, "2021-10-26T14:25:08+03:00"},
		{"sri, 27. lis 2021. u 09:31", []string{"hr"}, "2021-10-27T09:31:00Z"},
		{"sri, 27. lis 2021. u 09:31", nil, "2021-10-27T09:31:00Z"},
		{"wtorek, 2 listopada 2021, 09:26:50 CET", []string{"pl"}, "2021-11-02T09:26:50+01:00"},
		{"2 listopada 2021 09:26", nil, "2021-11-02T09:26:00Z"},
		// A weekday that is also a month abbreviation ("mar") is not the month.
		{"mar. 2 nov. 2021 09:26", nil, "2021-11-02T09:26:00Z"},
		{"2 mar 2021 09:26", nil, "2021-03-02T09:26:00Z"},
		// Unreadable.
		{"", nil, ""},
		{"yesterday", nil, ""},
		{"31 November 2026 10:02", nil, ""},
		{"Date unknown", nil, ""},
		{"99/99/9999 99:99", nil, ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, tt.langs, time.UTC)
		if tt.want == "" {
			if ok {
				t.Errorf("parseDate(%q, %v) = %v, want no date", tt.in, tt.langs, got)
			}
			continue
		}
		want, err := time.Parse(time.RFC3339, tt.want)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || !got.Equal(want) {
			t.Errorf("parseDate(%q, %v) = %v, %v, want %v", tt.in, tt.langs, got, ok, want)
		}
	}
}

func TestParseDateLocation(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	got, ok := parseDate("Montag, 25. November 2026 um 10:02", nil, paris)
	want := time.Date(2026, 11, 25, 10, 2, 0, 0, paris)
	if !ok || !got.Equal(want) {
		t.Errorf("parseDate in CET = %v, %v, want %v", got, ok, want)
	}
	// A printed zone wins over the location.
	got, ok = parseDate("25 Nov 2026 10:02 -0500", nil, paris)
	want = time.Date(2026, 11, 25, 15, 2, 0, 0, time.UTC)
	if !ok || !got.Equal(want) {
		t.Errorf("parseDate with zone = %v, %v, want %v", got, ok, want)
	}
}
