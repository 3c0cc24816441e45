package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/outbox"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
	buildDir  string
)

// binary builds coachmail once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "coachmail-bin-")
		if buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "coachmail")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// process is a running `coachmail run`.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
}

// startRun starts `coachmail run` with args and waits for its banner,
// which it prints once it listens.
func startRun(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"run"}, args...)...)
	cmd.Env = append(os.Environ(), "TZ=Europe/London")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		once := sync.Once{}
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "coachmail is running") {
				once.Do(func() { close(ready) })
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { p.stop() })
	select {
	case <-ready:
	case err := <-p.done:
		p.done <- err
		t.Fatalf("coachmail run exited before it was ready: %v\n%s", err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("coachmail run not ready after 30s\n%s", p.stderr)
	}
	return p
}

// stop interrupts the process, as Ctrl-C does, and returns its exit error.
func (p *process) stop() error {
	if p.cmd.ProcessState != nil {
		return nil
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.done:
		return err
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("coachmail run did not stop within 20s of an interrupt")
	}
}

// TestRunProcess starts `coachmail run` as a process on free ports and a
// fresh folder, sends the seeded coach's notes over SMTP, reads the recap
// from the outbox's JSON API and its .eml file, replies to it as the leader,
// and stops the process with an interrupt: the reply must be in the store
// snapshot it leaves behind.
func TestRunProcess(t *testing.T) {
	dir := t.TempDir()
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)
	p := startRun(t, "--dir", dir, "--smtp", smtpAddr, "--http", httpAddr, "--dispatch-every", "100ms", "--seed-review-delay", "1s")
	base := "http://" + httpAddr

	notes := "From: Robin Ellis <" + local.DemoCoach.Email + ">\r\nTo: notes@coachmail.localhost\r\nSubject: Notes: Dana\r\n" +
		"Message-ID: <notes-e2e@coach.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
		"Decision: Dana will raise the roles question with her co-founder.\r\nActions:\r\n- Book the conversation by Friday\r\n- Draft the roles document\r\n"
	if err := smtp.SendMail(smtpAddr, nil, local.DemoCoach.Email, []string{"notes@coachmail.localhost"}, []byte(notes)); err != nil {
		t.Fatalf("SMTP: %v\n%s", err, p.stderr)
	}
	err := smtp.SendMail(smtpAddr, nil, local.DemoCoach.Email, []string{"someone@elsewhere.example"}, []byte(notes))
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("SMTP to another domain: %v, want 550", err)
	}

	recap := waitFor(t, p, base, func(m outbox.Message) bool { return strings.HasPrefix(m.Subject, "Recap") })
	var d outbox.Detail
	getJSON(t, base+"/api/messages/"+recap.ID, &d)
	if !strings.Contains(d.Text, "Book the conversation") || !strings.Contains(d.HTML, "Book the conversation") {
		t.Errorf("recap text and HTML lack the action:\n%s", d.Text)
	}
	file, err := os.ReadFile(filepath.Join(dir, "outbox", recap.ID+".eml"))
	if err != nil {
		t.Fatalf("the recap's .eml file: %v", err)
	}
	raw := get(t, base+"/messages/"+recap.ID+"/raw")
	if !bytes.Equal(file, raw) {
		t.Error("the .eml file differs from what the page serves")
	}
	m, err := mail.ReadMessage(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("the .eml file does not parse: %v", err)
	}
	if to := m.Header.Get("To"); !strings.Contains(to, local.DemoLeader.Email) {
		t.Errorf("the .eml file is to %q", to)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" || m.Header.Get("Message-Id") != "<"+recap.MessageID+">" {
		t.Errorf("the .eml file's header: Auto-Submitted %q, Message-Id %q", m.Header.Get("Auto-Submitted"), m.Header.Get("Message-Id"))
	}
	if !strings.Contains(string(get(t, base+"/")), recap.ID) {
		t.Error("the outbox page does not list the recap")
	}

	reply := "From: Dana Lee <" + local.DemoLeader.Email + ">\r\nTo: " + recap.ReplyTo[0] + "\r\nSubject: Re: " + recap.Subject + "\r\n" +
		"Message-ID: <reply-e2e@leader.example>\r\nIn-Reply-To: <" + recap.MessageID + ">\r\nReferences: <" + recap.MessageID + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n1 done\r\n\r\n> Recap\r\n"
	if err := smtp.SendMail(smtpAddr, nil, local.DemoLeader.Email, recap.ReplyTo, []byte(reply)); err != nil {
		t.Fatalf("SMTP reply: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, local.RunningFile)); err != nil {
		t.Errorf("%s while running: %v", local.RunningFile, err)
	}
	if err := p.stop(); err != nil {
		t.Fatalf("coachmail run after an interrupt: %v\n%s", err, p.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, local.RunningFile)); !os.IsNotExist(err) {
		t.Errorf("%s after stopping: %v, want it gone", local.RunningFile, err)
	}
	if status := commitmentStatus(t, dir, local.DemoLeader.Email, "Book the conversation by Friday"); status != "done" {
		t.Errorf("stored status of the first commitment = %q, want done\n%s", status, p.stderr)
	}
	logs := p.stderr.String()
	for _, private := range []string{local.DemoLeader.Email, local.DemoCoach.Email, "Book the conversation", "1 done"} {
		if strings.Contains(logs, private) {
			t.Errorf("the log holds %q:\n%s", private, logs)
		}
	}
}

// TestRunPortTaken checks the error a user sees when the SMTP port is in
// use.
func TestRunPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cmd := exec.Command(binary(t), "run", "--dir", t.TempDir(), "--smtp", ln.Addr().String(), "--http", freeAddr(t))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("coachmail run on a taken port: %v, want exit status 1\n%s", err, out)
	}
	if want := "SMTP address " + ln.Addr().String() + " is taken"; !strings.Contains(string(out), want) || !strings.Contains(string(out), "--smtp") {
		t.Errorf("output lacks %q and the flag to change it:\n%s", want, out)
	}
}

// waitFor polls the JSON API until a message matches, for at most 20
// seconds: the dispatcher runs on the real clock.
func waitFor(t *testing.T, p *process, base string, match func(outbox.Message) bool) outbox.Message {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ms []outbox.Message
		getJSON(t, base+"/api/messages", &ms)
		for _, m := range ms {
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching message in the outbox after 20s; it holds %+v\n%s", ms, p.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, %v\n%s", url, resp.StatusCode, err, body)
	}
	return body
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	if err := json.Unmarshal(get(t, url), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// commitmentStatus opens the state folder a stopped run left behind, as
// the next run would, and returns the status of the leader's commitment
// with the text.
func commitmentStatus(t *testing.T, dir, leader, text string) string {
	t.Helper()
	ctx := context.Background()
	s, err := local.Start(ctx, local.Options{Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", NoSeed: true, DispatchEvery: -1})
	if err != nil {
		t.Fatalf("open the state a run left: %v", err)
	}
	defer s.Close()
	l, err := s.Store().LeaderByEmail(ctx, leader)
	if err != nil {
		t.Fatalf("leader %s after the run: %v", leader, err)
	}
	cs, err := s.Store().Commitments(ctx, l.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Text == text {
			return string(c.Status)
		}
	}
	t.Fatalf("no commitment %q after the run; there are %+v", text, cs)
	return ""
}

// syncBuffer is a bytes.Buffer safe for a process to write while a test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
