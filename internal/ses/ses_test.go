package ses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fakeClient records the last call and answers with out and err.
type fakeClient struct {
	in  *sesv2.SendEmailInput
	out *sesv2.SendEmailOutput
	err error
}

func (f *fakeClient) SendEmail(_ context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.in = in
	return f.out, f.err
}

func TestSendInput(t *testing.T) {
	raw := []byte("From: a@example.com\r\n\r\nbody\r\n")
	for _, configSet := range []string{"", "coachmail"} {
		f := &fakeClient{out: &sesv2.SendEmailOutput{MessageId: aws.String("0100-abc")}}
		id, err := New(f, configSet).Send(context.Background(), "coach@example.com", []string{"sam@example.com"}, raw)
		if err != nil || id != "0100-abc" {
			t.Fatalf("Send = %q, %v, want 0100-abc, nil", id, err)
		}
		in := f.in
		if got := aws.ToString(in.FromEmailAddress); got != "coach@example.com" {
			t.Errorf("FromEmailAddress = %q, want coach@example.com", got)
		}
		if in.Destination == nil || len(in.Destination.ToAddresses) != 1 || in.Destination.ToAddresses[0] != "sam@example.com" {
			t.Errorf("Destination = %+v, want To sam@example.com", in.Destination)
		}
		if in.Content == nil || in.Content.Raw == nil || !bytes.Equal(in.Content.Raw.Data, raw) || in.Content.Simple != nil {
			t.Errorf("Content = %+v, want the raw message only", in.Content)
		}
		if got := aws.ToString(in.ConfigurationSetName); got != configSet {
			t.Errorf("ConfigurationSetName = %q, want %q", got, configSet)
		}
		if in.ReplyToAddresses != nil || in.EmailTags != nil {
			t.Errorf("Reply-To or tags set on the call; want the raw message's headers to rule")
		}
	}
}

func TestSendRefusesWithoutCalling(t *testing.T) {
	tests := []struct {
		name string
		to   []string
		raw  []byte
	}{
		{"no recipients", nil, []byte("x")},
		{"over the size limit", []string{"sam@example.com"}, make([]byte, MaxRawSize/4*3+1)},
	}
	for _, test := range tests {
		f := &fakeClient{}
		_, err := New(f, "").Send(context.Background(), "coach@example.com", test.to, test.raw)
		if !errors.Is(err, ErrPermanent) {
			t.Errorf("%s: Send = %v, want %v", test.name, err, ErrPermanent)
		}
		if f.in != nil {
			t.Errorf("%s: Send called SES", test.name)
		}
	}
}

func TestSendNoMessageID(t *testing.T) {
	for _, out := range []*sesv2.SendEmailOutput{nil, {}, {MessageId: aws.String("")}} {
		_, err := New(&fakeClient{out: out}, "").Send(context.Background(), "a@example.com", []string{"b@example.com"}, []byte("x"))
		if !errors.Is(err, ErrPermanent) {
			t.Errorf("Send with answer %+v = %v, want %v", out, err, ErrPermanent)
		}
	}
}

func httpError(status int, err error) error {
	return &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
		Err:      err,
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"throttled", &types.TooManyRequestsException{Message: aws.String("Maximum sending rate exceeded.")}, ErrTemporary},
		{"quota", &types.LimitExceededException{}, ErrTemporary},
		{"internal", &types.InternalServiceErrorException{}, ErrTemporary},
		{"throttling code", &smithy.GenericAPIError{Code: "Throttling"}, ErrTemporary},
		{"unknown server fault", &smithy.GenericAPIError{Code: "Whatever", Fault: smithy.FaultServer}, ErrTemporary},
		{"503", httpError(503, errors.New("service unavailable")), ErrTemporary},
		{"500 wrapping an API error", httpError(500, &smithy.GenericAPIError{Code: "InternalFailure"}), ErrTemporary},
		{"429", httpError(429, errors.New("slow down")), ErrTemporary},
		{"retries exhausted", &retry.MaxAttemptsError{Attempt: 3, Err: &types.TooManyRequestsException{}}, ErrTemporary},
		{"deadline", context.DeadlineExceeded, ErrTemporary},
		{"cancelled", fmt.Errorf("op: %w", context.Canceled), ErrTemporary},
		{"net timeout", &net.OpError{Op: "read", Err: timeoutError{}}, ErrTemporary},
		{"connection refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, ErrTemporary},
		{"rejected", &types.MessageRejected{Message: aws.String("Email address is not verified.")}, ErrPermanent},
		{"suspended", &types.AccountSuspendedException{}, ErrPermanent},
		{"paused", &types.SendingPausedException{}, ErrPermanent},
		{"mail-from", &types.MailFromDomainNotVerifiedException{}, ErrPermanent},
		{"no config set", &types.NotFoundException{}, ErrPermanent},
		{"bad request", &types.BadRequestException{}, ErrPermanent},
		{"400 wrapping a rejection", httpError(400, &types.MessageRejected{}), ErrPermanent},
		{"403", httpError(403, errors.New("forbidden")), ErrPermanent},
		{"unknown client fault", &smithy.GenericAPIError{Code: "SomethingNew", Fault: smithy.FaultClient}, ErrPermanent},
	}
	for _, test := range tests {
		f := &fakeClient{err: test.err}
		_, err := New(f, "").Send(context.Background(), "a@example.com", []string{"b@example.com"}, []byte("x"))
		if !errors.Is(err, test.want) {
			t.Errorf("%s: Send = %v, want %v", test.name, err, test.want)
		}
		other := ErrPermanent
		if test.want == ErrPermanent {
			other = ErrTemporary
		}
		if errors.Is(err, other) {
			t.Errorf("%s: Send = %v, wraps both classes", test.name, err)
		}
		if !errors.Is(err, test.err) {
			t.Errorf("%s: Send = %v, does not wrap the SDK's error", test.name, err)
		}
		if IsTemporary(err) != (test.want == ErrTemporary) {
			t.Errorf("%s: IsTemporary = %v, want %v", test.name, IsTemporary(err), test.want == ErrTemporary)
		}
	}
}
