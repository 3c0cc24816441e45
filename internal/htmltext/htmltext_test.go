package htmltext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"br", "a<br>b<br/>c</br>d", "a\nb\nc\nd"},
		{"br blank line", "a<br><br>b", "a\n\nb"},
		{"many br collapse", "a<br><br><br><br>b", "a\n\nb"},
		{"gmail divs", "<div>a</div><div><br></div><div>b</div>", "a\n\nb"},
		{"div br end", "<div>a<br></div><div>b</div>", "a\nb"},
		{"whitespace collapse", "<p>  lots   of\n\t space  </p>", "lots of space"},
		{"entities", "<p>&lt;tag&gt; &amp; &quot;q&quot; &eacute;t&eacute; &#8364;5 &#x263A;</p>", "<tag> & \"q\" été €5 ☺"},
		{"nbsp", "a&nbsp;&nbsp;b", "a b"},
		{"unordered list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"ordered list", "<ol><li>one<li>two<li>three</ol>", "1. one\n2. two\n3. three"},
		{"nested list", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"},
		{"link text", `see <a href="https://x.example/">the plan</a>.`, "see the plan."},
		{"table rows", "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", "A | B\n1 | 2"},
		{"table empty cells", "<table><tr><td></td><td>only</td><td></td></tr></table>", "only"},
		{"unclosed cells", "<table><tr><td>a<td>b<tr><td>c<td>d</table>", "a | b\nc | d"},
		{"skip script style head", "<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><p>shown</p><noscript>ns</noscript></body></html>", "shown"},
		{"head without end", "<head><title>T</title><p>body text", "body text"},
		{"display none preheader", `<div style="display: none !important">pre</div><p>real</p>`, "real"},
		{"max-height preheader", `<span style="max-height:0px;overflow:hidden;">pre</span>real`, "real"},
		{"opacity", `<span style="opacity:0">pre</span>real`, "real"},
		{"hidden attribute", `<div hidden>pre</div>real`, "real"},
		{"font-size zero is not hidden", `<td style="font-size:0"><div style="font-size:14px">shown</div></td>`, "shown"},
		{"zero-width and soft hyphen", "a\u200bb\u00adc\u200cd\ufeffe", "abcde"},
		{"blockquote", "<p>Reply</p><blockquote><p>quoted</p><p>more</p></blockquote>", "Reply\n\n> quoted\n>\n> more"},
		{"nested blockquote", "<blockquote>a<blockquote>b</blockquote></blockquote>", "> a\n>\n> > b"},
		{"pre", "<pre>  a\n    b\n</pre>c", "  a\n    b\n\nc"},
		{"hr", "a<hr>b", "a\n\n________________________________\n\nb"},
		{"mso paragraphs", `<p class=MsoNormal>Hi,<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Thanks<o:p></o:p></p>`, "Hi,\n\nThanks"},
		{"margin zero paragraphs", `<p style="margin:0">a</p><p style="margin:0px">b</p>`, "a\nb"},
		{"headings", "<h1>Title</h1>text", "Title\n\ntext"},
		{"comments and conditionals", "a<!-- hidden --><!--[if mso]>mso only<![endif]-->b", "ab"},
		{"stray end tags", "</div></p>a</span>b", "ab"},
		{"fragment", "just text", "just text"},
		{"empty", "", ""},
		{"crlf", "a\r\nb", "a b"},
		{"plain text in pre keeps tabs as spaces", "<pre>a\tb</pre>", "a b"},
	}
	for _, tt := range tests {
		if got := Convert(tt.in, Options{}); got != tt.want {
			t.Errorf("%s: Convert(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestConvertDropQuotes(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"gmail", `<div dir="ltr">New text</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, A wrote:<br></div><blockquote class="gmail_quote">old</blockquote></div>`, "New text"},
		{"gmail container", `<div>New</div><div class="gmail_quote gmail_quote_container">On Mon wrote: old</div>`, "New"},
		{"apple", `<div>New</div><div><br><blockquote type="cite"><div>On 6 Mar, A wrote:</div><div>old</div></blockquote></div><div>after</div>`, "New\n\nafter"},
		{"thunderbird", `<p>New</p><div class="moz-cite-prefix">On 3/3/25 A wrote:<br></div><blockquote type="cite" cite="mid:x">old</blockquote>`, "New"},
		{"outlook web", `<div>New</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> A</div><div>old</div>`, "New"},
		{"outlook web x_ prefix", `<div>New</div><hr><div id="x_divRplyFwdMsg"><b>From:</b> A</div><div>old</div>`, "New"},
		{"outlook desktop", `<p class=MsoNormal>New<o:p></o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class=MsoNormal><b>From:</b> A<br><b>Sent:</b> B</p></div></div><p>old</p>`, "New"},
		{"outlook desktop german", `<p>Neu</p><div style="border:none;border-top:solid #B5C4DF 1.0pt"><p><b><span>Von:</span></b> A</p></div><p>alt</p>`, "Neu"},
		{"outlook desktop french", `<p>Nouveau</p><div style="border-top: 1px solid #ccc"><p><b>De&nbsp;:</b> A</p></div><p>ancien</p>`, "Nouveau"},
		{"border-top that is not a separator", `<p>a</p><div style="border-top:solid #ccc 1pt">Agenda: b</div><p>c</p>`, "a\n\nAgenda: b\n\nc"},
		{"yahoo", `<div>New</div><div id="yahoo_quoted_123" class="yahoo_quoted">old</div>`, "New"},
		{"outlook message header", `<div>New</div><div class=OutlookMessageHeader><hr><b>From:</b> A</div><div>old</div>`, "New"},
		{"proton", `<div>New</div><div class="protonmail_quote">old</div>`, "New"},
		{"plain blockquote is kept", `<div>New</div><blockquote>cited</blockquote>`, "New\n\n> cited"},
	}
	for _, tt := range tests {
		if got := Convert(tt.in, Options{DropQuotes: true}); got != tt.want {
			t.Errorf("%s: Convert(%q, DropQuotes) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// Without the option the quoted text stays.
	in := `<div>New</div><div class="gmail_quote">old</div>`
	if got := Convert(in, Options{}); !strings.Contains(got, "old") {
		t.Errorf("Convert(%q) = %q, want the quote kept", in, got)
	}
}

// TestConvertBounded feeds adversarial markup; the benchmarks measure its
// speed, this checks that the output stays proportionate and correct.
func TestConvertBounded(t *testing.T) {
	deep := strings.Repeat("<div>", 10000) + "x" + strings.Repeat("</div>", 10000)
	if got := Convert(deep, Options{}); got != "x" {
		t.Errorf("Convert(10000 nested divs) = %q, want %q", got, "x")
	}
	quotes := strings.Repeat("<blockquote>q", 10000)
	got := Convert(quotes, Options{})
	if len(got) > 10000*(4*maxQuoteDepth+4) {
		t.Errorf("Convert(10000 nested blockquotes) = %d bytes, want the prefix depth bounded", len(got))
	}
	lists := strings.Repeat("<ul><li>i", 10000)
	if got := Convert(lists, Options{}); len(got) > 10000*(2*maxListDepth+5) {
		t.Errorf("Convert(10000 nested lists) = %d bytes, want the indentation bounded", len(got))
	}
	entities := strings.Repeat("&amp;&#x41;&eacute;&nbsp;", 100000)
	if got := Convert(entities, Options{}); !strings.HasPrefix(got, "&Aé &Aé") || !utf8.ValidString(got) {
		t.Errorf("Convert(400000 entities) = %.40q..., want decoded entities", got)
	}
	probe := `<div style="border-top:solid 1pt"><b>x</b>` + strings.Repeat("<b> </b>", 100000) + `</div>`
	if got := Convert(probe, Options{DropQuotes: true}); got != "x" {
		t.Errorf("Convert(separator candidate with 100000 spaces) = %.40q, want %q", got, "x")
	}
	dropDeep := `<div class="gmail_quote">` + strings.Repeat("<div>", 10000) + "old"
	if got := Convert("new"+dropDeep, Options{DropQuotes: true}); got != "new" {
		t.Errorf("Convert(deep quote, DropQuotes) = %q, want %q", got, "new")
	}
}

func TestConvertInvalidUTF8(t *testing.T) {
	got := Convert("<p>a\xffb\xc3</p>", Options{})
	if !utf8.ValidString(got) {
		t.Errorf("Convert(invalid UTF-8) = %q, want valid UTF-8", got)
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"<p>a</p>", "<div class=gmail_quote>x</div>", "<table><tr><td>a<td>b</table>",
		"<ul><li>a<ol><li>b</ol></ul>", "<pre>a\n b</pre>", "<blockquote type=cite>q</blockquote>",
		`<div style="border-top:solid 1pt"><b>From:</b> x</div>`, "<head><style>x</style>", "&amp;&#0;&#xD800;",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, drop bool) {
		got := Convert(in, Options{DropQuotes: drop})
		if !utf8.ValidString(got) {
			t.Fatalf("Convert(%q) = %q: invalid UTF-8", in, got)
		}
		if strings.Contains(got, "\r") || strings.HasSuffix(got, "\n") || strings.HasPrefix(got, "\n") {
			t.Fatalf("Convert(%q) = %q: stray line breaks", in, got)
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	doc := strings.Repeat(`<div class="x"><p class=MsoNormal>Some <b>bold</b> text &amp; an <a href="https://example.com/">link</a>.</p><table><tr><td>a</td><td>b</td></tr></table><ul><li>one</li><li>two</li></ul></div>`, 2000)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		Convert(doc, Options{DropQuotes: true})
	}
}

func BenchmarkConvertDeep(b *testing.B) {
	doc := strings.Repeat("<div><span>", 10000) + "x" + strings.Repeat("&amp;", 100000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		Convert(doc, Options{})
	}
}
