// Package dynamotest gives tests a fresh DynamoDB table on each
// DynamoDB-compatible server available: always the in-process minidyn
// server (github.com/truora/minidyn, served by net/http/httptest on
// 127.0.0.1, one server per table), and Amazon's DynamoDB Local as well when
// COACHMAIL_DYNAMODB_ENDPOINT names one (tools/dynamodb-local/run.sh starts
// it for `make test`). DynamoDB Local is the one that decides: minidyn
// ignores REMOVE in update expressions, reports no table status, knows no
// time to live and validates little, so a test skips a case there (and only
// there) with the reason, rather than the store working around it.
package dynamotest

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/truora/minidyn/server"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
)

// Environment variables.
const (
	// EndpointEnv names the URL of a running DynamoDB Local
	// (http://127.0.0.1:PORT); when set, Servers includes it.
	EndpointEnv = "COACHMAIL_DYNAMODB_ENDPOINT"
	// ReportEnv names a file that suites append their one-line result to
	// ("store suite: minidyn=ok dynamodb-local=ok"), for the Makefile to
	// print: go test shows nothing of a passing package's output.
	ReportEnv = "COACHMAIL_STORE_REPORT"
)

// Server names.
const (
	Minidyn       = "minidyn"
	DynamoDBLocal = "dynamodb-local"
)

// Server is a DynamoDB-compatible server a test can use.
type Server struct {
	Name string // Minidyn or DynamoDBLocal
	// Endpoint is the URL of DynamoDB Local (http://127.0.0.1:PORT), or ""
	// for minidyn: NewTable starts a minidyn server for each table, because
	// minidyn's table operations (CreateTable, DeleteTable) take no lock and
	// race with requests on other tables.
	Endpoint string
}

// Servers returns the servers to run a suite against: minidyn, and DynamoDB
// Local when EndpointEnv is set.
func Servers(t testing.TB) []Server {
	t.Helper()
	servers := []Server{{Name: Minidyn}}
	if ep := os.Getenv(EndpointEnv); ep != "" {
		servers = append(servers, Server{Name: DynamoDBLocal, Endpoint: ep})
	}
	return servers
}

// NewClient returns a DynamoDB client for a local server: static
// credentials, a fixed region, nothing read from the environment or from
// files, and no response checksum validation (local servers send none, and
// the SDK would warn on every call).
func NewClient(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:                          "us-east-1",
		BaseEndpoint:                    aws.String(endpoint),
		Credentials:                     credentials.NewStaticCredentialsProvider("coachmail", "local", ""),
		DisableValidateResponseChecksum: true,
	})
}

// NewTable creates a table with a fresh name on srv, laid out as
// dynamo.Table, and deletes it (or stops its minidyn server) when t ends. On
// DynamoDB Local it is made by dynamo.CreateTable (time to live on); minidyn
// knows no time to live, so there the table is made by CreateTable alone.
func NewTable(t testing.TB, srv Server) (*dynamodb.Client, string) {
	t.Helper()
	name := "coachmail-test-" + coaching.NewID()
	if srv.Name == Minidyn {
		h := httptest.NewServer(server.NewServer())
		t.Cleanup(h.Close)
		client := NewClient(h.URL)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := client.CreateTable(ctx, dynamo.Table(name)); err != nil {
			t.Fatalf("minidyn: create table: %v", err)
		}
		return client, name
	}
	client := NewClient(srv.Endpoint)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := dynamo.CreateTable(ctx, client, name); err != nil {
		t.Fatalf("%s at %s: create table: %v", srv.Name, srv.Endpoint, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("%s: delete table %s: %v", srv.Name, name, err)
		}
	})
	return client, name
}

// Skip skips t when it runs on the named server, with the reason: for a
// case that server cannot do right.
func (s Server) Skip(t testing.TB, name, reason string) {
	t.Helper()
	if s.Name == name {
		t.Skipf("%s: %s", name, reason)
	}
}
