package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/s3test"
)

// TestOperatorCommandsOnLocalMode drives the operator's commands against a
// running local mode, as an operator would after `make run`: a message
// replayed from a file, a quarantined one replayed after its cause is
// fixed, and a leader erased with every raw message about them.
func TestOperatorCommandsOnLocalMode(t *testing.T) {
	// The operator commands must find the running local mode by its
	// folder, not a DynamoDB that the environment names (make test runs
	// DynamoDB Local and says so in COACHMAIL_DYNAMODB_ENDPOINT).
	t.Setenv("COACHMAIL_DYNAMODB_ENDPOINT", "")
	t.Setenv("COACHMAIL_TABLE", "")
	dir := t.TempDir()
	stack, err := local.Start(context.Background(), local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", DispatchEvery: -1, Zone: "Europe/London",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("local.Start: %v", err)
	}
	t.Cleanup(func() { stack.Close() })
	at := []string{"--dir", dir}
	cli(t, coachCmd, append([]string{"add", "--email", "sam@coach.example", "--name", "Sam Coach", "--tz", "Europe/London"}, at...)...)
	cli(t, leaderCmd, append([]string{"add", "--email", "lee@leader.example", "--name", "Lee", "--coach", "sam@coach.example"}, at...)...)

	// Notes about Lee, sent before any session of theirs exists.
	notes := "From: Sam Coach <sam@coach.example>\r\nTo: " + stack.NotesAddress() + "\r\nCc: lee@leader.example\r\n" +
		"Subject: Notes: Lee\r\nDate: " + time.Now().UTC().Format(time.RFC1123Z) + "\r\n\r\n" +
		"Decision: Lee will stop attending the weekly ops review.\r\nActions:\r\n- Tell the COO by Friday\r\n"
	file := filepath.Join(t.TempDir(), "notes.eml")
	if err := os.WriteFile(file, []byte(notes), 0o600); err != nil {
		t.Fatal(err)
	}
	out := cli(t, inboundCmd, append([]string{file, "--json"}, at...)...)
	var res map[string]string
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["outcome"] != "quarantined" || !strings.Contains(res["reason"], "no session") {
		t.Fatalf("inbound = %q (%v), want quarantined: notes match no session", out, err)
	}
	id := res["message"]
	if out := cli(t, quarantineCmd, append([]string{"list"}, at...)...); !strings.Contains(out, id) {
		t.Errorf("quarantine list = %q, want %s", out, id)
	}
	if out := cli(t, quarantineCmd, append([]string{"show", id}, at...)...); !strings.Contains(out, "notes match no session") {
		t.Errorf("quarantine show = %q", out)
	}

	// The cause fixed — the session is added — the replay applies it.
	start := time.Now().In(mustLoad(t, "Europe/London")).Add(-90 * time.Minute).Format("2006-01-02T15:04")
	cli(t, sessionCmd, append([]string{"add", "--coach", "sam@coach.example", "--leader", "lee@leader.example", "--start", start}, at...)...)
	out = cli(t, quarantineCmd, append([]string{"replay", id, "--json"}, at...)...)
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["outcome"] != "applied" || res["route"] != "notes" {
		t.Fatalf("replay = %q (%v), want the notes applied", out, err)
	}
	if out := cli(t, quarantineCmd, append([]string{"list"}, at...)...); strings.Contains(out, id) {
		t.Errorf("quarantine list after the replay = %q, want %s released", out, id)
	}

	var run local.Running
	data, err := os.ReadFile(filepath.Join(dir, local.RunningFile))
	if err != nil || json.Unmarshal(data, &run) != nil {
		t.Fatalf("read running.json: %v", err)
	}
	// mentioning counts the raw messages in the bucket that name addr.
	mentioning := func(addr string) int {
		t.Helper()
		client := s3test.Client(run.S3Endpoint)
		list, err := client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(run.Bucket), Prefix: aws.String(run.RawPrefix)})
		if err != nil {
			t.Fatalf("list raw mail: %v", err)
		}
		n := 0
		for _, o := range list.Contents {
			obj, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(run.Bucket), Key: o.Key})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(obj.Body)
			obj.Body.Close()
			if bytes.Contains(body, []byte(addr)) {
				n++
			}
		}
		return n
	}
	if n := mentioning("lee@leader.example"); n != 1 {
		t.Fatalf("raw messages about Lee before the erase = %d, want the replayed notes only", n)
	}

	// Erase: no record and no raw message of Lee is left.
	out = cli(t, eraseCmd, append([]string{"--leader", "lee@leader.example"}, at...)...)
	if !strings.Contains(out, "erased leader") {
		t.Fatalf("erase = %q", out)
	}
	var errb bytes.Buffer
	if code := sessionCmd(context.Background(), append([]string{"list", "--leader", "lee@leader.example"}, at...), nil, &bytes.Buffer{}, &errb); code != 1 || !strings.Contains(errb.String(), "not_found") {
		t.Errorf("session list of the erased leader = %d %q, want not found", code, errb.String())
	}
	if n := mentioning("lee@leader.example"); n != 0 {
		t.Errorf("raw messages about the erased leader left in the bucket: %d", n)
	}
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
