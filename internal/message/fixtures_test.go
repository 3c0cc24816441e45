package message

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The .eml files in testdata are written by this generator, so that their
// non-ASCII content is encoded in the charset each one declares. Run
// `go test ./internal/message -run TestFixtures -gen` after changing it;
// TestFixtures fails when the files and the generator disagree.
var gen = flag.Bool("gen", false, "rewrite testdata/*.eml from the fixture generator")

var encodings = map[string]encoding.Encoding{
	"iso-8859-1":   charmap.ISO8859_1,
	"iso-8859-15":  charmap.ISO8859_15,
	"windows-1252": charmap.Windows1252,
	"windows-1251": charmap.Windows1251,
	"koi8-r":       charmap.KOI8R,
	"shift_jis":    japanese.ShiftJIS,
	"iso-2022-jp":  japanese.ISO2022JP,
	"gb18030":      simplifiedchinese.GB18030,
	"big5":         traditionalchinese.Big5,
	"euc-kr":       korean.EUCKR,
}

// enc returns s encoded in charset cs.
func enc(cs, s string) string {
	if strings.EqualFold(cs, "utf-8") {
		return s
	}
	e, ok := encodings[strings.ToLower(cs)]
	if !ok {
		panic("fixture charset " + cs)
	}
	out, err := e.NewEncoder().String(s)
	if err != nil {
		panic(fmt.Sprintf("encode %q in %s: %v", s, cs, err))
	}
	return out
}

func qp(b string) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write([]byte(b))
	w.Close()
	return strings.ReplaceAll(buf.String(), "\r\n", "\n") // crlf() adds the CRs back
}

func b64(b string) string {
	s := base64.StdEncoding.EncodeToString([]byte(b))
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	out.WriteString(s + "\n")
	return out.String()
}

// bword and qword are RFC 2047 encoded words of s in charset cs.
func bword(cs, s string) string {
	return "=?" + cs + "?B?" + base64.StdEncoding.EncodeToString([]byte(enc(cs, s))) + "?="
}

