package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Forward is one case of the forward corpus: a body fixture, its subject
// fixture when there is one, and what must be read from them. Lists are
// checked only when the matching Check flag is set; an empty Date or Text
// is not checked.
type Forward struct {
	Name        string // body fixture, plus "+subject fixture" when there is one
	Body        string
	Subject     string
	BodyFile    string
	SubjectFile string

	NotForward bool // a reply, not a forward: nothing must be found

	From        *mail.Address
	To, Cc      []mail.Address
	CheckTo     bool
	CheckCc     bool
	Message     string // the forwarder's own text above the forward
	CheckMsg    bool
	Text        string // body of the first forwarded message
	NestedFrom  []string
	Date        string // the first forwarded message's Date, RFC 3339
	WantSubject string // subject of the first forwarded message
}

// Got is what a reader found in a forward, in the terms every reader can
// give. Names are compared only when HasNames is set.
type Got struct {
	Forwarded bool
	Message   string
	From      mail.Address
	To, Cc    []mail.Address
	HasNames  bool
	Subject   string
	Body      string
	DateText  string   // the date as found (any form), for the non-empty check
	Nested    []string // From address of each forwarded message, outermost first
}

// Check returns what is wrong with got, field by field (nil when it is
// right). It applies the rules of package forward's corpus test, with
// Normalize on every text so that no reader is judged on whitespace.
func (c Forward) Check(got Got) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if c.NotForward {
		if got.Forwarded {
			bad("forwarded = true, want false")
		}
		return errs
	}
	if !got.Forwarded {
		return []string{"forwarded = false, want true"}
	}
	if g := strings.TrimSpace(got.Subject); g != c.WantSubject {
		bad("subject = %q, want %q", g, c.WantSubject)
	}
	if g, w := Normalize(got.Body), Normalize(c.Text); g != w {
		bad("body = %q, want %q", g, w)
	}
	if strings.TrimSpace(got.DateText) == "" {
		bad("date empty")
	}
	if c.From != nil && !sameAddress(got.From, *c.From, got.HasNames) {
		bad("from = %v, want %v", got.From, *c.From)
	}
	if c.CheckTo && !sameAddresses(got.To, c.To, got.HasNames) {
		bad("to = %v, want %v", got.To, c.To)
	}
	if c.CheckCc && !sameAddresses(got.Cc, c.Cc, got.HasNames) {
		bad("cc = %v, want %v", got.Cc, c.Cc)
	}
	if c.CheckMsg {
		if g, w := Normalize(got.Message), Normalize(c.Message); g != w {
			bad("message = %q, want %q", g, w)
		}
	}
	if c.NestedFrom != nil && strings.Join(got.Nested, ",") != strings.Join(c.NestedFrom, ",") {
		bad("nested from = %q, want %q", got.Nested, c.NestedFrom)
	}
	return errs
}

func sameAddress(got, want mail.Address, names bool) bool {
	if !strings.EqualFold(got.Address, want.Address) {
		return false
	}
	return !names || got.Name == want.Name
}

func sameAddresses(got, want []mail.Address, names bool) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !sameAddress(got[i], want[i], names) {
			return false
		}
	}
	return true
}

// ForwardMessage wraps the i-th forward case as a coach's forward to the
// notes address. The subject is the case's subject fixture where it has
// one, else a subject that gives no hint.
func ForwardMessage(c Forward, i int) []byte {
	subject := strings.TrimSpace(c.Subject)
	if subject == "" {
		subject = "Session notes"
	}
	return Wrap(Envelope{
		From: coach, To: notesTo,
		Subject:   subject,
		Date:      corpusDate.Add(time.Duration(i) * time.Minute),
		MessageID: "fwd-" + strings.ReplaceAll(c.Name, "+", ".") + "@mail.okafor-coaching.example",
		Encoding:  EncodingFor(i),
	}, c.Body)
}

