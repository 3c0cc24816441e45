// Package local runs the whole coachmail workflow in one process on one
// machine, without AWS, on the same code the Lambdas run (SPEC.md "On one
// machine, without AWS"):
//
//   - An SMTP server (RFC 5321, github.com/emersion/go-smtp) plays SES
//     receiving: it accepts mail for the intake domain and refuses any
//     other recipient with 550 5.1.1, stores the raw message through
//     internal/rawmail in an S3-compatible store kept on disk (gofakes3 with
//     its afero backend, under raw/), builds the SES event of a receipt
//     rule's Lambda action and calls inbound.Handler, as functions/inbound
//     does. A temporary failure answers 451, so the sender retries, as
//     Lambda would.
//   - The store is internal/dynamo on the DynamoDB API: by default an
//     in-process DynamoDB-compatible server (minidyn) whose items are kept in
//     dynamodb.json, written after changes and on shutdown and read back on
//     start; or any DynamoDB endpoint given (DynamoDB Local, or AWS).
//   - The dispatcher (internal/cycle) runs every few seconds on the real
//     clock, as EventBridge Scheduler runs it in AWS, and sends through
//     internal/ses and the SES v2 SDK client to the outbox (internal/outbox),
//     an SES v2 endpoint that keeps each message as an .eml file and shows
//     it on a web page. The one-click unsubscribe endpoint of RFC 8058
//     (internal/unsubscribe) is served beside it, at UnsubscribePath.
//
// Departures from AWS, on purpose: SES's SPF, DKIM, DMARC, spam and virus
// verdicts are PASS for mail from loopback and GRAY (unauthenticated)
// otherwise, since nothing is checked; SMTP is plain, without STARTTLS or
// AUTH, and listens on loopback by default; the embedded store knows no
// time to live, so nothing expires.
package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscfg "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/emersion/go-smtp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/inbound"
	"github.com/coachmail/coachmail/internal/outbox"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/internal/unsubscribe"
	"github.com/coachmail/coachmail/templates"
)

// Defaults of Options.
const (
	DefaultDir           = ".coachmail"
	DefaultSMTPAddr      = "127.0.0.1:2525"
	DefaultHTTPAddr      = "127.0.0.1:8025"
	DefaultDomain        = "coachmail.localhost"
	DefaultTable         = "coachmail"
	DefaultDispatchEvery = 5 * time.Second
	// StorePath is where the embedded store's DynamoDB API is served on
	// the HTTP address, for the operator CLI.
	StorePath = "/dynamodb"
	// UnsubscribePath is where the one-click unsubscribe endpoint (RFC 8058)
	// is served on the HTTP address: the List-Unsubscribe URL of local mail.
	UnsubscribePath = "/unsubscribe"
	// rawBucket and rawPrefix are where raw mail goes, as in AWS.
	rawBucket = "coachmail-raw"
	rawPrefix = "inbound/"
)