func qword(cs, s string) string {
	var b strings.Builder
	for _, c := range []byte(enc(cs, s)) {
		switch {
		case c == ' ':
			b.WriteByte('_')
		case c < 0x80 && c > 0x20 && c != '=' && c != '?' && c != '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return "=?" + cs + "?Q?" + b.String() + "?="
}

// splitWords encodes s as two UTF-8 B words split after byte at, which may
// fall inside a character, as some mailers split them.
func splitWords(s string, at int) string {
	e := base64.StdEncoding.EncodeToString
	return "=?UTF-8?B?" + e([]byte(s[:at])) + "?=\n =?UTF-8?B?" + e([]byte(s[at:])) + "?="
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// filler is deterministic filler for attachments.
func filler(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

type fixture struct {
	name string
	raw  string
}

func fixtures() []fixture {
	var fs []fixture
	add := func(name, raw string) { fs = append(fs, fixture{name, crlf(raw)}) }
	addLF := func(name, raw string) { fs = append(fs, fixture{name, raw}) }

	add("gmail-reply-utf8", `MIME-Version: 1.0
Date: Tue, 4 Mar 2025 09:12:44 +0100
References: <CAF3x9=prompt-1@mail.gmail.com> <coach-42@coachmail.example>
In-Reply-To: <coach-42@coachmail.example>
Message-ID: <CAH7Yq=reply-1@mail.gmail.com>
Subject: Re: =?UTF-8?Q?Your_commitments_=E2=80=94_week_10?=
From: =?UTF-8?Q?Ren=C3=A9e_Dupr=C3=A9?= <Renee.Dupre@gmail.com>
To: Coach <notes@coachmail.example>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

`+qp("1 done — the hiring plan went to the board on Friday.\n2 not yet, budget is frozen until April.\n\nThanks for the nudge!\nRenée\n\nOn Mon, 3 Mar 2025 at 18:00, Coach <notes@coachmail.example> wrote:\n\n> Here is what you committed to:\n> 1. Send the hiring plan\n> 2. Talk to the CFO\n")+`
--000000000000a1b2c3d4e5f60718
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

`+qp(`<div dir="ltr"><div>1 done — the hiring plan went to the board on Friday.</div><div>2 not yet, budget is frozen until April.</div><div><br></div><div>Thanks for the nudge!</div><div>Renée</div></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, 3 Mar 2025 at 18:00, Coach &lt;<a href="mailto:notes@coachmail.example">notes@coachmail.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Here is what you committed to:<br><ol><li>Send the hiring plan</li><li>Talk to the CFO</li></ol></blockquote></div>
`)+`
--000000000000a1b2c3d4e5f60718--
`)

	add("outlook-desktop-windows1252", `Received: from AM0PR02MB1234.eurprd02.prod.outlook.com ([fe80::1]) by AM0PR02MB1234.eurprd02.prod.outlook.com with mapi id 15.20.8489.025; Wed, 5 Mar 2025 14:03:11 +0000
From: "O'Brien, Siobhan" <Siobhan.OBrien@contoso.example>
To: "notes@coachmail.example" <notes@coachmail.example>
CC: Mark Jensen <mark.jensen@contoso.example>
Subject: RE: Session notes
Thread-Topic: Session notes
Thread-Index: AdmNbX1c2r8qQ7lxT0eH9m1Z3xY4Aw==
Date: Wed, 5 Mar 2025 14:03:10 +0000
Message-ID: <AM0PR02MB1234ABCD@AM0PR02MB1234.eurprd02.prod.outlook.com>
In-Reply-To: <session-7@coachmail.example>
Accept-Language: en-IE, en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
X-Auto-Response-Suppress: All
Content-Type: multipart/alternative;
	boundary="_000_AM0PR02MB1234ABCD_"
MIME-Version: 1.0

--_000_AM0PR02MB1234ABCD_
Content-Type: text/plain; charset="Windows-1252"
Content-Transfer-Encoding: quoted-printable

`+qp(enc("windows-1252", "Hi,\n\nThat’s right – I’ll talk to the CFO before the board meeting.\nCosts: €12k.\n\nSiobhan\n\nFrom: Coach <notes@coachmail.example>\nSent: Tuesday, March 4, 2025 6:00 PM\nTo: O'Brien, Siobhan <Siobhan.OBrien@contoso.example>\nSubject: Session notes\n\nDecision: hire a COO.\n"))+`
--_000_AM0PR02MB1234ABCD_
Content-Type: text/html; charset="Windows-1252"
Content-Transfer-Encoding: quoted-printable

`+qp(enc("windows-1252", `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=Windows-1252"><style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt;} --></style></head><body lang="EN-IE"><div class="WordSection1"><p class="MsoNormal">Hi,<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">That’s right – I’ll talk to the CFO before the board meeting.<o:p></o:p></p><p class="MsoNormal">Costs: €12k.<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">Siobhan<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> Coach &lt;notes@coachmail.example&gt;<br><b>Sent:</b> Tuesday, March 4, 2025 6:00 PM<br><b>To:</b> O'Brien, Siobhan<br><b>Subject:</b> Session notes<o:p></o:p></p></div></div><p class="MsoNormal">Decision: hire a COO.<o:p></o:p></p></div></body></html>`))+`
--_000_AM0PR02MB1234ABCD_--
`)

	add("apple-mail-flowed", `From: Marta Lindqvist <marta@lindqvist.example>
Content-Type: multipart/alternative;
	boundary="Apple-Mail=_5E1B0C2D-3F4A-4B5C-8D9E-0F1A2B3C4D5E"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \(3774.600.62\))
Subject: Re: Next session
Date: Thu, 6 Mar 2025 21:40:02 +0100
In-Reply-To: <session-8@coachmail.example>
To: notes@coachmail.example
References: <session-8@coachmail.example>
Message-Id: <7C3A1D2E-9B8F-4E6D-A5C4-B3A2F1E0D9C8@lindqvist.example>
X-Mailer: Apple Mail (2.3774.600.62)

--Apple-Mail=_5E1B0C2D-3F4A-4B5C-8D9E-0F1A2B3C4D5E
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8;
	delsp=yes;
	format=flowed

`+qp("Thursday works. I will bring the draft of the reorganisation plan and  \nthe notes from my talk with Jonas.\n\nMarta\n\n> On 6 Mar 2025, at 18:00, Coach <notes@coachmail.example> wrote:\n>\n> Can we meet on Thursday at 10:00? I would like to go through the  \n> plan.\n")+`
--Apple-Mail=_5E1B0C2D-3F4A-4B5C-8D9E-0F1A2B3C4D5E
Content-Transfer-Encoding: quoted-printable
Content-Type: text/html;
	charset=utf-8

`+qp(`<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">Thursday works. I will bring the draft of the reorganisation plan and the notes from my talk with Jonas.<div><br></div><div>Marta<br id="lineBreakAtBeginningOfMessage"><div><br><blockquote type="cite"><div>On 6 Mar 2025, at 18:00, Coach &lt;notes@coachmail.example&gt; wrote:</div><br class="Apple-interchange-newline"><div><div>Can we meet on Thursday at 10:00? I would like to go through the plan.</div></div></blockquote></div><br></div></body></html>`)+`
--Apple-Mail=_5E1B0C2D-3F4A-4B5C-8D9E-0F1A2B3C4D5E--
`)

	add("iphone-reply", `Content-Type: text/plain;
	charset=utf-8
Content-Transfer-Encoding: quoted-printable
From: Daniel Okafor <dokafor@icloud.example>
Mime-Version: 1.0 (1.0)
Date: Fri, 7 Mar 2025 07:15:33 -0500
Subject: Re: Your commitments
Message-Id: <A1B2C3D4-E5F6-4789-ABCD-EF0123456789@icloud.example>
References: <prompt-9@coachmail.example>
In-Reply-To: <prompt-9@coachmail.example>
To: notes@coachmail.example
X-Mailer: iPhone Mail (22D72)

`+qp("Done with the hiring plan. Dropped #3, no longer relevant after the merger=\n.\n\nSent from my iPhone\n\n> On Mar 6, 2025, at 6:00 PM, Coach <notes@coachmail.example> wrote:\n>\n> 1. Hiring plan\n> 2. Budget review\n> 3. Offsite agenda\n")+`
`)

	add("thunderbird-flowed", `Message-ID: <4f1c2d3e-5a6b-7c8d-9e0f-1a2b3c4d5e6f@posteo.example>
Date: Sat, 8 Mar 2025 11:02:17 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Subject: Re: Reflection questions
To: notes@coachmail.example
References: <reflect-3@coachmail.example>
Content-Language: de-DE
From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen.mueller@posteo.example>
In-Reply-To: <reflect-3@coachmail.example>
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Ich habe entschieden, das Team in zwei Gruppen aufzuteilen. Die 
Entscheidung fällt mir schwer, aber sie ist richtig.

Grüße
Jürgen

Am 07.03.25 um 18:00 schrieb Coach:
> Was hat sich seit unserem letzten Gespräch verändert? Bitte 
> antworte in ein paar Sätzen.
>> Zitat aus der vorigen Nachricht
`)

	add("latin1-8bit-french", `From: =?iso-8859-1?Q?H=E9l=E8ne_Mar=E9chal?= <helene.marechal@orange.example>
To: notes@coachmail.example
Subject: =?iso-8859-1?Q?D=E9cisions_de_la_s=E9ance?=
Date: Mon, 10 Mar 2025 08:30:00 +0100
Message-ID: <20250310083000.1234@orange.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

`+enc("iso-8859-1", "Bonjour,\n\nJ'ai décidé de déléguer la préparation du comité à Élodie.\nÀ faire : appeler le DRH avant vendredi.\n\nBien à vous,\nHélène\n"))

	add("windows1251-base64-russian", `From: =?windows-1251?B?`+base64.StdEncoding.EncodeToString([]byte(enc("windows-1251", "Ольга Смирнова")))+`?= <olga@yandex.example>
To: notes@coachmail.example
Subject: `+bword("windows-1251", "Итоги сессии")+`
Date: Tue, 11 Mar 2025 12:00:00 +0300
Message-ID: <1741683600.987654@yandex.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1251"
Content-Transfer-Encoding: base64

`+b64(enc("windows-1251", "Добрый день!\n\nЯ решила поговорить с финансовым директором до заседания совета.\nСрок: пятница.\n\nОльга\n")))

	add("koi8r-qp-russian", `From: =?koi8-r?Q?=F0=C1=D7=C5=CC_=E9=D7=C1=CE=CF=D7?= <pavel@mail.example>
To: notes@coachmail.example
Subject: `+qword("koi8-r", "Ответ: задачи")+`
Date: Wed, 12 Mar 2025 16:45:00 +0300
Message-ID: <koi8-1@mail.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: quoted-printable

`+qp(enc("koi8-r", "1 сделано\n2 ещё нет, бюджет заморожен\n\nПавел\n")))

	add("shiftjis-base64-japanese", `From: `+bword("iso-2022-jp", "山田太郎")+` <taro.yamada@example.co.jp>
To: notes@coachmail.example
Subject: `+bword("iso-2022-jp", "セッションの")+`
 `+bword("iso-2022-jp", "まとめ")+`
Date: Thu, 13 Mar 2025 10:20:00 +0900
Message-ID: <20250313102000.5678@example.co.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset="Shift_JIS"
Content-Transfer-Encoding: base64

`+b64(enc("shift_jis", "お疲れ様です。\n\n来週までに採用計画を取締役会に提出することにしました。\n\n山田\n")))

	add("iso2022jp-7bit-japanese", `From: `+bword("iso-2022-jp", "佐藤花子")+` <hanako@example.ne.jp>
To: notes@coachmail.example
Subject: `+bword("iso-2022-jp", "Re: 次回のセッション")+`
Date: Fri, 14 Mar 2025 09:00:00 +0900
Message-ID: <jis-1@example.ne.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

`+enc("iso-2022-jp", "木曜日で大丈夫です。\n資料を準備します。\n\n佐藤\n"))

	add("gb18030-chinese", `From: "=?GB18030?B?`+base64.StdEncoding.EncodeToString([]byte(enc("gb18030", "王伟")))+`?=" <wangwei@example.cn>
To: notes@coachmail.example
Subject: `+bword("gb18030", "会议纪要")+`
Date: Sat, 15 Mar 2025 14:30:00 +0800
Message-ID: <gb-1@example.cn>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="----=_NextPart_5E1B_0001"

------=_NextPart_5E1B_0001
Content-Type: text/plain; charset="GB18030"
Content-Transfer-Encoding: base64

`+b64(enc("gb18030", "决定：下周一之前完成预算审查。\n\n王伟\n"))+`
------=_NextPart_5E1B_0001
Content-Type: text/html; charset="GB18030"
Content-Transfer-Encoding: base64

`+b64(enc("gb18030", "<html><body><p>决定：下周一之前完成预算审查。</p><p>王伟</p></body></html>"))+`
------=_NextPart_5E1B_0001--
`)

	add("big5-qp-chinese", `From: `+bword("big5", "陳美玲")+` <meiling@example.tw>
To: notes@coachmail.example
Subject: `+qword("big5", "回覆：承諾事項")+`
Date: Sun, 16 Mar 2025 20:00:00 +0800
Message-ID: <big5-1@example.tw>
MIME-Version: 1.0
Content-Type: text/plain; charset="big5"
Content-Transfer-Encoding: quoted-printable

`+qp(enc("big5", "1 完成\n3 放棄\n\n美玲\n")))

	add("euckr-outlook-korean", `From: =?ks_c_5601-1987?B?`+base64.StdEncoding.EncodeToString([]byte(enc("euc-kr", "김민준")))+`?= <minjun.kim@example.kr>
To: "notes@coachmail.example" <notes@coachmail.example>
Subject: =?ks_c_5601-1987?B?`+base64.StdEncoding.EncodeToString([]byte(enc("euc-kr", "회의 결과")))+`?=
Date: Mon, 17 Mar 2025 11:11:11 +0900
Message-ID: <PS2PR01MB2345@PS2PR01MB2345.apcprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="ks_c_5601-1987"
Content-Transfer-Encoding: base64

`+b64(enc("euc-kr", "다음 주까지 채용 계획을 완료하겠습니다.\n\n김민준\n")))

	add("html-only-newsletter", `From: Leadership Digest <digest@news.example>
To: notes@coachmail.example
Subject: This week: delegation that sticks
Date: Tue, 18 Mar 2025 06:00:00 +0000
Message-ID: <digest-2025-11@news.example>
List-Id: Leadership Digest <digest.news.example>
List-Unsubscribe: <https://news.example/u/abc>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

`+qp(`<!DOCTYPE html><html><head><title>Digest</title><style>.x{color:red}</style><script>track()</script></head><body><div style="display:none;max-height:0;overflow:hidden;mso-hide:all">Three habits of leaders who delegate well&zwnj;&nbsp;&zwnj;&nbsp;</div><table role="presentation" width="100%"><tr><td><img src="https://news.example/logo.png" alt="Logo"></td><td><h1>Delegation that sticks</h1></td></tr></table><p>Three habits:</p><ul><li>Agree on the outcome, not the method</li><li>Name a check-in date</li><li>Let go of the <b>how</b></li></ul><table><tr><th>Habit</th><th>Effort</th></tr><tr><td>Outcome</td><td>Low</td></tr><tr><td>Check-in</td><td>Medium</td></tr></table><p>Read more on <a href="https://news.example/a">our site</a> &mdash; or reply &amp; tell us.</p><p style="font-size:11px">You get this because you subscribed. <a href="https://news.example/u">Unsubscribe</a></p></body></html>`)+`
`)

	add("html-only-outlook-web", `From: Priya Raman <priya.raman@fabrikam.example>
To: Coach <notes@coachmail.example>
Subject: Re: Check-in
Date: Wed, 19 Mar 2025 15:20:00 +0000
Message-ID: <DB9PR03MB5678@DB9PR03MB5678.eurprd03.prod.outlook.com>
In-Reply-To: <checkin-4@coachmail.example>
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

`+qp(enc("iso-8859-1", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><div style="font-family: Aptos, sans-serif;">Hi,</div><div style="font-family: Aptos, sans-serif;"><br></div><div style="font-family: Aptos, sans-serif;">I decided to move the offsite to May. Action: book the venue by 1 April.</div><div style="font-family: Aptos, sans-serif;"><br></div><div style="font-family: Aptos, sans-serif;">Priya</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt"><b>From:</b> Coach &lt;notes@coachmail.example&gt;<br><b>Sent:</b> Tuesday, March 18, 2025 6:00 PM<br><b>Subject:</b> Check-in</font><div>&nbsp;</div></div><div>How did the offsite planning go?</div></body></html>`))+`
`)

	add("attachments-rfc2231", `From: Ana Souza <ana.souza@example.com.br>
To: notes@coachmail.example
Subject: =?UTF-8?Q?Relat=C3=B3rio_e_fotos?=
Date: Thu, 20 Mar 2025 10:00:00 -0300
Message-ID: <attach-1@example.com.br>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary-1"

--mixed-boundary-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Segue o relatório da reunião e a foto do quadro.

Ana
--mixed-boundary-1
Content-Type: application/pdf;
 name="=?UTF-8?Q?Relat=C3=B3rio_mar=C3=A7o.pdf?="
Content-Disposition: attachment;
 filename*0*=UTF-8''Relat%C3%B3rio%20;
 filename*1*=mar%C3%A7o.pdf
Content-Transfer-Encoding: base64

`+b64("%PDF-1.4\n"+filler(3000))+`
--mixed-boundary-1
Content-Type: image/jpeg; name="IMG_0042.JPG"
Content-Disposition: inline; filename="C:\Users\ana\Pictures\IMG_0042.JPG"
Content-Transfer-Encoding: base64

`+b64("\xff\xd8\xff\xe0"+filler(5000))+`
--mixed-boundary-1
Content-Type: text/csv; charset=utf-8; name="actions.csv"
Content-Disposition: attachment; filename="actions.csv"

who,what,when
ana,book venue,2025-04-01
--mixed-boundary-1--
`)

	add("forward-as-attachment", `From: Coach Kim <kim@coachmail.example>
To: notes@coachmail.example
Subject: Fwd: Board feedback
Date: Fri, 21 Mar 2025 09:00:00 +0000
Message-ID: <fwd-1@coachmail.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=us-ascii

Notes for Lena's file, see the attached message.

--outer
Content-Type: message/rfc822; name="Board feedback.eml"
Content-Disposition: attachment; filename="Board feedback.eml"

From: Lena Hoffmann <lena.hoffmann@example.de>
To: Coach Kim <kim@coachmail.example>
Cc: "Board Office" <board@example.de>
Subject: Board feedback
Date: Thu, 20 Mar 2025 17:45:00 +0100
Message-ID: <lena-77@example.de>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

`+qp("The board approved the reorganisation. Decision: Jonas leads the new unit.\n\nLena\n")+`
--inner
Content-Type: text/html; charset=utf-8

<p>The board approved the reorganisation. Decision: Jonas leads the new unit.</p><p>Lena</p>
--inner--

--outer--
`)

	add("outlook-calendar-invite", `From: Tom Becker <tom.becker@contoso.example>
To: Coach <notes@coachmail.example>
Subject: Coaching session
Thread-Topic: Coaching session
Date: Mon, 24 Mar 2025 08:00:00 +0000
Message-ID: <invite-outlook-1@contoso.example>
Content-Type: multipart/alternative;
	boundary="_000_invite_"
MIME-Version: 1.0

--_000_invite_
Content-Type: text/plain; charset="us-ascii"

Let's meet to review the quarter.

--_000_invite_
Content-Type: text/html; charset="us-ascii"

<html><body><p>Let's meet to review the quarter.</p></body></html>

--_000_invite_
Content-Type: text/calendar; charset="utf-8"; method=REQUEST
Content-Transfer-Encoding: base64

`+b64("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nORGANIZER;CN=Tom Becker:mailto:tom.becker@contoso.example\r\nATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:notes@coachmail.example\r\nSUMMARY;LANGUAGE=en-US:Coaching session\r\nDTSTART;TZID=W. Europe Standard Time:20250327T100000\r\nDTEND;TZID=W. Europe Standard Time:20250327T110000\r\nUID:040000008200E00074C5B7101A82E0080000000\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")+`
--_000_invite_--
`)

	ics := "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:20250402T130000Z\r\nDTEND:20250402T140000Z\r\nUID:7kukuqrfedlm2f9t0mkb1ce4ml@google.com\r\nORGANIZER;CN=lena.hoffmann@example.de:mailto:lena.hoffmann@example.de\r\nSUMMARY:Follow-up\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	add("gmail-calendar-invite", `MIME-Version: 1.0
Sender: Google Calendar <calendar-notification@google.com>
Reply-To: lena.hoffmann@example.de
Message-ID: <calendar-7kukuq@google.com>
Date: Tue, 25 Mar 2025 12:00:00 +0000
Subject: Updated invitation: Follow-up @ Wed 2 Apr 2025 15:00 - 16:00 (CEST)
From: lena.hoffmann@example.de
To: notes@coachmail.example
Content-Type: multipart/mixed; boundary="000000000000mixed"

--000000000000mixed
Content-Type: multipart/alternative; boundary="000000000000alt"

--000000000000alt
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes
Content-Transfer-Encoding: base64

`+b64("This event has been updated.\nFollow-up\nWednesday 2 Apr 2025 ⋅ 15:00 – 16:00 (Central European  \nSummer Time)\n")+`
--000000000000alt
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

`+qp(`<div><span itemprop="name">Follow-up</span></div><div>Wednesday 2 Apr 2025 ⋅ 15:00 – 16:00</div>`)+`
--000000000000alt
Content-Type: text/calendar; charset="UTF-8"; method=REQUEST
Content-Transfer-Encoding: 7bit

`+strings.ReplaceAll(ics, "\r\n", "\n")+`
--000000000000alt--

--000000000000mixed
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

`+b64(ics)+`
--000000000000mixed--
`)

	add("tnef-winmail", `From: Gregor Novak <gregor.novak@example.si>
To: notes@coachmail.example
Subject: Minutes
Date: Wed, 26 Mar 2025 13:00:00 +0100
Message-ID: <tnef-1@example.si>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="tnef-boundary"

--tnef-boundary
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

`+qp("Minutes attached.\n\nGregor\n")+`
--tnef-boundary
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

`+b64("\x78\x9f\x3e\x22"+filler(1200))+`
--tnef-boundary--
`)

	add("dsn-postfix", `Return-Path: <>
Received: by mail.coachmail.example (Postfix) id 4Z1x2y3z4; Thu, 27 Mar 2025 10:00:05 +0000 (UTC)
Date: Thu, 27 Mar 2025 10:00:05 +0000 (UTC)
From: MAILER-DAEMON@mail.coachmail.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: notes@coachmail.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Z1x2y3z4.1743069605/mail.coachmail.example"
Message-Id: <20250327100005.4Z1x2y3z4@mail.coachmail.example>

This is a MIME-encapsulated message.

--4Z1x2y3z4.1743069605/mail.coachmail.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.coachmail.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<leader@gone.example>: host mx.gone.example[203.0.113.5] said: 550 5.1.1
    <leader@gone.example>: Recipient address rejected: User unknown

--4Z1x2y3z4.1743069605/mail.coachmail.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.coachmail.example
X-Postfix-Queue-ID: 4Z1x2y3z4
X-Postfix-Sender: rfc822; notes@coachmail.example
Arrival-Date: Thu, 27 Mar 2025 10:00:03 +0000 (UTC)

Final-Recipient: rfc822; Leader@Gone.example
Original-Recipient: rfc822;leader@gone.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.gone.example
Diagnostic-Code: smtp; 550 5.1.1 <leader@gone.example>: Recipient address
    rejected: User unknown

--4Z1x2y3z4.1743069605/mail.coachmail.example
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: notes@coachmail.example
To: leader@gone.example
Subject: Your commitments
Message-ID: <prompt-12@coachmail.example>
Date: Thu, 27 Mar 2025 10:00:00 +0000

1. Hiring plan

--4Z1x2y3z4.1743069605/mail.coachmail.example--
`)

	add("dsn-exchange", `From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.example>
To: <notes@coachmail.example>
Date: Fri, 28 Mar 2025 09:30:00 +0000
Content-Type: multipart/report; report-type=delivery-status;
	boundary="DSN_boundary_1"
MIME-Version: 1.0
Message-ID: <ndr-1@contoso.example>
Subject: Undeliverable: Your commitments
Auto-Submitted: auto-replied

--DSN_boundary_1
Content-Type: multipart/alternative; differences=Content-Type;
	boundary="DSN_alt_1"

--DSN_alt_1
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Your message to first.leader@contoso.example couldn't be delivered.
first.leader wasn't found at contoso.example.

--DSN_alt_1
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p>Your message to <b>first.leader@contoso.example</b> couldn't be delivered.</p></body></html>

--DSN_alt_1--

--DSN_boundary_1
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR02MB1234.eurprd02.prod.outlook.com
Received-From-MTA: dns;mail.coachmail.example
Arrival-Date: Fri, 28 Mar 2025 09:29:58 +0000

Final-Recipient: rfc822;first.leader@contoso.example
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

Final-Recipient: rfc822;second.leader@contoso.example
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp;552 5.2.2 mailbox full

--DSN_boundary_1
Content-Type: text/rfc822-headers

From: Coach <notes@coachmail.example>
To: first.leader@contoso.example, second.leader@contoso.example
Subject: Your commitments
Date: Fri, 28 Mar 2025 09:29:55 +0000
Message-ID: <prompt-13@coachmail.example>

--DSN_boundary_1--
`)

	add("dsn-gmail", `Delivered-To: notes@coachmail.example
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: notes@coachmail.example
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: <prompt-14@coachmail.example>
In-Reply-To: <prompt-14@coachmail.example>
X-Failed-Recipients: nobody@nonexistent.example
Message-ID: <6601a2b3.050a0220.abcd.0001.GMR@mx.google.com>
Date: Sat, 29 Mar 2025 08:00:00 -0700 (PDT)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="00000000000011112222"; report-type=delivery-status

--00000000000011112222
Content-Type: multipart/related; boundary="00000000000011113333"

--00000000000011113333
Content-Type: multipart/alternative; boundary="00000000000011114444"

--00000000000011114444
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to nobody@nonexistent.example because the domain nonexistent.example couldn't be found.

--00000000000011114444
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2><p>Your message wasn't delivered to <a>nobody@nonexistent.example</a>.</p><img src="cid:icon.png"></body></html>

--00000000000011114444--
--00000000000011113333
Content-Type: image/png; name="icon.png"
Content-Disposition: attachment; filename="icon.png"
Content-Transfer-Encoding: base64
Content-ID: <icon.png>

`+b64("\x89PNG\r\n\x1a\n"+filler(400))+`
--00000000000011113333--
--00000000000011112222
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Arrival-Date: Sat, 29 Mar 2025 07:59:58 -0700 (PDT)
X-Original-Message-ID: <prompt-14@coachmail.example>

Final-Recipient: rfc822; nobody@nonexistent.example
Action: failed
Status: 5.1.2
Diagnostic-Code: smtp; DNS Error: DNS type 'mx' lookup of nonexistent.example responded with code NXDOMAIN
Last-Attempt-Date: Sat, 29 Mar 2025 08:00:00 -0700 (PDT)

--00000000000011112222
Content-Type: message/rfc822

From: Coach <notes@coachmail.example>
To: nobody@nonexistent.example
Subject: Your commitments
Message-ID: <prompt-14@coachmail.example>
Date: Sat, 29 Mar 2025 07:59:55 -0700

1. Budget review

--00000000000011112222--
`)

	add("dsn-delayed", `Return-Path: <>
Date: Sun, 30 Mar 2025 14:00:00 +0000 (UTC)
From: MAILER-DAEMON@mail.coachmail.example (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: notes@coachmail.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="delay-1"
Message-Id: <delay-1@mail.coachmail.example>

--delay-1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.coachmail.example.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

--delay-1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.coachmail.example

Final-Recipient: rfc822; slow@busy.example
Action: delayed
Status: 4.4.1
Will-Retry-Until: Thu, 3 Apr 2025 14:00:00 +0000 (UTC)

--delay-1--
`)

	add("bounce-qmail", `Return-Path: <>
Date: 31 Mar 2025 10:00:00 -0000
From: MAILER-DAEMON@mx.old.example
To: notes@coachmail.example
Subject: failure notice
Message-ID: <qmail-1@mx.old.example>

Hi. This is the qmail-send program at mx.old.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<former.leader@old.example>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

From: notes@coachmail.example
To: former.leader@old.example
Subject: Your commitments
`)

	add("autoreply-exchange-en", `From: Sam Carter <sam.carter@contoso.example>
To: Coach <notes@coachmail.example>
Subject: Automatic reply: Your commitments
Thread-Topic: Your commitments
Date: Tue, 1 Apr 2025 06:00:01 +0000
Message-ID: <oof-1@contoso.example>
In-Reply-To: <prompt-15@coachmail.example>
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: sam.carter@contoso.example
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0

I am out of the office until 14 April with limited access to email.
`)

	add("autoreply-german-subject", `From: Claudia Weber <c.weber@example.de>
To: notes@coachmail.example
Subject: Abwesenheitsnotiz: Ihre Zusagen
Date: Tue, 1 Apr 2025 08:00:00 +0200
Message-ID: <oof-de-1@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Vielen Dank für Ihre Nachricht. Ich bin bis zum 10. April nicht im Büro.
`)

	add("autoreply-french-autosubmitted", `From: =?utf-8?Q?Fran=C3=A7ois_Petit?= <francois.petit@example.fr>
To: notes@coachmail.example
Subject: =?utf-8?Q?R=C3=A9ponse_automatique_:_Vos_engagements?=
Date: Wed, 2 Apr 2025 09:00:00 +0200
Message-ID: <oof-fr-1@example.fr>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

`+qp("Je suis absent jusqu'au 15 avril. Pour toute urgence, contactez mon assistante.\n"))

	add("autoreply-spanish-xautoreply", `From: Lucia Fernandez <lucia@example.es>
To: notes@coachmail.example
Subject: =?ISO-8859-1?Q?Respuesta_autom=E1tica:_Sus_compromisos?=
Date: Wed, 2 Apr 2025 10:00:00 +0200
Message-ID: <oof-es-1@example.es>
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

`+enc("iso-8859-1", "Estaré fuera de la oficina hasta el lunes.\n"))

	add("autoreply-japanese-subject", `From: `+bword("iso-2022-jp", "鈴木一郎")+` <ichiro.suzuki@example.jp>
To: notes@coachmail.example
Subject: `+bword("iso-2022-jp", "自動返信: ご確認のお願い")+`
Date: Thu, 3 Apr 2025 09:00:00 +0900
Message-ID: <oof-ja-1@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

`+enc("iso-2022-jp", "ただいま出張中のため、返信が遅れます。\n"))

	add("autoreply-gmail-vacation", `From: Noah Williams <noah.williams@gmail.example>
To: notes@coachmail.example
Subject: Re: Your commitments
Date: Thu, 3 Apr 2025 12:00:00 -0400
Message-ID: <vacation-1@mail.gmail.example>
In-Reply-To: <prompt-16@coachmail.example>
Auto-Submitted: auto-replied
Precedence: bulk
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="vac"

--vac
Content-Type: text/plain; charset="UTF-8"

I'm on vacation until April 20 and will reply when I'm back.

--vac
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">I'm on vacation until April 20 and will reply when I'm back.</div>

--vac--
`)

	add("autoreply-swedish-precedence", `From: Erik Johansson <erik@example.se>
To: notes@coachmail.example
Subject: =?UTF-8?Q?Autosvar:_Dina_=C3=A5taganden?=
Date: Fri, 4 Apr 2025 08:00:00 +0200
Message-ID: <oof-sv-1@example.se>
Precedence: auto_reply
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Jag är på semester till den 22 april.
`)

	add("not-autoreply-list-id", `From: Hannah Becker <hannah@example.org>
To: leaders@lists.example.org
Cc: notes@coachmail.example
Subject: Out of office next week - can we move our session?
Date: Fri, 4 Apr 2025 10:00:00 +0200
Message-ID: <human-list-1@example.org>
List-Id: Leaders circle <leaders.lists.example.org>
X-Auto-Response-Suppress: DR, OOF, AutoReply
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I'll be away from Monday. Could we move our session to the week after?

Hannah
`)

	add("mdn-read-receipt", `From: Victor Lang <victor.lang@example.at>
To: notes@coachmail.example
Subject: Gelesen: Your commitments
Date: Sat, 5 Apr 2025 09:00:00 +0200
Message-ID: <mdn-1@example.at>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

--mdn
Content-Type: text/plain; charset=utf-8

Ihre Nachricht wurde gelesen.

--mdn
Content-Type: message/disposition-notification

Reporting-UA: example.at; Microsoft Outlook 16.0
Final-Recipient: rfc822;victor.lang@example.at
Original-Message-ID: <prompt-17@coachmail.example>
Disposition: manual-action/MDN-sent-manually; displayed

--mdn--
`)

	add("broken-charset-lie-utf8", `From: Pierre <pierre@example.fr>
To: notes@coachmail.example
Subject: Re: =?utf-8?Q?s=E9ance?=
Date: Sat, 5 Apr 2025 10:00:00 +0200
Message-ID: <lie-1@example.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

J'ai d=E9cid=E9 de parler =E0 l'=E9quipe lundi. =E2=82=AC 40k budget =
confirm=C3=A9. Broken escape =ZZ here and =4 there.
`)

	add("broken-charset-lie-latin1", `From: Maria <maria@example.it>
To: notes@coachmail.example
Subject: Decisione
Date: Sat, 5 Apr 2025 11:00:00 +0200
Message-ID: <lie-2@example.it>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

Ho deciso: parlerò con il direttore finanziario entro venerdì. Così è più semplice.
`)

	add("broken-base64", `From: Zoe <zoe@example.net>
To: notes@coachmail.example
Subject: Broken base64
Date: Sun, 6 Apr 2025 08:00:00 +0000
Message-ID: <b64-1@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

VGhlIHBsYW4gaXMgYXBwcm92ZWQu!!IEFjdGlvbjogc2VuZCB0aGUg*
bWludXRlcyBieSBNb25kYXk
`)

	add("broken-truncated-multipart", `From: Ivan <ivan@example.hr>
To: notes@coachmail.example
Subject: Truncated
Date: Sun, 6 Apr 2025 09:00:00 +0200
Message-ID: <trunc-1@example.hr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cut"

--cut
Content-Type: text/plain; charset=utf-8

The text arrives in full.

--cut
Content-Type: application/pdf; name="plan.pdf"
Content-Disposition: attachment; filename="plan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k
ZT4+CnN0cmVhbQp4nCvkMlAwMDA0MjJVMDKzMDU2NTJSMDU3MTE1`)

	add("broken-boundary-not-found", `From: Olu <olu@example.ng>
To: notes@coachmail.example
Subject: Boundary mismatch
Date: Sun, 6 Apr 2025 10:00:00 +0100
Message-ID: <nob-1@example.ng>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="declared-boundary"

--another-boundary
Content-Type: text/plain

Action: share the plan with the team by Friday.
--another-boundary--
`)

	add("broken-header-no-blank-line", `From: Kai <kai@example.dk>
To: notes@coachmail.example
Subject: No separator
Date: Sun, 6 Apr 2025 11:00:00 +0200
Message-ID: <nosep-1@example.dk>
Decision taken: we hire two engineers.
Kai
`)

	add("broken-unknown-charset", `From: =?x-unknown?Q?Bj=F6rn?= <bjorn@example.se>
To: notes@coachmail.example
Subject: =?x-unknown?Q?H=E4lsningar?= och =?utf-8?Q?m=C3=A5l?=
Date: Sun, 6 Apr 2025 12:00:00 +0200
Message-ID: <unk-1@example.se>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown"
Content-Transfer-Encoding: 8bit

`+enc("windows-1252", "Målet är klart. Nästa steg: budget.\n"))

	addLF("mbox-lf-split-words", `From leader@example.org Mon Apr  7 08:00:00 2025
From: =?UTF-8?B?5byg?= =?UTF-8?B?5LiJ?= <zhang.san@example.org>
To: "notes@coachmail.example"
 <notes@coachmail.example>
Subject: `+splitWords("最终决定", 4)+`
Date: Mon, 7 Apr 2025 08:00:00 +0800
Message-ID: <lf-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Encoded words split inside one character, LF line endings.
`)

	nested := "From: Deep <deep@example.org>\nTo: notes@coachmail.example\nSubject: Deep nesting\nDate: Mon, 7 Apr 2025 09:00:00 +0000\nMessage-ID: <deep-1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"d0\"\n\n"
	for i := range 35 {
		nested += fmt.Sprintf("--d%d\nContent-Type: multipart/mixed; boundary=\"d%d\"\n\n", i, i+1)
	}
	nested += "--d35\nContent-Type: text/plain\n\nToo deep to read.\n--d35--\n"
	for i := 34; i >= 0; i-- {
		nested += fmt.Sprintf("--d%d--\n", i)
	}
	add("broken-deep-nesting", nested)

	add("smime-signed", `From: Felix Braun <felix.braun@bank.example>
To: notes@coachmail.example
Subject: Signed reply
Date: Mon, 7 Apr 2025 10:00:00 +0200
Message-ID: <signed-1@bank.example>
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="sig"

--sig
Content-Type: text/plain; charset=utf-8

I will present the budget on Thursday.

Felix
--sig
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Disposition: attachment; filename="smime.p7s"
Content-Transfer-Encoding: base64

`+b64("\x30\x82\x0b\x1e"+filler(700))+`
--sig--
`)

	add("apple-mixed-inline-image", `From: Olivia Grant <olivia@me.example>
Content-Type: multipart/mixed; boundary="Apple-Mail=_mixed"
Mime-Version: 1.0 (Mac OS X Mail 16.0)
Subject: Whiteboard
Date: Mon, 7 Apr 2025 11:00:00 +0100
Message-Id: <apple-mixed-1@me.example>
To: notes@coachmail.example

--Apple-Mail=_mixed
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Here is the whiteboard from today:

--Apple-Mail=_mixed
Content-Disposition: inline; filename=IMG_1234.png
Content-Type: image/png; x-unix-mode=0644; name="IMG_1234.png"
Content-Transfer-Encoding: base64

`+b64("\x89PNG\r\n\x1a\n"+filler(2000))+`
--Apple-Mail=_mixed
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

The top row is what we decided.

Olivia
--Apple-Mail=_mixed--
`)

	add("related-html-cid-image", `From: Noor Haddad <noor@example.ae>
To: notes@coachmail.example
Subject: Signature with logo
Date: Mon, 7 Apr 2025 12:00:00 +0400
Message-ID: <related-1@example.ae>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"; type="multipart/alternative"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

--alt
Content-Type: text/html; charset=utf-8

<html><body><p>Agreed: I own the hiring plan.</p><p>Noor<br><img src="cid:image001.png@01DB"></p></body></html>
--alt--

--rel
Content-Type: image/png; name="image001.png"
Content-ID: <image001.png@01DB>
Content-Transfer-Encoding: base64

`+b64("\x89PNG\r\n\x1a\n"+filler(600))+`
--rel--
`)

	add("uncommon-headers-and-dates", `From: Smith, John <John.Smith@Example.COM>
Sender: assistant@example.com
To: undisclosed-recipients:;
Cc: team: a@example.com, "B. Person" <b@example.com>;, c@example.com (Charlie C)
Reply-To: <replies@example.com>
Subject: =?utf-8?q?Plan?= =?utf-8?q?_for_Q2?= (draft)
Date: Tue, 08 Apr 2025 10:00:00 PDT
Message-ID: without-brackets@example.com
References: <a@x> <b@x>
 <c@x>
MIME-Version: 1.0

Body without Content-Type.
`)

	return fs
}

func TestFixtures(t *testing.T) {
	fs := fixtures()
	if len(fs) < 35 {
		t.Fatalf("fixtures() = %d messages, want at least 35", len(fs))
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.name] {
			t.Fatalf("fixture %q defined twice", f.name)
		}
		seen[f.name] = true
		path := filepath.Join("testdata", f.name+".eml")
		if *gen {
			if err := os.WriteFile(path, []byte(f.raw), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestFixtures -gen)", err)
		}
		if string(got) != f.raw {
			t.Errorf("%s differs from the generator (run go test -run TestFixtures -gen)", path)
		}
	}
}
