package forward

import (
	"strings"
	"time"
)

// monthNames lists, per language, every form of each month's name that
// clients print: nominative, genitive or partitive (as in "26. října",
// "26. lokakuuta") and abbreviations that are not prefixes of those.
// Any prefix of three letters or more of a listed form also matches, so
// "okt.", "lokak." and "paź" need no entry. The order of languages is the
// order of preference when a word means different months in different
// languages ("listopad": November in Polish and Czech, October in Croatian)
// and nothing else decides.
var monthNames = []struct {
	lang   string
	months [12][]string
}{
	{"en", [12][]string{{"january"}, {"february"}, {"march"}, {"april"}, {"may"}, {"june"}, {"july"}, {"august"}, {"september", "sept"}, {"october"}, {"november"}, {"december"}}},
	{"fr", [12][]string{{"janvier"}, {"février", "fevrier"}, {"mars"}, {"avril"}, {"mai"}, {"juin"}, {"juillet", "juil"}, {"août", "aout"}, {"septembre"}, {"octobre"}, {"novembre"}, {"décembre", "decembre"}}},
	{"de", [12][]string{{"januar", "jänner"}, {"februar", "feber"}, {"märz", "mrz"}, {"april"}, {"mai"}, {"juni"}, {"juli"}, {"august"}, {"september"}, {"oktober"}, {"november"}, {"dezember"}}},
	{"es", [12][]string{{"enero"}, {"febrero"}, {"marzo"}, {"abril"}, {"mayo"}, {"junio"}, {"julio"}, {"agosto"}, {"septiembre", "setiembre"}, {"octubre"}, {"noviembre"}, {"diciembre"}}},
	{"it", [12][]string{{"gennaio"}, {"febbraio"}, {"marzo"}, {"aprile"}, {"maggio"}, {"giugno"}, {"luglio"}, {"agosto"}, {"settembre"}, {"ottobre"}, {"novembre"}, {"dicembre"}}},
	{"pt", [12][]string{{"janeiro"}, {"fevereiro"}, {"março", "marco"}, {"abril"}, {"maio"}, {"junho"}, {"julho"}, {"agosto"}, {"setembro"}, {"outubro"}, {"novembro"}, {"dezembro"}}},
	{"nl", [12][]string{{"januari"}, {"februari"}, {"maart", "mrt"}, {"april"}, {"mei"}, {"juni"}, {"juli"}, {"augustus"}, {"september"}, {"oktober"}, {"november"}, {"december"}}},
	{"sv", [12][]string{{"januari"}, {"februari"}, {"mars"}, {"april"}, {"maj"}, {"juni"}, {"juli"}, {"augusti"}, {"september"}, {"oktober"}, {"november"}, {"december"}}},
	{"da", [12][]string{{"januar"}, {"februar"}, {"marts"}, {"april"}, {"maj"}, {"juni"}, {"juli"}, {"august"}, {"september"}, {"oktober"}, {"november"}, {"december"}}},
	{"no", [12][]string{{"januar"}, {"februar"}, {"mars"}, {"april"}, {"mai"}, {"juni"}, {"juli"}, {"august"}, {"september"}, {"oktober"}, {"november"}, {"desember"}}},
	{"fi", [12][]string{
		{"tammikuu", "tammikuuta", "tammik"}, {"helmikuu", "helmikuuta", "helmik"}, {"maaliskuu", "maaliskuuta", "maalisk"},
		{"huhtikuu", "huhtikuuta", "huhtik"}, {"toukokuu", "toukokuuta", "toukok"}, {"kesäkuu", "kesäkuuta", "kesäk"},
		{"heinäkuu", "heinäkuuta", "heinäk"}, {"elokuu", "elokuuta", "elok"}, {"syyskuu", "syyskuuta", "syysk"},
		{"lokakuu", "lokakuuta", "lokak"}, {"marraskuu", "marraskuuta", "marrask"}, {"joulukuu", "joulukuuta", "jouluk"}}},
	{"et", [12][]string{{"jaanuar"}, {"veebruar"}, {"märts"}, {"aprill"}, {"mai"}, {"juuni"}, {"juuli"}, {"august"}, {"september"}, {"oktoober"}, {"november"}, {"detsember"}}},
	{"pl", [12][]string{
		{"styczeń", "stycznia"}, {"luty", "lutego"}, {"marzec", "marca"}, {"kwiecień", "kwietnia"}, {"maj", "maja"}, {"czerwiec", "czerwca"},
		{"lipiec", "lipca"}, {"sierpień", "sierpnia"}, {"wrzesień", "września"}, {"październik", "października"}, {"listopad", "listopada"}, {"grudzień", "grudnia"}}},
	{"cs", [12][]string{
		{"leden", "ledna"}, {"únor", "února"}, {"březen", "března"}, {"duben", "dubna"}, {"květen", "května"}, {"červen", "června"},
		{"červenec", "července"}, {"srpen", "srpna"}, {"září"}, {"říjen", "října"}, {"listopad", "listopadu"}, {"prosinec", "prosince"}}},
	{"sk", [12][]string{
		{"január", "januára"}, {"február", "februára"}, {"marec", "marca"}, {"apríl", "apríla"}, {"máj", "mája"}, {"jún", "júna"},
		{"júl", "júla"}, {"august", "augusta"}, {"september", "septembra"}, {"október", "októbra"}, {"november", "novembra"}, {"december", "decembra"}}},
	{"hu", [12][]string{{"január"}, {"február"}, {"március"}, {"április"}, {"május"}, {"június"}, {"július"}, {"augusztus"}, {"szeptember"}, {"október"}, {"november"}, {"december"}}},
	{"ro", [12][]string{{"ianuarie"}, {"februarie"}, {"martie"}, {"aprilie"}, {"mai"}, {"iunie"}, {"iulie"}, {"august"}, {"septembrie"}, {"octombrie"}, {"noiembrie"}, {"decembrie"}}},
	{"ru", [12][]string{
		{"январь", "января"}, {"февраль", "февраля"}, {"март", "марта"}, {"апрель", "апреля"}, {"май", "мая"}, {"июнь", "июня"},
		{"июль", "июля"}, {"август", "августа"}, {"сентябрь", "сентября"}, {"октябрь", "октября"}, {"ноябрь", "ноября"}, {"декабрь", "декабря"}}},
	{"uk", [12][]string{
		{"січень", "січня"}, {"лютий", "лютого"}, {"березень", "березня"}, {"квітень", "квітня"}, {"травень", "травня"}, {"червень", "червня"},
		{"липень", "липня"}, {"серпень", "серпня"}, {"вересень", "вересня"}, {"жовтень", "жовтня"}, {"листопад", "листопада"}, {"грудень", "грудня"}}},
	{"bg", [12][]string{{"януари"}, {"февруари"}, {"март"}, {"април"}, {"май"}, {"юни"}, {"юли"}, {"август"}, {"септември"}, {"октомври"}, {"ноември"}, {"декември"}}},
	{"tr", [12][]string{{"ocak"}, {"şubat"}, {"mart"}, {"nisan"}, {"mayıs"}, {"haziran"}, {"temmuz"}, {"ağustos"}, {"eylül"}, {"ekim"}, {"kasım"}, {"aralık"}}},
	{"el", [12][]string{
		{"ιανουάριος", "ιανουαρίου"}, {"φεβρουάριος", "φεβρουαρίου"}, {"μάρτιος", "μαρτίου"}, {"απρίλιος", "απριλίου"}, {"μάιος", "μαΐου"}, {"ιούνιος", "ιουνίου"},
		{"ιούλιος", "ιουλίου"}, {"αύγουστος", "αυγούστου"}, {"σεπτέμβριος", "σεπτεμβρίου"}, {"οκτώβριος", "οκτωβρίου"}, {"νοέμβριος", "νοεμβρίου"}, {"δεκέμβριος", "δεκεμβρίου"}}},
	{"sl", [12][]string{{"januar"}, {"februar"}, {"marec"}, {"april"}, {"maj"}, {"junij"}, {"julij"}, {"avgust"}, {"september"}, {"oktober"}, {"november"}, {"december"}}},
	{"ca", [12][]string{{"gener"}, {"febrer"}, {"març"}, {"abril"}, {"maig"}, {"juny"}, {"juliol"}, {"agost"}, {"setembre"}, {"octubre"}, {"novembre"}, {"desembre"}}},
	{"id", [12][]string{{"januari"}, {"februari"}, {"maret"}, {"april"}, {"mei"}, {"juni"}, {"juli"}, {"agustus"}, {"september"}, {"oktober"}, {"november"}, {"desember"}}},
	{"hr", [12][]string{
		{"siječanj", "siječnja"}, {"veljača", "veljače"}, {"ožujak", "ožujka"}, {"travanj", "travnja"}, {"svibanj", "svibnja"}, {"lipanj", "lipnja"},
		{"srpanj", "srpnja"}, {"kolovoz", "kolovoza"}, {"rujan", "rujna"}, {"listopad", "listopada"}, {"studeni", "studenoga", "studenog"}, {"prosinac", "prosinca"}}},
}

