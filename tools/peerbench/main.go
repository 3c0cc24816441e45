// Command peerbench compares coachmail's mail readers with peer parsers on
// the same corpus, in one run, and prints one table: for each tool and task
// the accuracy (share of fixtures whose output is what the project expects)
// and the time per message measured in-process, with each interpreter's
// start-up measured apart. It then prints the speed of the whole reading
// (package reading) on a realistic mix of messages and the memory it takes
// to read a 40 MB message.
//
// The tasks and their corpora (see package corpus for the expectations):
//   - reply: the 90 fixtures of the shared email-reply-parser corpus; ours
//     is reply.Extract, and reading.Read on each fixture wrapped as a whole
//     message; the peers are npm's email-reply-parser and Debian's
//     ruby-email-reply-trimmer (Discourse's email_reply_trimmer).
//   - forward: the cases of the shared email-forward-parser corpus; ours is
//     forward.Parse, and reading.Read on each case wrapped as a whole
//     message; the peer is npm's email-forward-parser.
//
// Every tool gets the same bytes, and every output is compared after the
// same whitespace normalisation (corpus.Normalize).
//
// The npm peers are pinned in package.json and package-lock.json beside
// this file and installed with npm ci when node_modules is missing or out
// of date; Ruby and the trimmer come from Debian (apt-get install ruby
// ruby-email-reply-trimmer), which the caller installs. Run from the
// repository root:
//
//	go run ./tools/peerbench
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/coachmail/coachmail/internal/forward"
	"github.com/coachmail/coachmail/internal/reading"
	"github.com/coachmail/coachmail/internal/reply"
	"github.com/coachmail/coachmail/tools/peerbench/corpus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags set.
type config struct {
	root     string        // repository root
	min      time.Duration // least time each timed loop runs
	startups int           // runs of each interpreter's start-up, for the median
	verbose  bool          // list the fixtures each tool gets wrong
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("peerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.root, "root", ".", "repository root")
	fs.DurationVar(&cfg.min, "min", time.Second, "least time each timed loop runs")
	fs.IntVar(&cfg.startups, "startups", 5, "start-up runs of each interpreter (the median is printed)")
	fs.BoolVar(&cfg.verbose, "v", false, "list the fixtures each tool gets wrong")
	startup := fs.Bool("startup", false, "start and exit at once (peerbench times its own start-up with it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *startup {
		return 0
	}
	if err := bench(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "peerbench: %v\n", err)
		return 1
	}
	return 0
}

// row is one line of the table.
type row struct {
	tool, task string
	pass, n    int
	nsPerMsg   float64
	failures   []string
}

// peerInput is what peers.js and peers.rb read.
type peerInput struct {
	Replies    []string      `json:"replies"`
	Forwards   []peerForward `json:"forwards"`
	MinSeconds float64       `json:"min_seconds"`
}

type peerForward struct {
	Body    string `json:"body"`
	Subject string `json:"subject"`
}

// peerOutput is what peers.js and peers.rb print.
type peerOutput struct {
	Versions map[string]string `json:"versions"`
	Reply    struct {
		Outputs  []string `json:"outputs"`
		NsPerMsg float64  `json:"ns_per_msg"`
	} `json:"reply"`
	Forward struct {
		Outputs  []peerForwardResult `json:"outputs"`
		NsPerMsg float64             `json:"ns_per_msg"`
	} `json:"forward"`
}

// peerAddress has mail.Address's fields in its order, to convert to it.
type peerAddress struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

type peerForwardResult struct {
	Forwarded bool          `json:"forwarded"`
	Message   string        `json:"message"`
	From      peerAddress   `json:"from"`
	To        []peerAddress `json:"to"`
	Cc        []peerAddress `json:"cc"`
	Subject   string        `json:"subject"`
	Body      string        `json:"body"`
	Date      string        `json:"date"`
}