// Options configure a Stack. The zero value of each field means its
// default.
type Options struct {
	// Dir holds the state: dynamodb.json, raw/, outbox/, keyring.json.
	Dir string
	// SMTPAddr and HTTPAddr are where to listen; port 0 picks a free port.
	SMTPAddr string
	HTTPAddr string
	// DynamoDBEndpoint, when set, is the DynamoDB to use instead of the
	// embedded store (DynamoDB Local, or AWS with the default credentials
	// chain when the host is not loopback). The table is created when
	// missing.
	DynamoDBEndpoint string
	Table            string
	// Domain is the intake domain: the notes address is notes@Domain, the
	// sender coaching@Domain, replies go to reply+TOKEN@Domain.
	Domain string
	// Practice is the display name of outbound mail when a coach has none.
	Practice string
	// Clock is the time of the workflow; nil means the real clock.
	Clock coaching.Clock
	// DispatchEvery is how often the dispatcher runs; negative means never
	// by itself (the caller runs Dispatch), as the demo does.
	DispatchEvery time.Duration
	// NoSeed leaves out the demo coach, leader and session of a first
	// start.
	NoSeed bool
	// SeedReview is the review delay of the seeded coach: how long after
	// the notes the recap goes out; zero means DemoCoach's (a minute).
	SeedReview time.Duration
	// Zone is the IANA time zone of the seeded coach and leader; "" means
	// the TZ environment's when it names one, else UTC (read by the caller).
	Zone string
	Log  *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&o.Dir, DefaultDir)
	def(&o.SMTPAddr, DefaultSMTPAddr)
	def(&o.HTTPAddr, DefaultHTTPAddr)
	def(&o.Domain, DefaultDomain)
	def(&o.Table, DefaultTable)
	def(&o.Practice, "Coaching")
	def(&o.Zone, "UTC")
	o.Domain = strings.ToLower(o.Domain)
	if o.Clock == nil {
		o.Clock = coaching.SystemClock{}
	}
	if o.DispatchEvery == 0 {
		o.DispatchEvery = DefaultDispatchEvery
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Stack is the running local workflow. Start it, then Close it.
type Stack struct {
	opts   Options
	log    *slog.Logger
	clock  coaching.Clock
	domain string
	ctx    context.Context // ends on Close: bounds work started by a request
	cancel context.CancelFunc

	store    *dynamo.Store
	db       *embeddedDB // nil with an external DynamoDB
	raw      *rawmail.Store
	out      *outbox.Outbox
	cycle    *cycle.Cycle
	inbound  *inbound.Handler
	dispatch *cycle.Dispatcher
	seeded   *Seed
	newKeys  bool

	smtpLn, httpLn, s3Ln net.Listener
	smtpSrv              *smtp.Server
	httpSrv, s3Srv       *http.Server
	fresh                freshConns

	unlock     func()
	s3URL      string
	dispatchMu sync.Mutex // one dispatch run at a time
	kick       chan struct{}
	wg         sync.WaitGroup
	closeOnce  sync.Once
	closeErr   error
}

// Errors of Start.
var (
	// ErrAddrInUse is wrapped when an address to listen on is taken.
	ErrAddrInUse = errors.New("local: address already in use")
	// ErrDirInUse is wrapped when another process runs on the state folder.
	ErrDirInUse = errors.New("local: state folder in use by another coachmail run")
)

// RunningFile is the file in the state folder that says, while the stack
// runs, where its servers are, so that the operator commands act on the
// same store; Close removes it.
const RunningFile = "running.json"

// Running is what RunningFile holds.
type Running struct {
	DynamoDBEndpoint string `json:"dynamodb_endpoint"`
	Table            string `json:"table"`
	S3Endpoint       string `json:"s3_endpoint"`
	Bucket           string `json:"bucket"`
	RawPrefix        string `json:"raw_prefix"`
	Domain           string `json:"domain"`
	NotesAddress     string `json:"notes_address"`
	Keyring          string `json:"keyring_file"`
	SMTP             string `json:"smtp"`
	Outbox           string `json:"outbox_url"`
}

// Start starts the stack: it listens, opens or creates the state in
// opts.Dir, seeds a first start, and serves until Close.
func Start(ctx context.Context, opts Options) (_ *Stack, err error) {
	opts = opts.withDefaults()
	if strings.ContainsAny(opts.Domain, "@ /") || !strings.Contains(opts.Domain, ".") {
		return nil, fmt.Errorf("local: intake domain %q is not a domain name", opts.Domain)
	}
	s := &Stack{opts: opts, log: opts.Log, clock: opts.Clock, domain: opts.Domain, kick: make(chan struct{}, 1)}
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		if err != nil {
			s.abort()
		}
	}()
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("local: state folder: %w", err)
	}
	if s.unlock, err = lockDir(s.path("lock")); err != nil {
		if errors.Is(err, ErrDirInUse) {
			return nil, fmt.Errorf("%w: %s (stop the other run, or choose another folder with --dir)", ErrDirInUse, opts.Dir)
		}
		return nil, err
	}
	// Listen first: a taken port is the likeliest failure, and should be
	// the first thing said.
	if s.smtpLn, err = listen("SMTP", opts.SMTPAddr, "--smtp"); err != nil {
		return nil, err
	}
	if s.httpLn, err = listen("HTTP", opts.HTTPAddr, "--http"); err != nil {
		return nil, err
	}
	keys, fresh, err := loadKeyring(s.path("keyring.json"))
	if err != nil {
		return nil, fmt.Errorf("local: %w", err)
	}
	s.newKeys = fresh
	if err := s.startS3(); err != nil {
		return nil, err
	}
	if s.out, err = outbox.New(s.path("outbox"), s.log); err != nil {
		return nil, fmt.Errorf("local: %w", err)
	}
	mux := http.NewServeMux()
	if opts.DynamoDBEndpoint == "" {
		s.db = newEmbeddedDB(s.path("dynamodb.json"), opts.Table, s.log)
		mux.Handle(StorePath, guard(http.StripPrefix(StorePath, s.db), opts.HTTPAddr, true))
	}
	mux.Handle("/v2/", guard(s.out.SESHandler(), opts.HTTPAddr, true))
	// Filled in below, once the store exists; no request reaches it before
	// Start returns.
	unsub := &unsubscribe.Handler{Clock: s.clock, Log: s.log}
	mux.Handle(UnsubscribePath, guard(unsub, opts.HTTPAddr, false))
	mux.Handle("/", guard(s.out.Handler(s.SMTPAddr()), opts.HTTPAddr, false))
	s.httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ConnState: s.fresh.track,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	s.goServe("HTTP", func() error { return s.httpSrv.Serve(s.httpLn) })

	if err := s.openStore(ctx); err != nil {
		return nil, err
	}
	tmpl, err := templates.New()
	if err != nil {
		return nil, fmt.Errorf("local: templates: %w", err)
	}
	s.cycle = &cycle.Cycle{Store: s.store, Clock: s.clock, Log: s.log}
	notes := "notes@" + s.domain
	s.inbound = &inbound.Handler{
		Store: s.store, Raw: s.raw, Keys: keys, Cycle: s.cycle, Clock: s.clock, Log: s.log,
		IntakeDomain: s.domain, NotesAddress: notes, MaxMessage: maxMessage,
	}
	unsub.Store, unsub.Keys = s.store, keys
	s.dispatch = &cycle.Dispatcher{
		Store: s.store, Clock: s.clock, Templates: tmpl, Keys: keys, Log: s.log,
		Sender: ses.New(s.sesClient(), ""), Temporary: ses.IsTemporary,
		From: s.FromAddress(), Practice: opts.Practice, IntakeDomain: s.domain, NotesAddress: notes,
		UnsubscribeURL: s.OutboxURL() + UnsubscribePath,
	}
	if !opts.NoSeed {
		if s.seeded, err = s.seed(ctx, opts.Zone); err != nil {
			return nil, fmt.Errorf("local: %w", err)
		}
	}

	if err := s.writeRunning(); err != nil {
		return nil, err
	}
	s.smtpSrv = smtp.NewServer(smtpBackend{s})
	s.smtpSrv.Domain = s.domain
	s.smtpSrv.MaxMessageBytes = maxMessage
	s.smtpSrv.MaxRecipients = maxRecipients
	s.smtpSrv.ReadTimeout = 5 * time.Minute
	s.smtpSrv.WriteTimeout = time.Minute
	s.smtpSrv.ErrorLog = smtpLog{s}
	s.goServe("SMTP", func() error { return s.smtpSrv.Serve(s.smtpLn) })
	if s.db != nil {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.db.run() }()
	}
	if opts.DispatchEvery > 0 {
		s.wg.Add(1)
		go s.dispatchLoop(opts.DispatchEvery)
	}
	return s, nil
}