// weekdayNames lists, per language, weekday names and abbreviations from
// Sunday to Saturday. They are matched whole (after a trailing dot is
// removed), never by prefix.
var weekdayNames = []struct {
	lang string
	days [7][]string
}{
	{"en", [7][]string{{"sunday", "sun"}, {"monday", "mon"}, {"tuesday", "tue", "tues"}, {"wednesday", "wed"}, {"thursday", "thu", "thur", "thurs"}, {"friday", "fri"}, {"saturday", "sat"}}},
	{"fr", [7][]string{{"dimanche", "dim"}, {"lundi", "lun"}, {"mardi", "mar"}, {"mercredi", "mer"}, {"jeudi", "jeu"}, {"vendredi", "ven"}, {"samedi", "sam"}}},
	{"de", [7][]string{{"sonntag", "so"}, {"montag", "mo"}, {"dienstag", "di"}, {"mittwoch", "mi"}, {"donnerstag", "do"}, {"freitag", "fr"}, {"samstag", "sonnabend", "sa"}}},
	{"es", [7][]string{{"domingo", "dom"}, {"lunes", "lun"}, {"martes", "mar"}, {"miércoles", "mié", "mie"}, {"jueves", "jue"}, {"viernes", "vie"}, {"sábado", "sáb", "sab"}}},
	{"it", [7][]string{{"domenica", "dom"}, {"lunedì", "lunedi", "lun"}, {"martedì", "martedi", "mar"}, {"mercoledì", "mercoledi", "mer"}, {"giovedì", "giovedi", "gio"}, {"venerdì", "venerdi", "ven"}, {"sabato", "sab"}}},
	{"pt", [7][]string{{"domingo", "dom"}, {"segunda-feira", "segunda", "seg"}, {"terça-feira", "terça", "ter"}, {"quarta-feira", "quarta", "qua"}, {"quinta-feira", "quinta", "qui"}, {"sexta-feira", "sexta", "sex"}, {"sábado", "sáb"}}},
	{"nl", [7][]string{{"zondag", "zo"}, {"maandag", "ma"}, {"dinsdag", "di"}, {"woensdag", "wo"}, {"donderdag", "do"}, {"vrijdag", "vr"}, {"zaterdag", "za"}}},
	{"sv", [7][]string{{"söndag", "sön"}, {"måndag", "mån"}, {"tisdag", "tis"}, {"onsdag", "ons"}, {"torsdag", "tors", "tor"}, {"fredag", "fre"}, {"lördag", "lör"}}},
	{"da", [7][]string{{"søndag", "søn"}, {"mandag", "man"}, {"tirsdag", "tir"}, {"onsdag", "ons"}, {"torsdag", "tor"}, {"fredag", "fre"}, {"lørdag", "lør"}}},
	{"fi", [7][]string{{"sunnuntai", "sunnuntaina", "su"}, {"maanantai", "maanantaina", "ma"}, {"tiistai", "tiistaina", "ti"}, {"keskiviikko", "keskiviikkona", "ke"}, {"torstai", "torstaina", "to"}, {"perjantai", "perjantaina", "pe"}, {"lauantai", "lauantaina", "la"}}},
	{"et", [7][]string{{"pühapäev", "p"}, {"esmaspäev", "e"}, {"teisipäev", "t"}, {"kolmapäev", "k"}, {"neljapäev", "n"}, {"reede", "r"}, {"laupäev", "l"}}},
	{"pl", [7][]string{{"niedziela", "niedz", "ndz"}, {"poniedziałek", "pon"}, {"wtorek", "wt"}, {"środa", "śr"}, {"czwartek", "czw"}, {"piątek", "pt"}, {"sobota", "sob"}}},
	{"cs", [7][]string{{"neděle", "ne"}, {"pondělí", "po"}, {"úterý", "út"}, {"středa", "st"}, {"čtvrtek", "čt"}, {"pátek", "pá"}, {"sobota", "so"}}},
	{"sk", [7][]string{{"nedeľa", "ne"}, {"pondelok", "po"}, {"utorok", "ut"}, {"streda", "st"}, {"štvrtok", "št"}, {"piatok", "pi"}, {"sobota", "so"}}},
	{"hr", [7][]string{{"nedjelja", "ned"}, {"ponedjeljak", "pon"}, {"utorak", "uto"}, {"srijeda", "sri"}, {"četvrtak", "čet"}, {"petak", "pet"}, {"subota", "sub"}}},
	{"hu", [7][]string{{"vasárnap", "v"}, {"hétfő", "h"}, {"kedd", "k"}, {"szerda", "sze"}, {"csütörtök", "cs"}, {"péntek", "p"}, {"szombat", "szo"}}},
	{"ro", [7][]string{{"duminică", "dum"}, {"luni", "lun"}, {"marți", "mar"}, {"miercuri", "mie", "mier"}, {"joi"}, {"vineri", "vin"}, {"sâmbătă", "sâm", "sam"}}},
	{"ru", [7][]string{{"воскресенье", "вс"}, {"понедельник", "пн"}, {"вторник", "вт"}, {"среда", "ср"}, {"четверг", "чт"}, {"пятница", "пт"}, {"суббота", "сб"}}},
	{"uk", [7][]string{{"неділя", "нд"}, {"понеділок", "пн"}, {"вівторок", "вт"}, {"середа", "ср"}, {"четвер", "чт"}, {"п'ятниця", "пʼятниця", "пт"}, {"субота", "сб"}}},
	{"tr", [7][]string{{"pazar", "paz"}, {"pazartesi", "pzt"}, {"salı", "sal"}, {"çarşamba", "çar"}, {"perşembe", "per"}, {"cuma", "cum"}, {"cumartesi", "cmt"}}},
	{"ca", [7][]string{{"diumenge", "dg"}, {"dilluns", "dl"}, {"dimarts", "dt"}, {"dimecres", "dc"}, {"dijous", "dj"}, {"divendres", "dv"}, {"dissabte", "ds"}}},
	{"id", [7][]string{{"minggu"}, {"senin"}, {"selasa"}, {"rabu"}, {"kamis"}, {"jumat"}, {"sabtu"}}},
	{"el", [7][]string{{"κυριακή", "κυρ"}, {"δευτέρα", "δευ"}, {"τρίτη", "τρι"}, {"τετάρτη", "τετ"}, {"πέμπτη", "πεμ"}, {"παρασκευή", "παρ"}, {"σάββατο", "σαβ"}}},
	{"ja", [7][]string{{"日曜日", "日"}, {"月曜日", "月"}, {"火曜日", "火"}, {"水曜日", "水"}, {"木曜日", "木"}, {"金曜日", "金"}, {"土曜日", "土"}}},
	{"zh", [7][]string{{"星期日", "周日", "星期天"}, {"星期一", "周一"}, {"星期二", "周二"}, {"星期三", "周三"}, {"星期四", "周四"}, {"星期五", "周五"}, {"星期六", "周六"}}},
	{"ko", [7][]string{{"일요일", "일"}, {"월요일", "월"}, {"화요일", "화"}, {"수요일", "수"}, {"목요일", "목"}, {"금요일", "금"}, {"토요일", "토"}}},
}

