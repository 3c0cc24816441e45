// Command loadtest drives N leaders × M sessions through the local mode
// (internal/local: the SMTP intake, the inbound handler, the store, the
// dispatcher, the SES-compatible outbox), on loopback only and bounded in
// time, and says how fast it went and whether anything was lost or done
// twice:
//
//  1. setup: N leaders (one coach for every ten), each with M sessions
//     added as the operator's `coachmail session add` adds them
//     (cycle.AddSession), which schedules a prompt to the leader and a
//     brief to the coach for each;
//  2. dispatch: the manual clock moves to where every prompt is due and no
//     brief yet, and Stack.Dispatch runs until nothing is due: N×M prompts
//     rendered, signed and sent through the SES v2 API into the outbox;
//  3. replies: every prompt is answered over real SMTP (net/smtp) by
//     -clients concurrent clients, each on one connection as a sending MTA
//     would, with the reply of a real mail client (Gmail, Outlook, iPhone
//     Mail, Thunderbird in turn) to the prompt's Reply-To, with
//     In-Reply-To and References; the intake handles a message before it
//     answers DATA, so a 250 means stored;
//  4. checks: every due email was sent exactly once (outbox count and
//     unique Message-IDs equal to the records marked sent, each to its
//     leader, nothing more on a second dispatch) and every reply was
//     stored exactly once (each session's focus answer present once,
//     naming what its reply named, without the quoted prompt; nothing
//     quarantined; one raw message kept per reply).
//
// It prints, for each phase, the count, the time, the throughput and the
// 50th and 99th percentile of the time per message, and the errors, which
// must be 0: the exit status is 1 otherwise. A phase's time per message is
// what one message took from start to end: an AddSession call; for the
// dispatcher, which sends one email after another, the time between one
// email reaching the outbox and the next; for a reply, from MAIL FROM to
// the answer to DATA.
//
// -redeliver P sends P% of the replies twice on the same connection, as a
// sending MTA does when it misses the answer to DATA (RFC 5321 4.1.1.4,
// 4.5.4.1): each must still be stored once.
//
// The store is DynamoDB Local when -dynamodb-endpoint (by default
// $COACHMAIL_DYNAMODB_ENDPOINT, which tools/dynamodb-local/run.sh sets)
// names one, on a fresh table deleted afterwards; else the embedded store.
// Only loopback endpoints are accepted. The embedded store is for trying
// coachmail, not for load: minidyn evaluates a Query against every item of
// the table and copies the table for each transaction, and the snapshot
// rescans it, so every operation slows as the table grows (on 2 cores the
// dispatcher sent 36 prompts/s among 100 sessions, 3.3/s among 1,000). The
// default sizes are meant for DynamoDB Local, as `make loadtest` runs it.
//
//	tools/dynamodb-local/run.sh go run ./tools/loadtest [-leaders 100] [-sessions 100] [-clients 8] [-timeout 15m]
//	go run ./tools/loadtest -leaders 10 -sessions 10   # the embedded store
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Environment variables read by main (and only there).
const (
	// endpointEnv names a DynamoDB Local endpoint, as set by
	// tools/dynamodb-local/run.sh.
	endpointEnv = "COACHMAIL_DYNAMODB_ENDPOINT"
	// reportEnv names a file that run.sh prints after the command: the
	// load test appends its one-line result there.
	reportEnv = "COACHMAIL_STORE_REPORT"
)