// writeRunning writes RunningFile.
func (s *Stack) writeRunning() error {
	keyring, err := filepath.Abs(s.path("keyring.json"))
	if err != nil {
		return fmt.Errorf("local: %w", err)
	}
	data, err := json.MarshalIndent(Running{
		DynamoDBEndpoint: s.StoreEndpoint(), Table: s.opts.Table,
		S3Endpoint: s.s3URL, Bucket: rawBucket, RawPrefix: rawPrefix,
		Domain: s.domain, NotesAddress: s.NotesAddress(), Keyring: keyring,
		SMTP: s.SMTPAddr(), Outbox: s.OutboxURL(),
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("local: %w", err)
	}
	if err := writeFileAtomic(s.path(RunningFile), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("local: write %s: %w", RunningFile, err)
	}
	return nil
}

// listen listens on addr, with an error that says what to do when the
// address is taken.
func listen(what, addr, flag string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%w: %s address %s is taken (another coachmail run, or another program): stop it, or choose another address with %s",
			ErrAddrInUse, what, addr, flag)
	}
	if err != nil {
		return nil, fmt.Errorf("local: %s: listen on %s: %w", what, addr, err)
	}
	return ln, nil
}

func (s *Stack) goServe(what string, serve func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			s.log.Error("local: "+what+" server stopped", "err", err)
		}
	}()
}