func bench(ctx context.Context, cfg config, w io.Writer) error {
	dir := filepath.Join(cfg.root, "tools", "peerbench")
	replies, err := corpus.Replies(filepath.Join(cfg.root, "internal", "reply", "testdata", "corpus"))
	if err != nil {
		return err
	}
	forwards, err := corpus.Forwards(ctx, filepath.Join(cfg.root, "internal", "forward"))
	if err != nil {
		return err
	}
	if err := npmCI(ctx, dir); err != nil {
		return err
	}
	if err := exec.CommandContext(ctx, "ruby", "-e", `require "email_reply_trimmer"`).Run(); err != nil {
		return fmt.Errorf("ruby with email_reply_trimmer not found (%v): apt-get install -y ruby ruby-email-reply-trimmer", err)
	}

	in := peerInput{MinSeconds: cfg.min.Seconds()}
	for _, r := range replies {
		in.Replies = append(in.Replies, r.Input)
	}
	for _, c := range forwards {
		in.Forwards = append(in.Forwards, peerForward{Body: c.Body, Subject: strings.TrimSpace(c.Subject)})
	}
	inFile, err := writeInput(in)
	if err != nil {
		return err
	}
	defer os.Remove(inFile)

	var node, ruby peerOutput
	if err := runPeer(ctx, &node, "node", filepath.Join(dir, "peers.js"), inFile); err != nil {
		return err
	}
	if err := runPeer(ctx, &ruby, "ruby", filepath.Join(dir, "peers.rb"), inFile); err != nil {
		return err
	}
	if len(node.Reply.Outputs) != len(replies) || len(node.Forward.Outputs) != len(forwards) || len(ruby.Reply.Outputs) != len(replies) {
		return errors.New("a peer returned fewer outputs than it was given inputs")
	}

	var rows []row
	// Replies.
	ours := row{tool: "coachmail reply.Extract", task: "reply"}
	ours.nsPerMsg = timed(len(replies), cfg.min, func(i int) { reply.Extract(replies[i].Input) })
	scoreReplies(&ours, replies, func(i int) string { return reply.Extract(replies[i].Input) })
	rows = append(rows, ours)

	replyMsgs := make([][]byte, len(replies))
	for i, r := range replies {
		replyMsgs[i] = corpus.ReplyMessage(r, i)
	}
	whole := row{tool: "coachmail reading.Read (.eml)", task: "reply"}
	whole.nsPerMsg = timed(len(replyMsgs), cfg.min, func(i int) { readOrNil(replyMsgs[i]) })
	scoreReplies(&whole, replies, func(i int) string {
		if rd := readOrNil(replyMsgs[i]); rd != nil {
			return rd.ReplyText
		}
		return ""
	})
	rows = append(rows, whole)
	// The inbound path reads a reply without outcomes, statuses and
	// calendars (it reads outcomes only for notes and answers to a recap,
	// statuses once it knows the commitments, calendars only from a
	// coach): the reading a leader's reply costs in the Lambda.
	inboundOpts := reading.Options{SkipCalendars: true, SkipNotes: true, SkipStatuses: true}
	asInbound := row{tool: "coachmail reading.Read (.eml), as inbound reads a reply", task: "reply"}
	asInbound.nsPerMsg = timed(len(replyMsgs), cfg.min, func(i int) { _, _ = reading.ReadBytes(replyMsgs[i], inboundOpts) })
	scoreReplies(&asInbound, replies, func(i int) string {
		if rd, err := reading.ReadBytes(replyMsgs[i], inboundOpts); err == nil {
			return rd.ReplyText
		}
		return ""
	})
	rows = append(rows, asInbound)

	erp := row{tool: "npm email-reply-parser " + node.Versions["email-reply-parser"], task: "reply", nsPerMsg: node.Reply.NsPerMsg}
	scoreReplies(&erp, replies, func(i int) string { return node.Reply.Outputs[i] })
	rows = append(rows, erp)
	ert := row{tool: "ruby email_reply_trimmer " + ruby.Versions["email_reply_trimmer"], task: "reply", nsPerMsg: ruby.Reply.NsPerMsg}
	scoreReplies(&ert, replies, func(i int) string { return ruby.Reply.Outputs[i] })
	rows = append(rows, ert)

	// Forwards.
	fw := row{tool: "coachmail forward.Parse", task: "forward"}
	fw.nsPerMsg = timed(len(forwards), cfg.min, func(i int) { forward.Parse(in.Forwards[i].Subject, in.Forwards[i].Body) })
	scoreForwards(&fw, forwards, func(i int) corpus.Got {
		res, ok := forward.Parse(in.Forwards[i].Subject, in.Forwards[i].Body)
		return gotFromParse(res, ok)
	})
	rows = append(rows, fw)

	fwdMsgs := make([][]byte, len(forwards))
	for i, c := range forwards {
		fwdMsgs[i] = corpus.ForwardMessage(c, i)
	}
	fwWhole := row{tool: "coachmail reading.Read (.eml)", task: "forward"}
	fwWhole.nsPerMsg = timed(len(fwdMsgs), cfg.min, func(i int) { readOrNil(fwdMsgs[i]) })
	scoreForwards(&fwWhole, forwards, func(i int) corpus.Got { return gotFromReading(readOrNil(fwdMsgs[i])) })
	rows = append(rows, fwWhole)

	efp := row{tool: "npm email-forward-parser " + node.Versions["email-forward-parser"], task: "forward", nsPerMsg: node.Forward.NsPerMsg}
	scoreForwards(&efp, forwards, func(i int) corpus.Got { return gotFromPeer(node.Forward.Outputs[i]) })
	rows = append(rows, efp)

	nodeStart, err := startup(ctx, cfg.startups, "node", filepath.Join(dir, "peers.js"), "--startup")
	if err != nil {
		return err
	}
	rubyStart, err := startup(ctx, cfg.startups, "ruby", filepath.Join(dir, "peers.rb"), "--startup")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own executable: %w", err)
	}
	goStart, err := startup(ctx, cfg.startups, self, "-startup")
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "peerbench: %s %s/%s, %d CPUs; node %s; ruby %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), node.Versions["node"], ruby.Versions["ruby"])
	fmt.Fprintf(w, "corpus: %d reply fixtures (expected text: internal/reply/testdata/corpus/want), %d forward cases (expected fields: internal/forward/corpus_test.go)\n", len(replies), len(forwards))
	fmt.Fprintf(w, "time: in-process loops of at least %v each after one warm-up pass; x ours = its us/msg / the us/msg of ours (bare function) on the same task\n\n", cfg.min)
	printTable(w, rows)
	fmt.Fprintf(w, "\nstart-up, not counted above (median of %d runs of a process that loads the parser and exits): node %.1f ms, ruby %.1f ms, go (peerbench) %.1f ms\n",
		cfg.startups, ms(nodeStart), ms(rubyStart), ms(goStart))
	if cfg.verbose {
		for _, r := range rows {
			if len(r.failures) > 0 {
				fmt.Fprintf(w, "\n%s, %s: wrong on %s\n", r.tool, r.task, strings.Join(r.failures, ", "))
			}
		}
	}
	return benchReading(cfg, w)
}

