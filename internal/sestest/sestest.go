// Package sestest runs a real local SES v2 server for tests: the npm
// package aws-ses-v2-local, pinned in tools/ses-local. It speaks the SES v2
// HTTP API, so tests drive it with the real SDK client, and it keeps what
// it was sent, which tests read back through its GET /store API.
//
// The first test that needs the server on a fresh machine installs it with
// `npm ci --prefix tools/ses-local` (one package at a time, under a file
// lock, since `go test ./...` runs packages in parallel). Without Node.js
// the tests that need it are skipped, saying why.
//
// What the server keeps of a raw message is what its MIME parser
// (mailparser) read from it: From, Reply-To, To, Cc and Subject decoded,
// and the text and HTML bodies. It does not keep the other headers; tests
// of those parse the raw message themselves (see internal/compose).
package sestest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

// toolDir is the folder of the pinned npm package, from the module root.
const toolDir = "tools/ses-local"

const (
	startTimeout   = 30 * time.Second
	installTimeout = 5 * time.Minute
)

var listening = regexp.MustCompile(`server running at https?://[^:\s]+:(\d+)`)

// Start runs a fresh server on a free port of 127.0.0.1 for the test and
// returns its endpoint ("http://127.0.0.1:PORT"). The server stops when the
// test ends. Start skips the test when Node.js is not installed, and fails
// it when the server cannot be installed or started.
func Start(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("sestest: Node.js (node) is not on PATH; it runs the local SES server (tools/ses-local)")
	}
	dir, err := findToolDir()
	if err != nil {
		t.Fatalf("sestest: %v", err)
	}
	if err := ensureInstalled(t, dir); err != nil {
		t.Fatalf("sestest: %v", err)
	}

	cmd := exec.Command(node, filepath.Join(dir, "node_modules", "aws-ses-v2-local", "dist", "cli.js"),
		"--host", "127.0.0.1", "--port", "0")
	cmd.Dir = dir
	cmd.SysProcAttr = sysProcAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("sestest: %v", err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("sestest: start %s: %v", cmd, err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})

	// The server prints the port it bound; everything after that is kept
	// for the failure message.
	port := make(chan string, 1)
	var out syncBuffer
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case port <- m[1]:
				default:
				}
			}
			out.WriteString(line + "\n")
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-done:
		t.Fatalf("sestest: the SES server exited before listening:\n%s%s", out.String(), stderr.String())
	case <-time.After(startTimeout):
		t.Fatalf("sestest: the SES server did not listen within %s:\n%s%s", startTimeout, out.String(), stderr.String())
	}
	return ""
}

// Client returns an SES v2 client for the server at endpoint, with dummy
// credentials (the server wants some) and the SDK's retries off, so that a
// test sees each failure as it happens.
func Client(endpoint string) *sesv2.Client {
	return sesv2.New(sesv2.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("sestest", "sestest", ""),
		RetryMaxAttempts: 1,
	})
}

// Email is one message the server received, as its MIME parser read it.
type Email struct {
	// MessageID is the id the server answered SendEmail with, the one
	// ses.Sender.Send returns; not the Message-ID header.
	MessageID string `json:"messageId"`
	// From is the From header as text: `"Name" <addr>`.
	From    string   `json:"from"`
	ReplyTo []string `json:"replyTo"`
	// Destination holds each To, Cc and Bcc header as text.
	Destination struct {
		To  []string `json:"to"`
		Cc  []string `json:"cc"`
		Bcc []string `json:"bcc"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		Text string `json:"text"`
		HTML string `json:"html"`
	} `json:"body"`
	// At is when the server received it, in Unix seconds.
	At int64 `json:"at"`
}

// Messages returns what the server at endpoint has received, oldest first.
func Messages(ctx context.Context, endpoint string) ([]Email, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/store", nil)
	if err != nil {
		return nil, fmt.Errorf("sestest: read store: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sestest: read store: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("sestest: read store: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sestest: read store: %s: %.200s", resp.Status, body)
	}
	var store struct {
		Emails []Email `json:"emails"`
	}
	if err := json.Unmarshal(body, &store); err != nil {
		return nil, fmt.Errorf("sestest: decode store: %w", err)
	}
	return store.Emails, nil
}

// Clear empties the server's store.
func Clear(ctx context.Context, endpoint string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/clear-store", nil)
	if err != nil {
		return fmt.Errorf("sestest: clear store: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("sestest: clear store: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sestest: clear store: %s", resp.Status)
	}
	return nil
}

// findToolDir finds tools/ses-local from the working directory (a test's is
// its package folder) up to the module root.
func findToolDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			tool := filepath.Join(dir, filepath.FromSlash(toolDir))
			if _, err := os.Stat(filepath.Join(tool, "package.json")); err != nil {
				return "", fmt.Errorf("no %s/package.json in the module at %s", toolDir, dir)
			}
			return tool, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
		dir = parent
	}
}

// ensureInstalled runs npm ci in dir unless the pinned version of the
// server is installed there already. A lock file serialises the test
// binaries of parallel packages; the one that waited finds it installed.
func ensureInstalled(t testing.TB, dir string) error {
	want, err := pinnedVersion(dir)
	if err != nil {
		return err
	}
	if installedVersion(dir) == want {
		return nil
	}
	unlock, err := lock(dir)
	if err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer unlock()
	if installedVersion(dir) == want {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skipf("sestest: aws-ses-v2-local %s is not installed in %s and npm is not on PATH to install it", want, dir)
	}
	t.Logf("sestest: installing aws-ses-v2-local %s (npm ci --prefix %s)", want, toolDir)
	ctx, cancel := context.WithTimeout(context.Background(), installTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci --prefix %s: %v\n%s", toolDir, err, out)
	}
	if got := installedVersion(dir); got != want {
		return fmt.Errorf("npm ci installed aws-ses-v2-local %q, want %q", got, want)
	}
	return nil
}

// pinnedVersion reads the version of aws-ses-v2-local that package.json pins.
func pinnedVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("%s/package.json: %w", toolDir, err)
	}
	v := pkg.Dependencies["aws-ses-v2-local"]
	if v == "" || strings.ContainsAny(v, "^~<>=* ") {
		return "", fmt.Errorf("%s/package.json: want aws-ses-v2-local pinned to one version, have %q", toolDir, v)
	}
	return v, nil
}

// installedVersion returns the version installed in dir, or "".
func installedVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "aws-ses-v2-local", "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// syncBuffer is a strings.Builder safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) WriteString(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
