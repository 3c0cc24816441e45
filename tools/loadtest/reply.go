package main

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// The people of the load: leaders get a name and an address of their own
// company, coaches one of their practice. All domains are under .example
// (RFC 2606): nothing is ever delivered there, and nothing leaves loopback
// anyway.
var (
	firstNames = []string{"Amara", "Bastian", "Chloe", "Dana", "Emeka", "Farah", "Gustavo", "Hana", "Ines", "Jonas", "Keiko", "Luca", "Maya", "Nils", "Olu", "Priya", "Quentin", "Rosa", "Sami", "Tomasz"}
	lastNames  = []string{"Okafor", "Lindqvist", "Moreau", "Lee", "Nwosu", "Haddad", "Pereira", "Sato", "Castro", "Weber", "Tanaka", "Romano", "Cohen", "Berg", "Adeyemi", "Raman", "Girard", "Alvarez", "Kariuki", "Nowak"}
	companies  = []string{"brightline", "harbourworks", "kestrel-labs", "northfield", "quayside", "tallgrass", "verdant", "wavecrest"}
	// zones have no daylight-saving change in December, so that a prompt is
	// due exactly a day before its session wherever the leader lives.
	zones = []string{"Europe/London", "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Asia/Singapore", "Asia/Tokyo", "Africa/Lagos", "Asia/Kolkata"}
	// codenames make each answer name something no other answer names, so
	// that the stored focus answer shows which reply it came from.
	codenames = []string{"Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Keystone", "Lumen"}
)

// answerFormats are focus answers as leaders write them: a few sentences,
// sometimes a line break, about the thing that matters this week. %s is
// the unique project name.
var answerFormats = []string{
	"Honestly? The %s rollout. Two of my leads disagree on the scope and I keep putting off the conversation because I don't want to pick a side.",
	"I want to talk about delegating %s. I'm still the bottleneck on every decision there and it's wearing me out.\n\nAlso: I snapped at my team on Thursday and I'd like to understand why.",
	"Mostly the board update on %s. We're six weeks behind and I don't know how to say that without it sounding like an excuse.",
	"Hiring for %s: we've interviewed nine people and I can't tell whether my bar is too high or whether I'm just afraid of getting it wrong.",
	"The feedback I owe Sam about %s. It has been three weeks, and it's getting harder to bring up, not easier.",
	"Whether to say yes to leading %s. It's a big step up — and I'd be managing people who were my peers a month ago.",
}

// answer is the focus answer of reply k, naming a project no other reply
// names, and that name.
func answer(k int) (text, marker string) {
	marker = fmt.Sprintf("%s-%d", codenames[k%len(codenames)], 1000+k)
	return fmt.Sprintf(answerFormats[k%len(answerFormats)], marker), marker
}

// prompt is what a reply is written to: the summary and body of a prompt
// in the outbox.
type prompt struct {
	From      string // the From header, decoded ("Northwind Coaching <coaching@...>")
	To        string // the leader's address
	ReplyTo   string
	Subject   string
	MessageID string
	Refs      []string
	Date      time.Time
	Text      string
	HTML      string
}

// replyMail is one reply to send: envelope and raw message.
type replyMail struct {
	from, rcpt string
	raw        []byte
}

// style writes a reply as one mail client does.
type style struct {
	name  string
	write func(p prompt, l leader, answer string, n int, at time.Time) []byte
}

// styles are the mail clients leaders reply from, in turn: Gmail (answer
// above an "On ... wrote:" attribution and the quoted prompt, text and
// HTML), Outlook (answer above a From/Sent/To/Subject block and the prompt
// unquoted, text and HTML), iPhone Mail (answer, "Sent from my iPhone",
// then everything quoted), and Thunderbird (format=flowed text with the
// attribution and the prompt quoted).
var styles = []style{
	{"gmail", gmailReply},
	{"outlook", outlookReply},
	{"iphone", iphoneReply},
	{"thunderbird", thunderbirdReply},
}

// compose writes reply n to p from leader l with the style of n.
func compose(p prompt, l leader, answer string, n int, at time.Time) replyMail {
	st := styles[n%len(styles)]
	return replyMail{from: l.email, rcpt: p.ReplyTo, raw: st.write(p, l, answer, n, at)}
}

// header writes the fields every reply has, in the order clients write
// them, then extra.
func header(b *bytes.Buffer, p prompt, l leader, msgID string, at time.Time, extra ...string) {
	loc := l.loc
	refs := append(append([]string(nil), p.Refs...), p.MessageID)
	for i, r := range refs {
		refs[i] = "<" + r + ">"
	}
	fmt.Fprintf(b, "From: %s\r\n", mime.QEncoding.Encode("utf-8", l.name)+" <"+l.email+">")
	fmt.Fprintf(b, "Date: %s\r\n", at.In(loc).Format(time.RFC1123Z))
	fmt.Fprintf(b, "Message-ID: <%s>\r\n", msgID)
	fmt.Fprintf(b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", "Re: "+p.Subject))
	fmt.Fprintf(b, "To: %s\r\n", p.ReplyTo)
	fmt.Fprintf(b, "In-Reply-To: <%s>\r\n", p.MessageID)
	fmt.Fprintf(b, "References: %s\r\n", strings.Join(refs, " "))
	for _, f := range extra {
		b.WriteString(f + "\r\n")
	}
}

// alternative writes a multipart/alternative body of a text and an HTML
// part, each quoted-printable.
func alternative(b *bytes.Buffer, boundary, text, htm string) {
	mw := multipart.NewWriter(b)
	_ = mw.SetBoundary(boundary)
	fmt.Fprintf(b, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", boundary)
	for _, part := range []struct{ ctype, body string }{
		{`text/plain; charset="UTF-8"`, text},
		{`text/html; charset="UTF-8"`, htm},
	} {
		w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		writeQP(w, part.body)
	}
	_ = mw.Close()
}

func writeQP(w io.Writer, s string) {
	q := quotedprintable.NewWriter(w)
	_, _ = q.Write([]byte(crlf(s)))
	_ = q.Close()
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// quote prefixes each line of s with "> " (">" for an empty line).
func quote(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> " + line + "\n")
		}
	}
	return b.String()
}

func htmlParagraphs(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			b.WriteString("<div><br></div>")
		} else {
			b.WriteString("<div>" + html.EscapeString(line) + "</div>")
		}
	}
	return b.String()
}