// Forwards loads the forward corpus of package forward: dir is that
// package's folder (internal/forward). The cases are the value of its
// corpusCases function and the expected subject its corpusSubject
// constant, read by compiling those declarations (and what they refer to
// in the same file) into a small program run with the go command.
func Forwards(ctx context.Context, dir string) ([]Forward, error) {
	src := filepath.Join(dir, "corpus_test.go")
	prog, err := dumpProgram(src, "corpusCases", "corpusSubject")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "corpus-forward-")
	if err != nil {
		return nil, fmt.Errorf("forward expectations: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), prog, 0o644); err != nil {
		return nil, fmt.Errorf("forward expectations: %w", err)
	}
	cmd := exec.CommandContext(ctx, goCommand(), "run", "main.go")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("forward expectations from %s: %w: %s", src, err, strings.TrimSpace(stderr.String()))
	}
	var dump struct {
		Subject string           `json:"subject"`
		Cases   []map[string]any `json:"cases"`
	}
	if err := json.Unmarshal(out, &dump); err != nil {
		return nil, fmt.Errorf("forward expectations: decode: %w", err)
	}
	fixtures := filepath.Join(dir, "testdata", "corpus", "fixtures")
	cases := make([]Forward, 0, len(dump.Cases))
	for i, raw := range dump.Cases {
		c, err := forwardCase(raw, dump.Subject)
		if err != nil {
			return nil, fmt.Errorf("forward case %d: %w", i, err)
		}
		if c.Body, err = readFixture(fixtures, c.BodyFile); err != nil {
			return nil, err
		}
		if c.Subject, err = readFixture(fixtures, c.SubjectFile); err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%w: no forward cases in %s", ErrMissing, src)
	}
	return cases, nil
}

func readFixture(dir, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	b, err := os.ReadFile(filepath.Join(dir, name+".txt"))
	if err != nil {
		return "", fmt.Errorf("read forward fixture: %w", err)
	}
	return string(b), nil
}

// goCommand is the go command of the toolchain in use: the one go test or
// go run was started from when it says so, else the one on PATH.
func goCommand() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// forwardCase maps one dumped corpusCase (its Go field names as keys) onto
// a Forward. A field that has disappeared upstream is an error, not a
// silently skipped check.
func forwardCase(raw map[string]any, subject string) (Forward, error) {
	var err error
	str := func(k string) string {
		v, ok := raw[k]
		if !ok {
			err = fmt.Errorf("no field %q in corpusCase", k)
			return ""
		}
		s, _ := v.(string)
		return s
	}
	flag := func(k string) bool {
		v, ok := raw[k]
		if !ok {
			err = fmt.Errorf("no field %q in corpusCase", k)
		}
		b, _ := v.(bool)
		return b
	}
	c := Forward{
		BodyFile: str("body"), SubjectFile: str("subject"),
		NotForward: flag("notForward"),
		CheckTo:    flag("checkTo"), CheckCc: flag("checkCc"),
		Message: str("message"), CheckMsg: flag("checkMsg"),
		Text: str("text"), Date: str("date"), WantSubject: subject,
	}
	c.Name = c.BodyFile
	if c.SubjectFile != "" {
		c.Name += "+" + c.SubjectFile
	}
	if f, ok := raw["from"].(map[string]any); ok {
		a := address(f)
		c.From = &a
	}
	c.To = addressList(raw["to"])
	c.Cc = addressList(raw["cc"])
	if l, ok := raw["nestedFrom"].([]any); ok {
		c.NestedFrom = []string{}
		for _, v := range l {
			s, _ := v.(string)
			c.NestedFrom = append(c.NestedFrom, s)
		}
	}
	return c, err
}

func address(m map[string]any) mail.Address {
	name, _ := m["Name"].(string)
	addr, _ := m["Address"].(string)
	return mail.Address{Name: name, Address: addr}
}

