package htmltext

import (
	"strings"
	"unicode/utf8"
)

// dropsContainer reports whether an element is a quote container that
// DropQuotes removes with its content.
func dropsContainer(name string, a attrs) bool {
	if name == "blockquote" && strings.EqualFold(strings.TrimSpace(a.typ), "cite") {
		return true // Apple Mail, Thunderbird, iOS Mail
	}
	if hasPrefixFold(a.id, "yahoo_quoted") {
		return true
	}
	for _, cls := range strings.Fields(a.class) {
		switch strings.ToLower(cls) {
		case "gmail_quote", "gmail_quote_container", "moz-cite-prefix",
			"yahoo_quoted", "protonmail_quote":
			return true
		}
	}
	return false
}

// cutsRest reports whether an element starts the quoted part of an Outlook
// (or Zimbra) reply, after which the document holds only quoted history.
// Outlook prefixes ids with "x_" when it quotes HTML that it quoted before.
func cutsRest(name string, a attrs) bool {
	id := strings.ToLower(strings.TrimSpace(a.id))
	switch {
	case id == "":
	case strings.HasSuffix(id, "divrplyfwdmsg"),
		strings.HasSuffix(id, "appendonsend"),
		strings.HasSuffix(id, "mail-editor-reference-message-container"),
		strings.HasSuffix(id, "olk_src_body_section"),
		name == "hr" && id == "zwchr":
		return true
	}
	for _, cls := range strings.Fields(a.class) {
		if strings.EqualFold(cls, "OutlookMessageHeader") {
			return true
		}
	}
	return false
}

// fromLabels are the "From" labels Outlook writes at the start of the header
// block of a quoted message, lower-cased, without their colon.
var fromLabels = []string{
	"from", "von", "de", "de la", "da", "van", "från", "fra", "lähettäjä",
	"od", "от", "від", "од", "feladó", "kimden", "差出人", "送信者", "发件人",
	"寄件者", "寄件人", "보낸 사람", "από", "šalje", "saatja", "nuo", "no",
	"từ", "dari", "expéditeur", "remitente", "mittente", "afzender",
	"absender", "avsändare", "afsender", "avsender", "nadawca", "odesílatel",
	"отправитель", "من", "מאת", "จาก",
}

// maxFromLabel is the number of runes after which a separator candidate's
// text is known not to start with a label.
const maxFromLabel = 16

func startsWithFromLabel(t string) bool {
	t = strings.ToLower(strings.TrimLeft(t, "* \n"))
	for _, l := range fromLabels {
		if !strings.HasPrefix(t, l) {
			continue
		}
		rest := strings.TrimLeft(t[len(l):], " *")
		if strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "：") {
			return true
		}
	}
	return false
}

// separatorStyle reports whether an inline style draws the solid top border
// of Outlook desktop's quoted-header separator ("border:none;border-top:solid
// #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm").
func separatorStyle(style string) bool {
	found := false
	eachDecl(style, func(prop, val string) {
		if (prop == "border-top" || prop == "border-top-style") && strings.Contains(val, "solid") {
			found = true
		}
	})
	return found
}

// hiddenStyle reports whether an inline style hides the element and its
// content. font-size:0 is not enough: layouts set it on containers to remove
// gaps and set a real size again inside.
func hiddenStyle(style string) bool {
	if style == "" {
		return false
	}
	var hidden, zeroMax, clip bool
	eachDecl(style, func(prop, val string) {
		switch prop {
		case "display":
			hidden = hidden || val == "none"
		case "visibility":
			hidden = hidden || val == "hidden" || val == "collapse"
		case "opacity":
			hidden = hidden || zeroLength(val)
		case "max-height", "max-width", "height", "width":
			zeroMax = zeroMax || zeroLength(val)
		case "overflow":
			clip = clip || val == "hidden"
		}
	})
	return hidden || zeroMax && clip
}

// singleSpaced reports whether a paragraph is styled without margins, as
// Word and Outlook write every line (class MsoNormal and its relatives).
func singleSpaced(name string, a attrs) bool {
	if name != "p" {
		return false
	}
	for _, cls := range strings.Fields(a.class) {
		if hasPrefixFold(cls, "Mso") {
			return true
		}
	}
	var top, bottom bool
	eachDecl(a.style, func(prop, val string) {
		switch prop {
		case "margin":
			all := true
			for _, f := range strings.Fields(val) {
				all = all && zeroLength(f)
			}
			top, bottom = all, all
		case "margin-top":
			top = zeroLength(val)
		case "margin-bottom":
			bottom = zeroLength(val)
		}
	})
	return top && bottom
}

// eachDecl calls f for each declaration of an inline style, with the
// property lower-cased and the value lower-cased, trimmed and without
// "!important".
func eachDecl(style string, f func(prop, val string)) {
	for style != "" {
		var decl string
		decl, style, _ = strings.Cut(style, ";")
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		val = strings.ToLower(strings.TrimSpace(val))
		val = strings.TrimSpace(strings.TrimSuffix(val, "!important"))
		f(prop, val)
	}
}

// zeroLength reports whether a CSS length or number is zero ("0", "0px",
// "0.0pt", "0%").
func zeroLength(v string) bool {
	v = strings.TrimRight(v, "abcdefghijklmnopqrstuvwxyz%")
	if v == "" {
		return false
	}
	for _, c := range v {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) &&
		utf8.ValidString(s[:len(prefix)])
}
