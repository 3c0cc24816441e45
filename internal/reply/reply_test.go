package reply

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/replies from the current output (review them before committing)")

// corpusTarget is the share of the shared corpus that must pass.
const corpusTarget = 0.97

// knownCorpusFailures are the corpus fixtures where Extract is knowingly
// wrong, with the reason. They count as failures in the pass rate. A fixture
// listed here that starts passing fails the test, so the list stays true.
var knownCorpusFailures = map[string]string{
	"email_6": `a bespoke signature ("Sent a magnificent torch of pixels") is kept: a short line starting "Sent" cannot be told from a status line such as "Sent the deck to the board"`,
}

// TestCorpus runs Extract over every fixture of the shared
// email-reply-parser corpus (copied into testdata/corpus/input) and compares
// with the reply text written down by reading each one (testdata/corpus/want).
func TestCorpus(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "corpus", "input", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 90 {
		t.Fatalf("corpus has %d fixtures, want 90", len(inputs))
	}
	sort.Strings(inputs)
	passed := 0
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		want := readFile(t, filepath.Join("testdata", "corpus", "want", name+".txt"))
		got := Extract(readFile(t, in))
		ok := got+"\n" == want
		reason, known := knownCorpusFailures[name]
		switch {
		case ok && known:
			t.Errorf("%s: passes but is listed as a known failure (%s); remove it from the list", name, reason)
		case ok:
			passed++
		case known:
			t.Logf("%s: known failure: %s", name, reason)
		default:
			t.Errorf("Extract(%s) =\n%s\n--- want ---\n%s", name, got, want)
		}
	}
	rate := float64(passed) / float64(len(inputs))
	t.Logf("corpus pass rate: %d/%d = %.1f%% (%d known failures)", passed, len(inputs), 100*rate, len(knownCorpusFailures))
	if rate < corpusTarget {
		t.Errorf("corpus pass rate %.1f%%, want at least %.0f%%", 100*rate, 100*corpusTarget)
	}
}

// TestCorpusCopy checks that the copy in testdata is the shared corpus byte
// for byte, when the shared corpus is beside the repository.
func TestCorpusCopy(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "corpus", "email-reply-parser", "test", "fixtures")
	names, err := filepath.Glob(filepath.Join(shared, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Skip("shared corpus not beside the repository; testdata/corpus/input is the copy")
	}
	for _, n := range names {
		want := readFile(t, n)
		got := readFile(t, filepath.Join("testdata", "corpus", "input", filepath.Base(n)))
		if got != want {
			t.Errorf("testdata/corpus/input/%s differs from the shared corpus", filepath.Base(n))
		}
	}
}

// TestReplies compares Extract with the golden file of each reply of our
// own in testdata/replies (NAME.txt in, NAME.want.txt out). A reply with a
// NAME.from file, which holds the reply's From field, is read with
// ExtractWith told that sender.
func TestReplies(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "replies", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".want.txt") {
			continue
		}
		count++
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			var opts Options
			if from, err := os.ReadFile(strings.TrimSuffix(in, ".txt") + ".from"); err == nil {
				opts.From = strings.TrimSpace(string(from))
			}
			got := ExtractWith(readFile(t, in), opts) + "\n"
			golden := strings.TrimSuffix(in, ".txt") + ".want.txt"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := readFile(t, golden); got != want {
				t.Errorf("Extract(%s) =\n%s--- want ---\n%s", name, got, want)
			}
		})
	}
	if count < 25 {
		t.Errorf("testdata/replies has %d replies, want at least 25", count)
	}
}

