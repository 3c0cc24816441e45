package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// cli runs one command and returns its output, failing on a non-zero exit.
func cli(t *testing.T, cmd command, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := cmd(context.Background(), args, nil, &out, &errb); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

func TestAdminCommands(t *testing.T) {
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			client, table := dynamotest.NewTable(t, srv)
			endpoint := *client.Options().BaseEndpoint
			at := []string{"--dynamodb-endpoint", endpoint, "--table", table}
			out := cli(t, coachCmd, append([]string{"add", "--email", "Robin@Practice.example", "--name", "Robin", "--tz", "Europe/London"}, at...)...)
			if !strings.Contains(out, "added coach Robin <robin@practice.example>") {
				t.Errorf("coach add said %q", out)
			}
			cli(t, leaderCmd, append([]string{"add", "--email", "dana@example.org", "--name", "Dana", "--coach", "robin@practice.example"}, at...)...)
			out = cli(t, sessionCmd, append([]string{"add", "--coach", "robin@practice.example", "--leader", "dana@example.org", "--start", "2027-03-29T10:00", "--json"}, at...)...)
			var s sessionView
			if err := json.Unmarshal([]byte(out), &s); err != nil || s.ID == "" || s.Start.Format("15:04") != "09:00" {
				t.Fatalf("session add --json = %q (%v); want a session at 09:00 UTC (10:00 BST)", out, err)
			}
			out = cli(t, sessionCmd, append([]string{"move", "--id", s.ID, "--start", "2027-03-30T11:00"}, at...)...)
			if !strings.Contains(out, "moved session "+s.ID+"  2027-03-30 10:00") {
				t.Errorf("session move said %q", out)
			}
			cli(t, sessionCmd, append([]string{"cancel", "--id", s.ID}, at...)...)
			got, err := dynamo.New(client, table).SessionByID(context.Background(), s.ID)
			if err != nil || got.Status != "cancelled" {
				t.Errorf("session after cancel = %+v, %v", got, err)
			}
			out = cli(t, eraseCmd, append([]string{"--leader", "dana@example.org"}, at...)...)
			if !strings.Contains(out, "erased leader") {
				t.Errorf("erase said %q", out)
			}
			var errb bytes.Buffer
			if code := leaderCmd(context.Background(), append([]string{"add", "--email", "x@example.org", "--coach", "nobody@example.org"}, at...), nil, &bytes.Buffer{}, &errb); code != 1 || !strings.Contains(errb.String(), "not_found") {
				t.Errorf("leader add for an unknown coach = %d %q, want exit 1 naming not found", code, errb.String())
			}
		})
	}
}

func TestAdminWithoutStore(t *testing.T) {
	var errb bytes.Buffer
	t.Setenv("COACHMAIL_DYNAMODB_ENDPOINT", "")
	t.Setenv("COACHMAIL_TABLE", "")
	code := sessionCmd(context.Background(), []string{"list", "--coach", "a@b.example", "--dir", t.TempDir()}, nil, &bytes.Buffer{}, &errb)
	if code == 0 || !strings.Contains(errb.String(), "make run") {
		t.Errorf("without a store: exit %d %q, want a clear error", code, errb.String())
	}
}