// monthMeaning is one reading of a month word.
type monthMeaning struct {
	month time.Month
	lang  string
	exact bool // the whole word is a listed form, not a prefix of one
	order int  // index of the language in monthNames
}

// weekdayMeaning is one reading of a weekday word.
type weekdayMeaning struct {
	day  time.Weekday
	lang string
}

// calendarWords holds the month and weekday indexes. Built once, never
// written after package initialisation.
type calendarWords struct {
	months   map[string][]monthMeaning
	weekdays map[string][]weekdayMeaning
}

var calendar = buildCalendar()

func buildCalendar() calendarWords {
	c := calendarWords{
		months:   make(map[string][]monthMeaning),
		weekdays: make(map[string][]weekdayMeaning),
	}
	for li, lm := range monthNames {
		// Every prefix of three letters or more of every form, with the
		// months it may mean in this language.
		cand := make(map[string]map[int]bool)
		exactOf := make(map[string]int)
		for m, forms := range lm.months {
			for _, form := range forms {
				f := foldDate(form)
				exactOf[f] = m
				r := []rune(f)
				for n := min(3, len(r)); n <= len(r); n++ {
					p := string(r[:n])
					if cand[p] == nil {
						cand[p] = make(map[int]bool)
					}
					cand[p][m] = true
				}
			}
		}
		for p, ms := range cand {
			m, exact := exactOf[p]
			if !exact {
				if len(ms) != 1 {
					continue // "jui" is June or July in French
				}
				for k := range ms {
					m = k
				}
			}
			c.months[p] = append(c.months[p], monthMeaning{
				month: time.Month(m + 1), lang: lm.lang, exact: exact, order: li,
			})
		}
	}
	for _, lw := range weekdayNames {
		for d, forms := range lw.days {
			for _, form := range forms {
				f := foldDate(form)
				c.weekdays[f] = append(c.weekdays[f], weekdayMeaning{day: time.Weekday(d), lang: lw.lang})
			}
		}
	}
	return c
}