func main() {
	cfg := config{}
	flag.IntVar(&cfg.Leaders, "leaders", 100, "leaders (N); one coach for every ten")
	flag.IntVar(&cfg.Sessions, "sessions", 100, "sessions per leader (M): N×M prompts are dispatched and answered")
	flag.IntVar(&cfg.Clients, "clients", 8, "concurrent SMTP clients sending the replies, each on one connection")
	flag.IntVar(&cfg.Workers, "workers", 8, "concurrent workers adding sessions and reading back for the checks")
	flag.IntVar(&cfg.Redeliver, "redeliver", 0, "percent of the replies the sending MTA delivers twice (a lost 250 after DATA): each must still be stored once")
	flag.StringVar(&cfg.Endpoint, "dynamodb-endpoint", os.Getenv(endpointEnv), "DynamoDB on loopback to use (a fresh table, deleted after); empty means the embedded store")
	flag.DurationVar(&cfg.Timeout, "timeout", 15*time.Minute, "longest the whole run may take")
	verbose := flag.Bool("v", false, "log what the stack does to standard error")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: loadtest [-leaders N] [-sessions M] [-clients C] [-workers W] [-redeliver P] [-dynamodb-endpoint URL] [-timeout D] [-v]")
		os.Exit(2)
	}
	if *verbose {
		cfg.Log = os.Stderr
	}
	cfg.Progress = os.Stderr
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest: CPU profile:", err)
			os.Exit(1)
		}
		defer f.Close()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	res, err := run(ctx, cfg, os.Stdout)
	stop()
	pprof.StopCPUProfile()
	if path := os.Getenv(reportEnv); path != "" && res.Summary != "" {
		if f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); ferr == nil {
			fmt.Fprintln(f, res.Summary)
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what a run does.
type config struct {
	Leaders, Sessions int
	Clients, Workers  int
	// Redeliver is the percentage of replies sent twice, as an MTA that
	// missed the answer to DATA sends them again.
	Redeliver int
	// Endpoint is a DynamoDB endpoint on loopback, or "" for the embedded
	// store.
	Endpoint string
	Timeout  time.Duration
	// Log receives the stack's log at info level; nil keeps only the
	// warnings and errors, which count as errors.
	Log io.Writer
	// Progress receives a line every few seconds on a long phase; nil
	// means none.
	Progress io.Writer
}

func (c config) validate() error {
	switch {
	case c.Leaders < 1 || c.Sessions < 1:
		return errors.New("-leaders and -sessions must be at least 1")
	case c.Clients < 1 || c.Workers < 1:
		return errors.New("-clients and -workers must be at least 1")
	case c.Timeout <= 0:
		return errors.New("-timeout must be positive")
	case c.Redeliver < 0 || c.Redeliver > 100:
		return errors.New("-redeliver is a percentage, 0 to 100")
	}
	if c.Endpoint != "" {
		u, err := url.Parse(c.Endpoint)
		if err != nil || u.Hostname() == "" {
			return fmt.Errorf("DynamoDB endpoint %q is not a URL", c.Endpoint)
		}
		if !loopback(u.Hostname()) {
			return fmt.Errorf("DynamoDB endpoint %s is not on loopback: the load test runs on this machine only", c.Endpoint)
		}
	}
	return nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// result is what a run found.
type result struct {
	Phases []phase
	// Errors counts every failure: of a call, of a check, and each warning
	// or error the stack logged.
	Errors int
	// Problems are the first failures, said.
	Problems []string
	// Checks say what was verified, with the figures.
	Checks []string
	// Summary is the one-line result for reportEnv.
	Summary string
}

// phase is one timed step.
type phase struct {
	Name    string
	Count   int
	Elapsed time.Duration
	Times   []time.Duration // per message
	Errors  int
}

// PerSecond is the throughput of the phase.
func (p phase) PerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Count) / p.Elapsed.Seconds()
}

// problems collects failures, safely from several goroutines.
type problems struct {
	mu    sync.Mutex
	n     int
	first []string
}

// maxProblems is how many failures are said; the rest are counted.
const maxProblems = 20

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if len(p.first) < maxProblems {
		p.first = append(p.first, fmt.Sprintf(format, args...))
	}
}

func (p *problems) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// logCounter is the stack's slog handler: it counts the records at warning
// level and above, which no healthy run has, keeps them as problems, and
// writes every record to w when there is one.
type logCounter struct {
	text  slog.Handler // nil without w
	probs *problems
	warns *int64
	mu    *sync.Mutex
}

func newLogCounter(w io.Writer, probs *problems) *logCounter {
	c := &logCounter{probs: probs, warns: new(int64), mu: new(sync.Mutex)}
	if w != nil {
		c.text = slog.NewTextHandler(w, nil)
	}
	return c
}

func (c *logCounter) Enabled(_ context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || (c.text != nil && l >= slog.LevelInfo)
}

func (c *logCounter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		c.mu.Lock()
		*c.warns++
		c.mu.Unlock()
		var b strings.Builder
		r.Attrs(func(a slog.Attr) bool {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
			return true
		})
		c.probs.add("stack logged %s: %s%s", r.Level, r.Message, b.String())
	}
	if c.text != nil {
		return c.text.Handle(ctx, r)
	}
	return nil
}

func (c *logCounter) WithAttrs(attrs []slog.Attr) slog.Handler {
	d := *c
	if c.text != nil {
		d.text = c.text.WithAttrs(attrs)
	}
	return &d
}

func (c *logCounter) WithGroup(name string) slog.Handler {
	d := *c
	if c.text != nil {
		d.text = c.text.WithGroup(name)
	}
	return &d
}

func (c *logCounter) count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return *c.warns
}

// machine says where the figures were measured.
func machine() string {
	return fmt.Sprintf("%d CPUs (GOMAXPROCS %d), %s %s/%s", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