// startS3 serves the raw-mail bucket from files under raw/ on a loopback
// port of its own, which only the stack uses.
func (s *Stack) startS3() error {
	fs, err := s3afero.FsPath(s.path("raw"), s3afero.FsPathCreateAll)
	if err != nil {
		return fmt.Errorf("local: raw mail folder: %w", err)
	}
	backend, err := s3afero.MultiBucket(fs)
	if err != nil {
		return fmt.Errorf("local: raw mail store: %w", err)
	}
	if ok, err := backend.BucketExists(rawBucket); err != nil {
		return fmt.Errorf("local: raw mail store: %w", err)
	} else if !ok {
		if err := backend.CreateBucket(rawBucket); err != nil {
			return fmt.Errorf("local: raw mail store: %w", err)
		}
	}
	if s.s3Ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return fmt.Errorf("local: raw mail store: %w", err)
	}
	addr := s.s3Ln.Addr().String()
	s.s3URL = "http://" + addr
	s.s3Srv = &http.Server{Handler: guard(gofakes3.New(backend).Server(), addr, true), ReadHeaderTimeout: 10 * time.Second, ConnState: s.fresh.track}
	s.goServe("S3", func() error { return s.s3Srv.Serve(s.s3Ln) })
	client := s3.New(s3.Options{
		Region:                     "eu-west-1",
		BaseEndpoint:               aws.String(s.s3URL),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider("local", "local", ""),
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
	s.raw = rawmail.New(client, rawBucket, rawPrefix)
	return nil
}

// openStore makes the DynamoDB client and the table: on the embedded
// server, restored from its snapshot; elsewhere, created when missing.
func (s *Stack) openStore(ctx context.Context) error {
	if s.db != nil {
		client := localDynamoDB("http://" + s.httpLn.Addr().String() + StorePath)
		if _, err := client.CreateTable(ctx, dynamo.Table(s.opts.Table)); err != nil {
			return fmt.Errorf("local: create table: %w", err)
		}
		n, found, err := s.db.restore()
		if err != nil {
			return fmt.Errorf("local: %w", err)
		}
		if found {
			s.log.Info("store: snapshot restored", "items", n)
		}
		s.store = dynamo.New(client, s.opts.Table)
		return nil
	}
	client, err := externalDynamoDB(ctx, s.opts.DynamoDBEndpoint)
	if err != nil {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := dynamo.CreateTable(tctx, client, s.opts.Table); err != nil {
		return fmt.Errorf("local: DynamoDB at %s: %w", s.opts.DynamoDBEndpoint, err)
	}
	s.store = dynamo.New(client, s.opts.Table)
	return nil
}

// localDynamoDB is a client for a DynamoDB-compatible server on loopback:
// static credentials, nothing read from the environment, and no response
// checksum (local servers send none).
func localDynamoDB(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(endpoint),
		// The store queries its due shards at once; keep a connection for
		// each rather than dialling afresh on every dispatcher run.
		HTTPClient: awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = 2 * dynamo.DefaultDueShards
		}),
		Credentials:                     credentials.NewStaticCredentialsProvider("local", "local", ""),
		DisableValidateResponseChecksum: true,
	})
}

// externalDynamoDB is a client for the endpoint: a local server's when the
// host is loopback, else one with the default AWS configuration (the
// environment's credentials and region).
func externalDynamoDB(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	host := endpoint
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	host, _, _ = strings.Cut(host, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if allowedHost(host, "") {
		return localDynamoDB(endpoint), nil
	}
	cfg, err := awscfg.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("local: AWS configuration for %s: %w", endpoint, err)
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) }), nil
}

// sesClient is the SES v2 client the dispatcher sends with, pointed at the
// outbox.
func (s *Stack) sesClient() *sesv2.Client {
	return sesv2.New(sesv2.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(s.OutboxURL()),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
}

// dispatchLoop runs the dispatcher every interval, and soon after an
// inbound message, until Close.
func (s *Stack) dispatchLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Dispatch(s.ctx); err != nil && s.ctx.Err() == nil {
			s.log.Error("dispatch: run failed; tried again on the next tick", "err", err)
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
	}
}

