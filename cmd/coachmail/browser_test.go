package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/local"
)

// chromium returns the path of a Chromium binary, or "" when there is
// none. Debian's package is chromium.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// buildDirectory is the repository's build/ folder.
func buildDirectory(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	build := filepath.Join(dir, "build")
	if err := os.MkdirAll(build, 0o755); err != nil {
		t.Fatal(err)
	}
	return build
}

// TestOutboxInBrowser plays the demo, serves its outbox, and looks at the
// page in headless Chromium: the list must show the demo's messages, newest
// first, and a message must show its text with its HTML in a sandboxed
// frame that the page cannot reach into. Screenshots go to build/.
func TestOutboxInBrowser(t *testing.T) {
	chrome := chromium()
	if chrome == "" {
		t.Skip("no Chromium binary (chromium or chromium-browser) on PATH: apt-get install -y chromium")
	}
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(testLog{t}, nil))
	if err := playDemo(ctx, dir, io.Discard, log); err != nil {
		t.Fatalf("demo: %v", err)
	}
	s, err := local.Start(ctx, local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", NoSeed: true, DispatchEvery: -1,
		Clock: coaching.NewManualClock(time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)), Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := s.Outbox().Messages()
	if len(want) == 0 {
		t.Fatal("the demo left no messages in the outbox")
	}

	var chromeOut bytes.Buffer
	actx, cancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
		chromedp.CombinedOutput(&chromeOut),
	)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser; it must not carry the timeout.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium %s: %v\n%s", chrome, err, chromeOut.String())
	}
	tctx, cancel := context.WithTimeout(bctx, time.Minute)
	defer cancel()
	build := buildDirectory(t)

	if err := chromedp.Do(tctx, chromedp.Navigate(s.OutboxURL()+"/"), chromedp.WaitVisible("#messages")); err != nil {
		t.Fatalf("open the outbox page: %v", err)
	}
	subjects, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#messages tr.message td:nth-child(4)')].map(td => td.innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(subjects) != len(want) {
		t.Fatalf("the page lists %d messages %q, want %d", len(subjects), subjects, len(want))
	}
	for i, m := range want {
		if subjects[i] != m.Subject {
			t.Errorf("row %d shows %q, want %q (newest first)", i+1, subjects[i], m.Subject)
		}
	}
	shot(t, tctx, filepath.Join(build, "outbox-list.png"))

	var recap string
	for _, m := range want {
		if strings.HasPrefix(m.Subject, "Recap") {
			recap = m.ID
		}
	}
	if recap == "" {
		t.Fatalf("no recap among %q", subjects)
	}
	if err := chromedp.Do(tctx, chromedp.Navigate(s.OutboxURL()+"/messages/"+recap), chromedp.WaitVisible("#text"), chromedp.WaitVisible("#html")); err != nil {
		t.Fatalf("open the recap: %v", err)
	}
	text, err := chromedp.Run(tctx, chromedp.Text("#text"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Book the conversation with Sam") {
		t.Errorf("the recap's text view shows:\n%s", text)
	}
	frame, err := chromedp.Run(tctx, chromedp.Evaluate[map[string]any](`(() => {
		const f = document.getElementById('html');
		return {sandbox: f.getAttribute('sandbox'), reachable: f.contentDocument !== null};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if frame["sandbox"] != "" || frame["reachable"] != false {
		t.Errorf("HTML frame = %v, want an empty sandbox attribute and a document the page cannot reach", frame)
	}
	// The browser itself can look into the frame: the HTML body must be
	// there, rendered.
	body, err := frameText(t, tctx, s.OutboxURL()+"/messages/"+recap+"/html")
	if err != nil {
		t.Fatalf("the HTML frame: %v", err)
	}
	if !strings.Contains(body, "Book the conversation with Sam") {
		t.Errorf("the HTML frame shows:\n%s", body)
	}
	shot(t, tctx, filepath.Join(build, "outbox-message.png"))
}

// frameText waits for the frame that loads url and returns its text,
// read through DevTools (DOM.getDocument): the sandboxed frame runs in a
// process of its own, which the page's scripts cannot reach.
// Ending a context attached to a frame closes the frame, so the contexts
// end with the test.
func frameText(t *testing.T, ctx context.Context, url string) (string, error) {
	for {
		targets, err := chromedp.Targets(ctx)
		if err != nil {
			return "", err
		}
		for _, ti := range targets {
			if ti.Type != "iframe" || ti.URL != url {
				continue
			}
			fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID))
			t.Cleanup(cancel)
			depth := int64(-1)
			doc, err := chromedp.Run(fctx, func(ctx context.Context, tg *chromedp.Target) (*cdp.Node, error) {
				res, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{Depth: &depth})
				if err != nil {
					return nil, err
				}
				return res.Root, nil
			})
			if err != nil {
				return "", err
			}
			var b strings.Builder
			collectText(doc, &b)
			if text := strings.TrimSpace(b.String()); text != "" {
				return text, nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no frame of %s with text: %w", url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// collectText appends the text nodes under n, outside style elements.
func collectText(n *cdp.Node, b *strings.Builder) {
	if n.NodeName == "STYLE" || n.NodeName == "HEAD" {
		return
	}
	if n.NodeType == 3 { // a DOM Text node
		b.WriteString(n.NodeValue)
		b.WriteString(" ")
	}
	for _, c := range n.Children {
		collectText(c, b)
	}
}

// shot writes a screenshot of the whole page to path, and checks that it
// is a PNG of the viewport's width.
func shot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	// A viewport as tall as the page rather than FullScreenshot, which
	// leaves out frames drawn by another process, as the sandboxed one is.
	height, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatalf("page height: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, min(max(height, 600), 8000))); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	data, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if w := img.Bounds().Dx(); w < 800 {
		t.Errorf("screenshot is %d pixels wide", w)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
