package faults

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
)

// server counts the requests that reach it and answers each with an empty
// success of the kind the SDK expects.
func server(t *testing.T, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

var creds = credentials.NewStaticCredentialsProvider("a", "b", "")

func dynamoClient(url string, tr *Transport) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: creds,
		HTTPClient: tr.Client(), RetryMaxAttempts: 1, DisableValidateResponseChecksum: true})
}

func apiCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func TestDynamoDBFaults(t *testing.T) {
	ctx := context.Background()
	srv, hits := server(t, `{}`)
	tr := New(DynamoDB, nil, 1, Rule{Operation: "TransactWriteItems", Every: 2, Mode: ServerError}, Rule{Operation: "GetItem", Mode: Throttle})
	c := dynamoClient(srv.URL, tr)
	key := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "a"}}
	tx := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String("t"), Item: key}}}}
	var codes []string
	for range 4 {
		_, err := c.TransactWriteItems(ctx, tx)
		codes = append(codes, apiCode(err))
	}
	if got := strings.Join(codes, ","); got != ",InternalServerError,,InternalServerError" {
		t.Errorf("TransactWriteItems error codes = %q, want every second one InternalServerError", got)
	}
	_, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("t"), Key: key})
	if apiCode(err) != "ThrottlingException" {
		t.Errorf("GetItem error = %v, want ThrottlingException", err)
	}
	if hits.Load() != 2 || tr.Calls("TransactWriteItems") != 4 || tr.Faults("") != 3 {
		t.Errorf("server saw %d calls, transport %d TransactWriteItems and %d faults; want 2, 4, 3", hits.Load(), tr.Calls("TransactWriteItems"), tr.Faults(""))
	}
	tr.Set(Rule{Operation: "PutItem", Mode: LoseAnswer})
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: key})
	if apiCode(err) != "InternalServerError" || hits.Load() != 3 {
		t.Errorf("lost answer: error %v, server saw %d calls; want InternalServerError after the server had the call (3)", err, hits.Load())
	}
	tr.Set()
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("t"), Item: key}); err != nil {
		t.Errorf("healed: PutItem = %v", err)
	}
}

func TestS3Faults(t *testing.T) {
	ctx := context.Background()
	srv, hits := server(t, "raw")
	tr := New(S3, nil, 1, Rule{Operation: "GetObject", Mode: Timeout, Delay: 10 * time.Millisecond, Times: 1}, Rule{Operation: "GetObject", Mode: Throttle, Times: 1})
	c := s3.New(s3.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Credentials: aws.AnonymousCredentials{},
		HTTPClient: tr.Client(), RetryMaxAttempts: 1})
	in := &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("inbound/x")}
	_, err := c.GetObject(ctx, in)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("first GetObject = %v, want a network timeout", err)
	}
	if _, err := c.GetObject(ctx, in); apiCode(err) != "SlowDown" {
		t.Errorf("second GetObject = %v, want SlowDown", err)
	}
	if _, err := c.GetObject(ctx, in); err != nil || hits.Load() != 1 {
		t.Errorf("third GetObject = %v with %d server calls, want success on the first to reach it", err, hits.Load())
	}
	if got := Operation(S3, httptest.NewRequest(http.MethodPut, "/b/inbound/x", nil)); got != "PutObject" {
		t.Errorf("Operation(PUT /b/inbound/x) = %q, want PutObject", got)
	}
}

func TestSESFaults(t *testing.T) {
	ctx := context.Background()
	srv, hits := server(t, `{"MessageId":"m1"}`)
	tr := New(SES, nil, 1, Rule{Operation: "SendEmail", Mode: Throttle, Times: 1})
	c := sesv2.New(sesv2.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, HTTPClient: tr.Client(), RetryMaxAttempts: 1})
	in := &sesv2.SendEmailInput{Content: &sestypes.EmailContent{Raw: &sestypes.RawMessage{Data: []byte("x")}}}
	if _, err := c.SendEmail(ctx, in); apiCode(err) != "TooManyRequestsException" {
		t.Errorf("SendEmail = %v, want TooManyRequestsException", err)
	}
	out, err := c.SendEmail(ctx, in)
	if err != nil || aws.ToString(out.MessageId) != "m1" || hits.Load() != 1 {
		t.Errorf("SendEmail after the fault = %v, %v with %d server calls; want m1 from the one call", out, err, hits.Load())
	}
}

// Chance draws from the seed: the same seed faults the same calls.
func TestChanceIsSeeded(t *testing.T) {
	pattern := func(seed uint64) string {
		tr := New(DynamoDB, nil, seed, Rule{Chance: 0.5})
		var b strings.Builder
		for range 64 {
			if _, hit := tr.choose("GetItem"); hit {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b, c := pattern(1), pattern(1), pattern(2)
	if a != b || a == c || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("faults with seed 1: %s and %s; seed 2: %s; want the same twice, another for seed 2, both kinds", a, b, c)
	}
}