// TestExtract covers behaviours one at a time.
func TestExtract(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only quote", "> a\n> b\n", ""},
		{"crlf", "Yes.\r\n\r\nOn Mon, 3 Mar 2025 at 09:00, A <a@b.c> wrote:\r\n> q\r\n", "Yes."},
		{"lone cr", "Yes.\rSent from my iPhone\r", "Yes."},
		{"bom", "\uFEFFHello", "Hello"},
		{"invalid utf8", "ok \xff\xfe\n> q", "ok \uFFFD"},
		{"weak attribution without quote is text", "On Monday I wrote:\nthe plan.\n", "On Monday I wrote:\nthe plan."},
		{"weak attribution with quote", "Agreed.\n\nOn Monday I wrote:\n> the plan\n", "Agreed."},
		{"sentence ending in wrote", "Here is what the CFO wrote:\n\nWe cut travel.\n", "Here is what the CFO wrote:\n\nWe cut travel."},
		{"strong attribution without quote ends reply", "Fine.\n\nOn Nov 26, 2013 you wrote:\n\nOld text.\n", "Fine."},
		{"inline answers after short quoted lines", "> 1. Hire a VP of Sales\ndone\n> 2. Freeze the budget\nnot yet, waiting for the board\n", "done\n\nnot yet, waiting for the board"},
		{"lazy wrap after long quoted line", "Top.\n\n> This is a long quoted line that the client wrapped at seventy-six col\numns without quoting\n> more\n", "Top."},
		{"sign-off with name", "Done.\n\nBest,\nDana", "Done."},
		{"dangling sign-off", "Done.\n\nBest regards,", "Done."},
		{"thanks alone stays", "Done.\n\nThanks!", "Done.\n\nThanks!"},
		{"sign-off followed by text stays", "Done.\n\nThanks,\nP.S. the board moved to Monday and we need a new plan for it.", "Done.\n\nThanks,\nP.S. the board moved to Monday and we need a new plan for it."},
		{"short lines under a rule stay", "Update\n----\nHiring done\nBudget frozen", "Update\n----\nHiring done\nBudget frozen"},
		{"signature under a rule", "Update\n\n____\nDana Lee\n+1 555 010 0123", "Update"},
		{"sent from sentence stays", "Sent from my laptop to the whole board yesterday.", "Sent from my laptop to the whole board yesterday."},
		{"disclaimer", "Yes.\n\nThis email and any attachments are confidential and intended solely for the addressee.", "Yes."},
		{"disclaimer-like first line stays", "This message is confidential: I am leaving.", "This message is confidential: I am leaving."},
		{"confidential remark after text stays", "Focus: my exit.\n\nThis email is confidential: I am thinking of leaving in June.", "Focus: my exit.\n\nThis email is confidential: I am thinking of leaving in June."},
		{"named notice", "Yes.\n\nCONFIDENTIALITY NOTICE: do not forward.", "Yes."},
		{"environment line", "Yes.\n\nPlease consider the environment before printing this email.", "Yes."},
		{"code fence", "See:\n```\n-- \nSent from my iPhone\n```\nok", "See:\n```\n--\nSent from my iPhone\n```\nok"},
		{"unclosed fence", "See:\n```\nok\n-- \nsig", "See:\n```\nok"},
		{"header block needs three fields", "From: the board\nTo: all of us\n\nWe go.", "From: the board\nTo: all of us\n\nWe go."},
		{"gmail german name first", "Gut.\n\nAlex Morgan <coach@x.example> schrieb am Mo., 2. März 2026, 14:00:\n\n> Hallo\n", "Gut."},
		{"gmail chinese", "好的\n\nAlex Morgan <coach@x.example> 于2026年3月2日周一 14:00写道：\n\n> q", "好的"},
		{"gmail korean", "네\n\n2026년 3월 2일 (월) 오후 2:00, Alex Morgan <coach@x.example>님이 작성:\n\n> q", "네"},
		{"prose that introduces a quote keeps its sentence", "My manager. He wrote:\n> You are not ready.\nI disagree.", "My manager. He wrote:\n\nI disagree."},
		{"korean iphone", "네\n\niPhone에서 보냄\n\n> q", "네"},
		{"chinese iphone", "好的\n\n发自我的iPhone", "好的"},
		{"forward ends the reply", "FYI\n\nBegin forwarded message:\n\nFrom: A <a@b.c>\n", "FYI"},
		{"customised mutt attribution", "Agreed, let's do that.\n\n* Sam Okafor <sam@okafor-coaching.example> [2026-03-11 10:00]:\n> What matters most?\n", "Agreed, let's do that."},
		{"customised attribution, bottom-posted", "* Sam Okafor <sam@okafor-coaching.example> [11.03.26 10:00]:\n> What matters most?\n\nThe reorg.", "The reorg."},
		{"customised attribution ends the reply without a quote", "Agreed.\n\nSam Okafor <sam@okafor-coaching.example> wrote on 2026-03-11 at 10:00:\n\nWhat matters most?", "Agreed."},
		{"an address and a colon without a date is text", "Write to Sam <sam@okafor-coaching.example>:\nhe has the deck.", "Write to Sam <sam@okafor-coaching.example>:\nhe has the deck."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Extract(tt.in); got != tt.want {
				t.Errorf("Extract(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSeparators covers the separators that QQ Mail and Foxmail write
// with a literal "&nbsp;" or a no-break space.
func TestSeparators(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"QQ Mail &nbsp;", "今天：预算。\n\n------------------&nbsp;原始邮件&nbsp;------------------\n发件人: \"Maya\"<m@example.com>;", "今天：预算。"},
		{"Foxmail NBSP", "Budget.\n\n------------------\u00a0Original\u00a0------------------\nFrom: \"Maya\"<m@example.com>;", "Budget."},
		{"Foxmail traditional", "預算。\n\n------------------&nbsp;原始郵件&nbsp;------------------", "預算。"},
		{"&nbsp; without a heading is text", "Budget.\n\n---&nbsp;---\nmore", "Budget.\n\n---&nbsp;---\nmore"},
		{"word original in text stays", "The original plan.\n\n-- original --\nstays", "The original plan.\n\n-- original --\nstays"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Extract(tt.in); got != tt.want {
				t.Errorf("Extract(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSignatures covers the end of a reply: which closings, names and
// signature blocks are cut, and which last lines of text are kept.
func TestSignatures(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Company forms ending in a dot make a signature line, not a sentence.
		{"S.p.A.", "Oggi: budget.\n\nGrazie,\nGiulia\n\nGiulia Rossi\nResponsabile Operazioni | Rossi & Bianchi S.p.A.\nVia Roma 12, 20121 Milano", "Oggi: budget."},
		{"Sp. z o.o.", "Dziś: budżet.\n\nPozdrawiam\nKatarzyna Nowak\nDyrektor Operacyjna | Przykład Sp. z o.o.", "Dziś: budżet."},
		{"Inc.", "Budget.\n\nBest regards,\nSam Rivera\nVice President of Global Sales, Acme Inc.", "Budget."},
		{"GmbH & Co. KG.", "Budget.\n\nViele Grüße\nJonas Becker\nLeiter Einkauf der Becker Logistik GmbH & Co. KG.", "Budget."},
		{"B.V.", "Budget.\n\nMet vriendelijke groet,\nDaan Jansen\nHoofd Operaties bij Jansen Bouw Groep B.V.", "Budget."},
		{"sentence ending in a company form stays", "Budget.\n\nThanks,\nSam\nWe will finally close the deal with Acme Inc.", "Budget.\n\nThanks,\nSam\nWe will finally close the deal with Acme Inc."},
		{"postscript under a name stays", "Focus: hiring.\n\nThanks,\nSam\nP.S. the board moved to Monday.", "Focus: hiring.\n\nThanks,\nSam\nP.S. the board moved to Monday."},
		{"short postscript under a name stays", "Focus: hiring.\n\nBest,\nSam\nPS: call me", "Focus: hiring.\n\nBest,\nSam\nPS: call me"},
		{"name with an initial", "Budget.\n\nCheers,\nSam R.", "Budget."},
		// Registration lines that the law makes long.
		{"German register line", "Budget.\n\nMit freundlichen Grüßen\nJonas Becker\n\nLeiter Produktentwicklung\nMüller & Söhne GmbH\nSitz der Gesellschaft: München | Registergericht: Amtsgericht München HRB 123456 | Geschäftsführer: Dr. Hans Müller", "Budget."},
		{"Austrian register line", "Budget.\n\nLG\nAnna\nHuber Consulting GmbH, Firmenbuchnummer FN 123456a, Firmenbuchgericht: Handelsgericht Wien, UID: ATU12345678", "Budget."},
		{"UK registered office", "Budget.\n\nKind regards,\nOliver Grant\nGrant Logistics Ltd is registered in England and Wales, company number 01234567, registered office 1 Dock Road, Bristol.", "Budget."},
		{"French RCS line", "Budget.\n\nCordialement,\nJulie Martin\nDupont Conseil SAS au capital de 10 000 € – RCS Paris 123 456 789 – SIRET 123 456 789 00012 – TVA FR12123456789", "Budget."},
		{"Dutch KvK line", "Budget.\n\nMvg,\nDaan\nJansen Bouw B.V. | Stationsplein 1, 3511 ED Utrecht | KvK 12345678 | BTW NL123456789B01", "Budget."},
		{"Italian P.IVA line", "Budget.\n\nCordiali saluti,\nGiulia Rossi\nRossi & Bianchi S.p.A. – Sede legale: Via Roma 12, 20121 Milano – P.IVA 01234567890 – Capitale sociale € 100.000 i.v.", "Budget."},
		{"long sentence with one registration word stays", "Budget.\n\nThanks,\nSam\nI registered in the new leadership program with 12 people from the Berlin office.", "Budget.\n\nThanks,\nSam\nI registered in the new leadership program with 12 people from the Berlin office."},
		{"long company block with contact lines", "Heute: Budget.\n\nMit freundlichen Grüßen\nJonas Becker\n\nLeiter Produktentwicklung\nMüller & Söhne GmbH\nMusterstraße 1\n80331 München\nTel.: +49 89 1234567\nFax: +49 89 1234568\nE-Mail: jonas.becker@example.de\nwww.example.de\n\nSitz der Gesellschaft: München\nRegistergericht: Amtsgericht München HRB 123456\nGeschäftsführer: Dr. Hans Müller", "Heute: Budget."},
		{"long list under a closing stays", "Focus:\n\nThanks\nHiring plan\nBudget\nRoadmap\nOffsite\nPricing\nReorg\nOnboarding\nQ3 targets\nBoard deck", "Focus:\n\nThanks\nHiring plan\nBudget\nRoadmap\nOffsite\nPricing\nReorg\nOnboarding\nQ3 targets\nBoard deck"},
		// A name typed above the signature that repeats it.
		{"name above the signature that repeats it", "Mostly the 1:1 setup.\n\nSam\n\nSam Rivera\nVP Engineering\nNorthwind Traders | northwind-traders.com", "Mostly the 1:1 setup."},
		{"word above a heading that repeats it stays", "Focus today:\n\nBudget\n\nBudget Review\nOwner: finance\nhttps://docs.example.com/budget", "Focus today:\n\nBudget\n\nBudget Review\nOwner: finance\nhttps://docs.example.com/budget"},
		{"word above a lower-case heading stays", "Plan.\n\nBudget\n\nBudget review\nwith finance\nhttps://docs.example.com/budget", "Plan.\n\nBudget\n\nBudget review\nwith finance\nhttps://docs.example.com/budget"},
		{"bare name stays without the sender", "Blocking two hours for the hiring plan.\nSam", "Blocking two hours for the hiring plan.\nSam"},
		{"last line of text stays", "Today: budget.\n\nThanks for pushing me on this.", "Today: budget.\n\nThanks for pushing me on this."},
		{"closing thought stays", "1 done\n2 not yet\n\nOnwards!", "1 done\n2 not yet\n\nOnwards!"},
		// Short closings.
		{"Abs,", "Hoje: orçamento.\n\nAbs,\nAna", "Hoje: orçamento."},
		{"Abs", "Hoje: orçamento.\n\nAbs\nAna", "Hoje: orçamento."},
		{"Abraços", "Hoje: orçamento.\n\nAbraços\nAna Souza", "Hoje: orçamento."},
		{"Att.", "Hoje: orçamento.\n\nAtt.\nAna Souza", "Hoje: orçamento."},
		{"Att,", "Hoje: orçamento.\n\nAtt,", "Hoje: orçamento."},
		{"Atenciosamente", "Hoje: orçamento.\n\nAtenciosamente,\nAna Souza\nDiretora | Loja Verde", "Hoje: orçamento."},
		{"Atte.", "Hoy: presupuesto.\n\nAtte.\nLucía", "Hoy: presupuesto."},
		{"LG", "Heute: Budget.\n\nLG\nJonas", "Heute: Budget."},
		{"VG", "Heute: Budget.\n\nVG Jonas", "Heute: Budget.\n\nVG Jonas"},
		{"MfG", "Heute: Budget.\n\nMfG\nJonas Becker", "Heute: Budget."},
		{"Beste Grüße", "Heute: Budget.\n\nBeste Grüße,\nJonas", "Heute: Budget."},
		{"Bises", "Aujourd'hui : budget.\n\nBises,\nJulie", "Aujourd'hui : budget."},
		{"Cdlt", "Aujourd'hui : budget.\n\nCdlt,\nJulien Martin", "Aujourd'hui : budget."},
		{"Bonne journée", "Aujourd'hui : budget.\n\nBonne journée,\nJulien", "Aujourd'hui : budget."},
		{"Saludos", "Hoy: presupuesto.\n\nSaludos,\nLucía", "Hoy: presupuesto."},
		{"Un saludo", "Hoy: presupuesto.\n\nUn saludo,\nLucía García", "Hoy: presupuesto."},
		{"Un abrazo", "Hoy: presupuesto.\n\nUn abrazo\nLucía", "Hoy: presupuesto."},
		{"Un saluto", "Oggi: budget.\n\nUn saluto,\nGiulia", "Oggi: budget."},
		{"Grtz", "Vandaag: budget.\n\nGrtz,\nDaan", "Vandaag: budget."},
		{"Mvg", "Vandaag: budget.\n\nMvg,\nDaan de Vries", "Vandaag: budget."},
		{"M.v.g.", "Vandaag: budget.\n\nM.v.g.\nDaan de Vries", "Vandaag: budget."},
		{"Groetjes", "Vandaag: budget.\n\nGroetjes,\nDaan", "Vandaag: budget."},
		{"Hälsningar", "Idag: budget.\n\nHälsningar\nErik", "Idag: budget."},
		{"MVH", "Idag: budget.\n\nMVH\nErik Svensson", "Idag: budget."},
		{"Vänlig hälsning", "Idag: budget.\n\nVänlig hälsning,\nErik", "Idag: budget."},
		{"Pozdrawiam", "Dziś: budżet.\n\nPozdrawiam,\nKasia", "Dziś: budżet."},
		{"Pozdr.", "Dziś: budżet.\n\nPozdr.\nKasia", "Dziś: budżet."},
		{"S pozdravem", "Dnes: rozpočet.\n\nS pozdravem\nJan Novák", "Dnes: rozpočet."},
		{"Terveisin", "Tänään: budjetti.\n\nTerveisin,\nMatti", "Tänään: budjetti."},
		{"よろしくお願いします with name", "今日は予算です。\n\nよろしくお願いします。\n田中", "今日は予算です。"},
		{"よろしくお願いいたします alone", "今日は予算です。\n\nよろしくお願いいたします。", "今日は予算です。"},
		{"以上", "今日は予算です。\n\n以上", "今日は予算です。"},
		{"此致 敬礼", "今天：预算。\n\n此致\n敬礼\n王芳", "今天：预算。"},
		{"closing alone that is the whole reply stays", "よろしくお願いします。", "よろしくお願いします。"},
		{"thanks with a dot alone stays", "Budget.\n\nThanks.", "Budget.\n\nThanks."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Extract(tt.in); got != tt.want {
				t.Errorf("Extract(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestExtractWith covers the sign-offs that only the sender's name tells.
func TestExtractWith(t *testing.T) {
	const sam = "Sam Rivera <sam.rivera@example.com>"
	tests := []struct {
		name, from string
		names      []string
		in, want   string
	}{
		{"bare first name", sam, nil, "Blocking two hours for the hiring plan. No meetings until 11.\nSam", "Blocking two hours for the hiring plan. No meetings until 11."},
		{"bare first name after a blank line", sam, nil, "Dropping this one.\n\nSam", "Dropping this one."},
		{"full name", sam, nil, "Budget.\n\nSam Rivera", "Budget."},
		{"name with an initial", sam, nil, "Budget.\n\nSam R.", "Budget."},
		{"dashed name", sam, nil, "Budget.\n\n- Sam", "Budget."},
		{"dashed initial", sam, nil, "Budget.\n\n-S", "Budget."},
		{"em dash name", sam, nil, "Budget.\n\n— Sam", "Budget."},
		{"lower-case name", sam, nil, "budget.\n\nsam", "budget."},
		{"closing and name on one line", sam, nil, "Budget.\n\nThanks, Sam", "Budget."},
		{"short closing and name on one line", "Jonas Becker <j.becker@example.de>", nil, "Heute: Budget.\n\nLG Jonas", "Heute: Budget."},
		{"name above a signature block", sam, nil, "Budget.\n\nSam Rivera\nVP Engineering\nNorthwind Traders | northwind-traders.com", "Budget."},
		{"first name above a block", sam, nil, "Budget.\n\nSam\n\nSam Rivera\nVP Engineering", "Budget."},
		{"name with closing and title", sam, nil, "Budget.\n\nCheers\nSam\nVP Engineering", "Budget."},
		{"comma-inverted display name", `"Rivera, Sam" <sam@example.com>`, nil, "Budget.\nSam", "Budget."},
		{"address only", "sam.rivera@example.com", nil, "Budget.\n\nSam", "Budget."},
		{"name alone", "Sam Rivera", nil, "Budget.\n\nSam", "Budget."},
		{"encoded display name", "=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <j@example.de>", nil, "Heute: Budget.\n\nJörg", "Heute: Budget."},
		{"hyphenated name part", "Jean-Pierre Martin <jp@example.fr>", nil, "Budget.\n\nJean-Pierre", "Budget."},
		{"hyphenated name", "Jean-Pierre Martin <jp@example.fr>", nil, "Budget.\n\nPierre", "Budget."},
		{"Chinese name", "王芳 <wangfang@example.cn>", nil, "今天：预算。\n王芳", "今天：预算。"},
		{"name on record", sam, []string{"Sammy"}, "Budget.\n\nSammy", "Budget."},
		{"bracketed words are not a name", "Sam Rivera (Northwind) <sam@example.com>", nil, "Budget.\n\nNorthwind", "Budget.\n\nNorthwind"},
		{"title alone is not a name", "Dr. Hans Müller <h@example.de>", nil, "Heute: Budget.\n\nDr.", "Heute: Budget.\n\nDr."},
		{"someone else's name stays", sam, nil, "Budget.\n\nPriya", "Budget.\n\nPriya"},
		{"thanking the coach stays", sam, nil, "Budget.\n\nThanks, Maya", "Budget.\n\nThanks, Maya"},
		{"name as the whole reply stays", sam, nil, "Sam", "Sam"},
		{"name as the first line stays", sam, nil, "Sam\n\nhere, budget today.", "Sam\n\nhere, budget today."},
		{"name after a colon stays", sam, nil, "Who owns the roadmap now? My answer:\nSam", "Who owns the roadmap now? My answer:\nSam"},
		{"name ending a wrapped sentence stays", sam, nil, "The one conversation I keep avoiding is the one about the reorg with\nSam", "The one conversation I keep avoiding is the one about the reorg with\nSam"},
		{"name followed by text stays", sam, nil, "Budget.\n\nSam\nP.S. the board moved to Monday.", "Budget.\n\nSam\nP.S. the board moved to Monday."},
		{"name in a sentence stays", sam, nil, "Budget.\n\nSam will present.", "Budget.\n\nSam will present."},
		{"initial as a list item stays", "Olivia King <ok@example.com>", nil, "Status:\n- Hiring\n- OK", "Status:\n- Hiring\n- OK"},
		{"lone initial without a dash stays", sam, nil, "Plan:\nA\nS", "Plan:\nA\nS"},
		{"no name", "", nil, "Budget.\nSam", "Budget.\nSam"},
		{"hostile From", strings.Repeat("<\"a\\", 5000), nil, "Budget.\nSam", "Budget.\nSam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExtractWith(tt.in, Options{From: tt.from, Names: tt.names}); got != tt.want {
				t.Errorf("ExtractWith(%q, From %q) = %q, want %q", tt.in, tt.from, got, tt.want)
			}
		})
	}
}

// TestExtractIsExtractWithNoName checks that Extract is ExtractWith with
// zero Options over the shared corpus.
func TestExtractIsExtractWithNoName(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "corpus", "input", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		in := readFile(t, n)
		if a, b := Extract(in), ExtractWith(in, Options{}); a != b {
			t.Errorf("%s: Extract and ExtractWith(Options{}) differ:\n%s\n---\n%s", n, a, b)
		}
	}
}

// TestExtractHostile checks that odd input neither panics nor loses the
// invariants that FuzzExtract checks.
func TestExtractHostile(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	inputs := []string{
		long,
		"On " + long + " wrote:\n> q",
		"From: " + long + "\nSent: x\nTo: y\nSubject: z",
		strings.Repeat("> \n", 50000),
		strings.Repeat("On Monday I wrote:\n\n\n", 20000),
		strings.Repeat("```\n", 5001),
		"\x00\x00\n> \x00",
		strings.Repeat("\r", 1000),
		"a\nThanks,\n" + strings.Repeat("\n", 100000) + "b",
		strings.Repeat("Sent from a b\n\n", 20000),
		strings.Repeat("From: x\n", 20000),
		strings.Repeat("This message is confidential and privileged\n", 20000),
	}
	for _, in := range inputs {
		checkInvariants(t, in, Extract(in))
	}
}

// FuzzExtract checks that Extract and ExtractWith never panic, return valid
// UTF-8 with LF line endings and only lines that appear in their input, and
// that knowing the sender's name only cuts more at the end.
func FuzzExtract(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "corpus", "input"), filepath.Join("testdata", "replies")} {
		names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range names {
			if strings.HasSuffix(n, ".want.txt") {
				continue
			}
			data, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(data), "")
		}
	}
	f.Add("Budget.\n\nSam\n\nSam Rivera\nVP | example.com", "Sam Rivera <sam@example.com>")
	f.Add("Budget.\n- S\n", "=?utf-8?q?S=C3=A9b?= <s@example.com>")
	f.Fuzz(func(t *testing.T, in, from string) {
		plain := Extract(in)
		checkInvariants(t, in, plain)
		named := ExtractWith(in, Options{From: from, Names: []string{from}})
		checkInvariants(t, in, named)
		// Knowing the sender only removes a sign-off at the end.
		if !strings.HasPrefix(plain, named) {
			t.Fatalf("ExtractWith(From %q) = %q, not a prefix of Extract = %q", from, named, plain)
		}
	})
}

func checkInvariants(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Extract returned invalid UTF-8: %q", out)
	}
	if strings.Contains(out, "\r") {
		t.Fatalf("Extract returned a CR: %q", out)
	}
	if out != strings.TrimSpace(out) {
		t.Fatalf("Extract returned untrimmed text: %q", out)
	}
	norm := strings.ToValidUTF8(in, "\uFFFD")
	norm = strings.ReplaceAll(strings.ReplaceAll(norm, "\r\n", "\n"), "\r", "\n")
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(norm, l) {
			t.Fatalf("Extract returned a line that is not in its input: %q", l)
		}
	}
}

// BenchmarkExtract measures Extract over the whole shared corpus; the
// reported MB/s is over the corpus bytes.
func BenchmarkExtract(b *testing.B) {
	names, err := filepath.Glob(filepath.Join("testdata", "corpus", "input", "*.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var bodies []string
	var size int64
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, string(data))
		size += int64(len(data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			Extract(body)
		}
	}
	b.ReportMetric(float64(b.N*len(bodies))/b.Elapsed().Seconds(), "msgs/s")
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