// foldDate lower-cases a date word and removes the Latin diacritics people
// often leave out, so that "fevrier" matches "février".
func foldDate(s string) string {
	s = fold(s)
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if x, ok := plainLetter[r]; ok {
			b.WriteString(x)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// plainLetter maps accented Latin letters to their plain forms.
var plainLetter = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ą': "a", 'ă': "a",
	'ç': "c", 'č': "c", 'ć': "c", 'ď': "d", 'đ': "d",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ě': "e", 'ę': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ı': "i",
	'ľ': "l", 'ĺ': "l", 'ł': "l", 'ñ': "n", 'ň': "n", 'ń': "n",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ő': "o", 'ø': "o",
	'ř': "r", 'š': "s", 'ś': "s", 'ş': "s", 'ș': "s", 'ť': "t", 'ţ': "t", 'ț': "t",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'ů': "u", 'ű': "u", 'ý': "y",
	'ž': "z", 'ź': "z", 'ż': "z", 'ğ': "g", 'ß': "ss", 'æ': "ae", 'œ': "oe",
	'ё': "е", 'ʼ': "'", '’': "'",
}

// zoneOffsets are the zone abbreviations clients print, in seconds east of
// UTC. Ambiguous ones (IST, CST in China) take their most common reading in
// mail: India for IST is left out, CST is US Central.
var zoneOffsets = map[string]int{
	"ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 3600, "bst": 3600,
	"cet": 3600, "cest": 7200, "met": 3600, "mest": 7200,
	"mez": 3600, "mesz": 7200, "oez": 7200, "oesz": 10800, "wez": 0, "wesz": 3600,
	"eet": 7200, "eest": 10800, "msk": 10800, "trt": 10800,
	"seč": 3600, "selč": 7200, "sec": 3600, "selc": 7200,
	"hec": 3600, "hnec": 3600, "hae": 7200, "haec": 7200,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600,
	"ast": -4 * 3600, "adt": -3 * 3600, "nst": -12600, "ndt": -9000,
	"brt": -3 * 3600, "art": -3 * 3600,
	"jst": 9 * 3600, "kst": 9 * 3600, "hkt": 8 * 3600, "sgt": 8 * 3600, "awst": 8 * 3600,
	"acst": 34200, "acdt": 37800, "aest": 10 * 3600, "aedt": 11 * 3600,
	"nzst": 12 * 3600, "nzdt": 13 * 3600,
}

// usZones are the abbreviations that suggest a month-first numeric date.
var usZones = map[string]bool{
	"est": true, "edt": true, "cst": true, "cdt": true, "mst": true, "mdt": true,
	"pst": true, "pdt": true, "akst": true, "akdt": true, "hst": true,
}