func addressList(v any) []mail.Address {
	l, ok := v.([]any)
	if !ok {
		return nil
	}
	out := []mail.Address{}
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, address(m))
		}
	}
	return out
}

// dumpProgram returns the source of a main package holding the top-level
// declarations of file that the roots need (the roots and, transitively,
// what they name), and a main that prints the first root's value and the
// second's as JSON: {"cases": roots[0](), "subject": roots[1]}.
func dumpProgram(file string, roots ...string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%w: parse %s: %v", ErrMissing, file, err)
	}
	byName := map[string]ast.Decl{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				byName[d.Name.Name] = d
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						byName[n.Name] = d
					}
				case *ast.TypeSpec:
					byName[s.Name.Name] = d
				}
			}
		}
	}
	imports := map[string]string{} // name in file -> import path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = p
	}
	keep := map[ast.Decl]bool{}
	usedImports := map[string]bool{}
	queue := []string{}
	for _, r := range roots {
		if byName[r] == nil {
			return nil, fmt.Errorf("%w: %s declares no %s", ErrMissing, file, r)
		}
		queue = append(queue, r)
	}
	for len(queue) > 0 {
		d := byName[queue[0]]
		queue = queue[1:]
		if d == nil || keep[d] {
			continue
		}
		keep[d] = true
		ast.Inspect(d, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok {
					if _, ok := imports[id.Name]; ok && byName[id.Name] == nil {
						usedImports[id.Name] = true
					}
				}
			case *ast.Ident:
				if byName[n.Name] != nil && !keep[byName[n.Name]] {
					queue = append(queue, n.Name)
				}
			}
			return true
		})
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by peerbench/corpus to print forward's corpus expectations. DO NOT EDIT.\n\npackage main\n\nimport (\n")
	names := make([]string, 0, len(usedImports))
	for n := range usedImports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\t%s %q\n", n, imports[n])
	}
	b.WriteString("\tpbjson \"encoding/json\"\n\tpbos \"os\"\n\tpbreflect \"reflect\"\n)\n\n")
	for _, d := range f.Decls {
		if keep[d] {
			if err := printer.Fprint(&b, fset, d); err != nil {
				return nil, fmt.Errorf("print declaration: %w", err)
			}
			b.WriteString("\n\n")
		}
	}
	fmt.Fprintf(&b, dumpMain, roots[0], roots[1])
	return b.Bytes(), nil
}

// dumpMain prints a value as JSON, unexported struct fields included (by
// reflection, which may read them though it may not Interface them).
const dumpMain = `func main() {
	out := map[string]any{"cases": pbDump(pbreflect.ValueOf(%s())), "subject": pbDump(pbreflect.ValueOf(%s))}
	if err := pbjson.NewEncoder(pbos.Stdout).Encode(out); err != nil {
		pbos.Exit(1)
	}
}

func pbDump(v pbreflect.Value) any {
	switch v.Kind() {
	case pbreflect.Pointer, pbreflect.Interface:
		if v.IsNil() {
			return nil
		}
		return pbDump(v.Elem())
	case pbreflect.Struct:
		m := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			m[v.Type().Field(i).Name] = pbDump(v.Field(i))
		}
		return m
	case pbreflect.Slice:
		if v.IsNil() {
			return nil
		}
		fallthrough
	case pbreflect.Array:
		l := []any{}
		for i := 0; i < v.Len(); i++ {
			l = append(l, pbDump(v.Index(i)))
		}
		return l
	case pbreflect.String:
		return v.String()
	case pbreflect.Bool:
		return v.Bool()
	case pbreflect.Int, pbreflect.Int8, pbreflect.Int16, pbreflect.Int32, pbreflect.Int64:
		return v.Int()
	case pbreflect.Uint, pbreflect.Uint8, pbreflect.Uint16, pbreflect.Uint32, pbreflect.Uint64:
		return v.Uint()
	case pbreflect.Float32, pbreflect.Float64:
		return v.Float()
	}
	return nil
}
`