func gmailReply(p prompt, l leader, answer string, n int, at time.Time) []byte {
	var b bytes.Buffer
	header(&b, p, l, fmt.Sprintf("CAL%07d+load%x@mail.gmail.example", n, at.Unix()), at, "MIME-Version: 1.0")
	attribution := fmt.Sprintf("On %s, %s wrote:", p.Date.In(l.loc).Format("Mon, 2 Jan 2006 at 15:04"), p.From)
	text := answer + "\n\n" + attribution + "\n\n" + quote(p.Text)
	htm := `<div dir="ltr">` + htmlParagraphs(answer) + `</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">` +
		html.EscapeString(attribution) + `<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">` +
		p.HTML + "</blockquote></div>\n"
	alternative(&b, fmt.Sprintf("0000000000001f%08x", n), text, htm)
	return b.Bytes()
}

func outlookReply(p prompt, l leader, answer string, n int, at time.Time) []byte {
	var b bytes.Buffer
	header(&b, p, l, fmt.Sprintf("AM9PR04MB%07dLOAD%x@AM9PR04MB8410.eurprd04.prod.outlook.example", n, at.Unix()), at,
		"Thread-Topic: "+mime.QEncoding.Encode("utf-8", p.Subject), "Accept-Language: en-GB, en-US", "Content-Language: en-GB",
		"X-MS-Has-Attach:", "X-MS-TNEF-Correlator:", "MIME-Version: 1.0")
	sent := p.Date.In(l.loc).Format("Monday, January 2, 2006 3:04 PM")
	text := answer + "\n\n________________________________\nFrom: " + p.From + "\nSent: " + sent + "\nTo: " + l.name + " <" + l.email +
		">\nSubject: " + p.Subject + "\n\n" + p.Text
	htm := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div style="font-family: Aptos, Calibri, Helvetica, sans-serif; font-size: 12pt;">` +
		htmlParagraphs(answer) + `</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">` +
		`<font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> ` + html.EscapeString(p.From) + `<br><b>Sent:</b> ` + sent +
		`<br><b>To:</b> ` + html.EscapeString(l.name+" <"+l.email+">") + `<br><b>Subject:</b> ` + html.EscapeString(p.Subject) +
		`</font><div>&nbsp;</div></div><div>` + p.HTML + "</div></body></html>\n"
	alternative(&b, fmt.Sprintf("_000_AM9PR04MB%07dLOAD_", n), text, htm)
	return b.Bytes()
}

func iphoneReply(p prompt, l leader, answer string, n int, at time.Time) []byte {
	var b bytes.Buffer
	header(&b, p, l, fmt.Sprintf("%08X-LOAD-4C1E-9F2B-%012X@%s", n, at.Unix(), domainOf(l.email)), at,
		"X-Mailer: iPhone Mail (22B91)", "Mime-Version: 1.0 (1.0)",
		"Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable")
	b.WriteString("\r\n")
	attribution := fmt.Sprintf("On %s, %s wrote:", p.Date.In(l.loc).Format("2 Jan 2006, at 15:04"), p.From)
	writeQP(&b, answer+"\n\nSent from my iPhone\n\n"+quote(attribution+"\n\n"+p.Text))
	return b.Bytes()
}

func thunderbirdReply(p prompt, l leader, answer string, n int, at time.Time) []byte {
	var b bytes.Buffer
	header(&b, p, l, fmt.Sprintf("%08x-load-%x@%s", n, at.Unix(), domainOf(l.email)), at,
		"User-Agent: Mozilla Thunderbird", "MIME-Version: 1.0", "Content-Language: en-GB",
		"Content-Type: text/plain; charset=UTF-8; format=flowed", "Content-Transfer-Encoding: 8bit")
	b.WriteString("\r\n")
	attribution := fmt.Sprintf("On %s, %s wrote:", p.Date.In(l.loc).Format("02/01/2006 15:04"), p.From)
	b.WriteString(crlf(flow(answer) + "\n\n" + attribution + "\n" + quote(p.Text)))
	return b.Bytes()
}

// flow wraps each paragraph at 72 columns as format=flowed does (RFC
// 3676): a soft break is a line that ends in a space.
func flow(s string) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			if line != "" && len(line)+1+len(w) > 72 {
				out = append(out, line+" ")
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}