// benchReading prints the speed of the whole reading on the testdata mix
// of package reading, and the time and memory of reading a 40 MB message.
func benchReading(cfg config, w io.Writer) error {
	names, err := filepath.Glob(filepath.Join(cfg.root, "internal", "reading", "testdata", "*.eml"))
	if err != nil || len(names) == 0 {
		return fmt.Errorf("no messages in internal/reading/testdata: %v", err)
	}
	var msgs [][]byte
	var size int
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			return fmt.Errorf("read mix: %w", err)
		}
		msgs = append(msgs, data)
		size += len(data)
	}
	ns := timed(len(msgs), cfg.min, func(i int) { readOrNil(msgs[i]) })
	perSec := 1e9 / ns
	mbps := float64(size) / float64(len(msgs)) * perSec / 1e6
	fmt.Fprintf(w, "\nwhole reading, realistic mix (internal/reading/testdata: %d messages, %.1f KB): %.0f msgs/s, %.2f MB/s, %.1f us/msg\n",
		len(msgs), float64(size)/1e3, perSec, mbps, ns/1e3)

	const large = 40_000_000
	raw := corpus.Large(large)
	readOrNil(raw) // warm up
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const runs = 3
	start := time.Now()
	for range runs {
		if _, err := reading.ReadBytes(raw, reading.Options{}); err != nil {
			return fmt.Errorf("read the 40 MB message: %w", err)
		}
	}
	el := time.Since(start) / runs
	runtime.ReadMemStats(&after)
	alloc := float64(after.TotalAlloc-before.TotalAlloc) / runs
	fmt.Fprintf(w, "40 MB message (%d bytes, 3 attachments): %.0f ms per read, %.0f MB/s, %.0f bytes allocated = %.4f x the message size\n",
		len(raw), float64(el.Microseconds())/1e3, float64(len(raw))/el.Seconds()/1e6, alloc, alloc/float64(len(raw)))
	return nil
}

func printTable(w io.Writer, rows []row) {
	base := map[string]float64{}
	for _, r := range rows {
		if _, ok := base[r.task]; !ok {
			base[r.task] = r.nsPerMsg // the first row of a task is ours, bare
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tool\ttask\taccuracy\tus/msg\tmsgs/s\tx ours\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d = %.1f%%\t%.1f\t%.0f\t%.1f\t\n", r.tool, r.task, r.pass, r.n,
			100*float64(r.pass)/float64(r.n), r.nsPerMsg/1e3, 1e9/r.nsPerMsg, r.nsPerMsg/base[r.task])
	}
	tw.Flush()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }

// timed runs fn over indexes 0..n-1 in whole passes until min has passed,
// after one untimed pass, and returns the nanoseconds per call.
func timed(n int, min time.Duration, fn func(i int)) float64 {
	for i := range n {
		fn(i)
	}
	passes := 0
	start := time.Now()
	for {
		for i := range n {
			fn(i)
		}
		passes++
		if el := time.Since(start); el >= min {
			return float64(el.Nanoseconds()) / float64(passes*n)
		}
	}
}

func readOrNil(raw []byte) *reading.Reading {
	rd, err := reading.ReadBytes(raw, reading.Options{})
	if err != nil {
		return nil
	}
	return rd
}

func scoreReplies(r *row, replies []corpus.Reply, got func(i int) string) {
	r.n = len(replies)
	for i, rep := range replies {
		if corpus.Normalize(got(i)) == corpus.Normalize(rep.Want) {
			r.pass++
		} else {
			r.failures = append(r.failures, rep.Name)
		}
	}
}

func scoreForwards(r *row, cases []corpus.Forward, got func(i int) corpus.Got) {
	r.n = len(cases)
	for i, c := range cases {
		if len(c.Check(got(i))) == 0 {
			r.pass++
		} else {
			r.failures = append(r.failures, c.Name)
		}
	}
}

func gotFromParse(res forward.Result, ok bool) corpus.Got {
	g := corpus.Got{Forwarded: ok && len(res.Forwarded) > 0, Message: res.Message, HasNames: true}
	if !g.Forwarded {
		return g
	}
	f := res.Forwarded[0]
	g.From, g.To, g.Cc = f.From, f.To, f.Cc
	g.Subject, g.Body, g.DateText = f.Subject, f.Body, f.DateText
	for _, e := range res.Forwarded {
		g.Nested = append(g.Nested, e.From.Address)
	}
	return g
}

func gotFromReading(rd *reading.Reading) corpus.Got {
	if rd == nil || len(rd.Forwarded) == 0 {
		return corpus.Got{}
	}
	f := rd.Forwarded[0]
	g := corpus.Got{Forwarded: true, Message: rd.ForwarderText, From: mail.Address{Address: f.From},
		Subject: f.Subject, Body: f.Text, DateText: f.Date}
	for _, a := range f.To {
		g.To = append(g.To, mail.Address{Address: a})
	}
	for _, a := range f.Cc {
		g.Cc = append(g.Cc, mail.Address{Address: a})
	}
	for _, e := range rd.Forwarded {
		g.Nested = append(g.Nested, e.From)
	}
	return g
}

func gotFromPeer(p peerForwardResult) corpus.Got {
	g := corpus.Got{Forwarded: p.Forwarded, Message: p.Message, HasNames: true,
		From: mail.Address(p.From), Subject: p.Subject, Body: p.Body, DateText: p.Date}
	for _, a := range p.To {
		g.To = append(g.To, mail.Address(a))
	}
	for _, a := range p.Cc {
		g.Cc = append(g.Cc, mail.Address(a))
	}
	if p.Forwarded {
		// The peer reads one level: nested forwards stay in the body.
		g.Nested = []string{p.From.Address}
	}
	return g
}

// npmCI installs the pinned npm peers with npm ci unless node_modules was
// installed from the same package-lock.json already (a stamp holds the
// lock file's hash).
func npmCI(ctx context.Context, dir string) error {
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return fmt.Errorf("npm peers: %w", err)
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join(dir, "node_modules", ".peerbench-lock-sha256")
	if have, err := os.ReadFile(stamp); err == nil && string(have) == want {
		return nil
	}
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w: %s", dir, err, strings.TrimSpace(out.String()))
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		return fmt.Errorf("npm peers: %w", err)
	}
	return nil
}

func writeInput(in peerInput) (string, error) {
	f, err := os.CreateTemp("", "peerbench-*.json")
	if err != nil {
		return "", fmt.Errorf("peer input: %w", err)
	}
	if err := json.NewEncoder(f).Encode(in); err != nil {
		f.Close()
		return "", fmt.Errorf("peer input: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("peer input: %w", err)
	}
	return f.Name(), nil
}

// runPeer runs one peer script and decodes what it prints.
func runPeer(ctx context.Context, out *peerOutput, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, filepath.Base(args[0]), err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode its output: %w", name, filepath.Base(args[0]), err)
	}
	return nil
}

// startup is the median wall time of runs runs of a command.
func startup(ctx context.Context, runs int, name string, args ...string) (time.Duration, error) {
	times := make([]time.Duration, 0, max(runs, 1))
	for range max(runs, 1) {
		start := time.Now()
		cmd := exec.CommandContext(ctx, name, args...)
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("start-up of %s: %w", filepath.Base(name), err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}