func (s *Stack) kickDispatch() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Dispatch runs the dispatcher now, batch after batch while there is more
// and progress, as the dispatch Lambda does, and returns the totals.
func (s *Stack) Dispatch(ctx context.Context) (cycle.Result, error) {
	s.dispatchMu.Lock()
	defer s.dispatchMu.Unlock()
	// As the dispatch Lambda does: recurring series first, so that their
	// next sessions exist before what is due is sent.
	if _, err := s.cycle.TopUp(ctx, s.clock.Now()); err != nil {
		s.log.WarnContext(ctx, "dispatch: series top-up failed; sending goes on", "err", err)
	}
	var total cycle.Result
	for {
		res, err := s.dispatch.Run(ctx)
		total.Add(res)
		if err != nil {
			return total, err
		}
		if res.Sent+res.Skipped+res.Failed+res.Retry > 0 {
			s.log.InfoContext(ctx, "dispatch: run", "sent", res.Sent, "skipped", res.Skipped, "lost", res.Lost, "retry", res.Retry, "failed", res.Failed)
		}
		if !res.Remaining || res.Sent+res.Skipped+res.Failed == 0 {
			return total, nil
		}
	}
}

// Close stops the stack: no new mail is taken, running work finishes, the
// store's last snapshot is written. It is safe to call more than once.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		var errs []error
		// SMTP first: a message being received is handled to the end.
		if s.smtpSrv != nil {
			if err := s.smtpSrv.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("stop SMTP: %w", err))
			}
			// Shutdown closes only the listeners Serve has registered; a
			// Close right after Start can come before that.
			s.smtpLn.Close()
		}
		s.dispatchMu.Lock() // a dispatch run in progress ends first
		s.cancel()
		s.dispatchMu.Unlock()
		// No new connections, and none that never sent a request: a
		// client's spare connection would hold Shutdown for seconds.
		s.httpLn.Close()
		s.s3Ln.Close()
		s.fresh.close()
		// Shutdown closes the listeners again: that error is no failure.
		if err := s.httpSrv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("stop HTTP: %w", err))
		}
		if s.db != nil {
			if err := s.db.close(); err != nil {
				errs = append(errs, err)
			}
		}
		if err := s.s3Srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("stop S3: %w", err))
		}
		s.wg.Wait()
		if err := os.Remove(s.path(RunningFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		s.unlock()
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// freshConns tracks the connections of the HTTP servers that have not
// sent a request yet.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state == http.StateNew {
		if f.conns == nil {
			f.conns = map[net.Conn]bool{}
		}
		f.conns[c] = true
		return
	}
	delete(f.conns, c)
}

func (f *freshConns) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
	}
}

// abort releases what a failed Start had taken.
func (s *Stack) abort() {
	s.cancel()
	for _, ln := range []net.Listener{s.smtpLn, s.httpLn, s.s3Ln} {
		if ln != nil {
			ln.Close()
		}
	}
	if s.httpSrv != nil {
		s.httpSrv.Close()
	}
	if s.s3Srv != nil {
		s.s3Srv.Close()
	}
	s.wg.Wait()
	if s.unlock != nil {
		s.unlock()
	}
}

func (s *Stack) path(name string) string { return filepath.Join(s.opts.Dir, name) }

// SMTPAddr is the address the SMTP intake listens on.
func (s *Stack) SMTPAddr() string { return s.smtpLn.Addr().String() }

// OutboxURL is the base URL of the outbox page, its JSON API and the SES
// endpoint.
func (s *Stack) OutboxURL() string { return "http://" + s.httpLn.Addr().String() }

// StoreEndpoint is the DynamoDB endpoint the stack uses: the embedded
// store's API on the HTTP address, or the one given.
func (s *Stack) StoreEndpoint() string {
	if s.db == nil {
		return s.opts.DynamoDBEndpoint
	}
	return s.OutboxURL() + StorePath
}

// Table is the DynamoDB table name.
func (s *Stack) Table() string { return s.opts.Table }

// Domain is the intake domain.
func (s *Stack) Domain() string { return s.domain }

// NotesAddress is where coaches send notes and calendar invitations.
func (s *Stack) NotesAddress() string { return s.inbound.NotesAddress }

// FromAddress is the sender of coachmail's mail.
func (s *Stack) FromAddress() string { return "coaching@" + s.domain }

// Store is the store the stack runs on.
func (s *Stack) Store() *dynamo.Store { return s.store }

// Outbox is where the stack's outgoing mail is kept.
func (s *Stack) Outbox() *outbox.Outbox { return s.out }

// Seeded says what a first start seeded, or nil.
func (s *Stack) Seeded() *Seed { return s.seeded }

// Dir is the state folder.
func (s *Stack) Dir() string { return s.opts.Dir }

// Embedded reports whether the store is the embedded one.
func (s *Stack) Embedded() bool { return s.db != nil }

// NewKeyring reports whether this start made the token keyring.
func (s *Stack) NewKeyring() bool { return s.newKeys }
