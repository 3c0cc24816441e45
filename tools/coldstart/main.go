// Command coldstart measures the cold init of each Lambda function: it
// builds the function's binary the way the Makefile does (static,
// -tags lambda.norpc, -trimpath, stripped) but for this machine's
// architecture, starts it with the environment Lambda gives a
// provided.al2023 function and AWS_LAMBDA_RUNTIME_API pointing at a fake
// Runtime API served here, and times from just before the exec to the
// function's first GET /2018-06-01/runtime/invocation/next: the moment it
// has finished its init and asks for work. It repeats that N times per
// function and prints the minimum, median, 95th percentile and maximum, the
// binary's size and its peak resident memory at that moment, then the size
// of each build/*.zip that `make build` left.
//
// What it does not measure: Lambda's own share of a cold start (fetching and
// unpacking the code, starting the micro-VM), and arm64 (the deployed
// architecture) unless run on an arm64 machine. Nothing is contacted: the
// credentials are dummies and the functions make no network call at init.
//
//	go run ./tools/coldstart [-n 20] [-functions inbound,dispatch]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

func main() {
	n := flag.Int("n", 20, "cold starts per function")
	only := flag.String("functions", "", "comma-separated functions to measure (default: every functions/*/main.go)")
	root := flag.String("root", ".", "module root")
	timeout := flag.Duration("timeout", 10*time.Second, "longest wait for one init")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *root, *only, *n, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, root, only string, n int, timeout time.Duration) error {
	if n < 1 {
		return errors.New("-n must be at least 1")
	}
	names, err := functions(root, only)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	rt, err := startRuntime()
	if err != nil {
		return err
	}
	defer rt.close()

	fmt.Fprintf(out, "cold init: %s/%s host build (CGO_ENABLED=0, -tags lambda.norpc, -trimpath, -ldflags '-s -w'), %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(out, "time from exec to the first GET /2018-06-01/runtime/invocation/next, %d runs each (the first included)\n\n", n)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "function\tbinary MB\tmin ms\tmedian ms\tp95 ms\tmax ms\tpeak RSS MB\t")
	for _, name := range names {
		bin := filepath.Join(tmp, name)
		if err := build(ctx, root, name, bin); err != nil {
			return err
		}
		st, err := os.Stat(bin)
		if err != nil {
			return err
		}
		var times []time.Duration
		var rss int64
		for range n {
			d, r, err := rt.coldStart(ctx, bin, name, timeout)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			times = append(times, d)
			rss = max(rss, r)
		}
		s := summarize(times)
		fmt.Fprintf(tw, "%s\t%9.1f\t%6.1f\t%9.1f\t%6.1f\t%6.1f\t%11s\t\n", name, mb(st.Size()), ms(s.min), ms(s.median), ms(s.p95), ms(s.max), rssText(rss))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return zips(out, filepath.Join(root, "build"))
}

// functions lists the function names to measure: those asked for, else
// every directory of functions/ with a main.go.
func functions(root, only string) ([]string, error) {
	if only != "" {
		return strings.Split(only, ","), nil
	}
	mains, err := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, m := range mains {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no functions/*/main.go under %s", root)
	}
	slices.Sort(names)
	return names, nil
}

func build(ctx context.Context, root, name, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w -buildid=", "-o", bin, "./functions/"+name)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %v\n%s", name, err, b)
	}
	return nil
}

// lambdaEnv is the environment Lambda gives a provided.al2023 function, with
// coachmail's configuration for every function and dummy credentials.
func lambdaEnv(name, runtimeAPI string) []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"LAMBDA_TASK_ROOT=/var/task",
		"LAMBDA_RUNTIME_DIR=/var/runtime",
		"_HANDLER=bootstrap",
		"AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023",
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME=coachmail-" + name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/coachmail-" + name,
		"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/30/[$LATEST]coldstart",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_REGION=eu-west-1",
		"AWS_DEFAULT_REGION=eu-west-1",
		"AWS_ACCESS_KEY_ID=AKIDCOLDSTART",
		"AWS_SECRET_ACCESS_KEY=coldstart",
		"AWS_SESSION_TOKEN=coldstart",
		"COACHMAIL_TABLE=coachmail",
		"COACHMAIL_RAW_BUCKET=coachmail-raw",
		"COACHMAIL_INTAKE_DOMAIN=mail.practice.example",
		"COACHMAIL_NOTES_ADDRESS=notes@mail.practice.example",
		"COACHMAIL_FROM_ADDRESS=coach@mail.practice.example",
		"COACHMAIL_TOKEN_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:coachmail-tokens",
		"COACHMAIL_UNSUBSCRIBE_URL=https://unsub.practice.example/u",
		"COACHMAIL_CONFIG_SET=coachmail",
	}
}

// fakeRuntime is the part of the Lambda Runtime API a function calls before
// its first invocation: GET .../invocation/next, which it answers by
// reporting the arrival and holding the request until the process ends.
// One function runs at a time.
type fakeRuntime struct {
	srv  *http.Server
	addr string

	mu    sync.Mutex
	ready chan time.Time // of the function running now
}

func startRuntime() (*fakeRuntime, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rt := &fakeRuntime{addr: ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		rt.mu.Lock()
		ch := rt.ready
		rt.mu.Unlock()
		if ch != nil {
			select {
			case ch <- at:
			default:
			}
		}
		<-r.Context().Done() // until the process is stopped
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
		fmt.Fprintf(os.Stderr, "coldstart: init error reported: %s\n", body)
		w.WriteHeader(http.StatusAccepted)
	})
	rt.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go rt.srv.Serve(ln)
	return rt, nil
}

func (rt *fakeRuntime) close() { rt.srv.Close() }

// coldStart runs bin once and returns the time from exec to its first call
// for work, and its peak resident memory then (0 where /proc is missing).
func (rt *fakeRuntime) coldStart(ctx context.Context, bin, name string, timeout time.Duration) (time.Duration, int64, error) {
	ready := make(chan time.Time, 1)
	rt.mu.Lock()
	rt.ready = ready
	rt.mu.Unlock()
	defer func() {
		rt.mu.Lock()
		rt.ready = nil
		rt.mu.Unlock()
	}()

	cmd := exec.Command(bin)
	cmd.Env = lambdaEnv(name, rt.addr)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case at := <-ready:
		rss := peakRSS(cmd.Process.Pid)
		stop()
		return at.Sub(start), rss, nil
	case err := <-exited:
		return 0, 0, fmt.Errorf("exited before asking for work (%v): %s", err, strings.TrimSpace(stderr.String()))
	case <-timer.C:
		stop()
		return 0, 0, fmt.Errorf("no call for work within %v: %s", timeout, strings.TrimSpace(stderr.String()))
	case <-ctx.Done():
		stop()
		return 0, 0, ctx.Err()
	}
}

// peakRSS reads VmHWM, the peak resident set, of a process from /proc.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

type summary struct{ min, median, p95, max time.Duration }

// summarize returns the order statistics of ds (nearest rank).
func summarize(ds []time.Duration) summary {
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return summary{min: s[0], median: rank(0.5), p95: rank(0.95), max: s[len(s)-1]}
}

// zips prints the size of each build/*.zip.
func zips(out io.Writer, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.zip"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintf(out, "\nno %s/*.zip: run make build for the deployment packages' sizes\n", dir)
		return nil
	}
	fmt.Fprintf(out, "\ndeployment packages (%s, linux/arm64 from make build):\n", dir)
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  %-20s %6.1f MB\n", filepath.Base(f), mb(st.Size()))
	}
	return nil
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func rssText(n int64) string {
	if n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", mb(n))
}
