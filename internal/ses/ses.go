// Package ses sends coachmail's outbound email through Amazon SES v2, as
// raw MIME (SendEmail with Content.Raw), so that every header is the one
// internal/compose wrote.
//
// Errors are classified once, here, for the dispatcher's retry decision.
// Every error Send returns wraps exactly one of ErrTemporary or ErrPermanent
// together with the SDK's error:
//
//   - temporary: throttling (TooManyRequestsException, LimitExceededException
//     — SES's sending-rate and daily quotas refill), SES's internal errors and
//     any HTTP 5xx, timeouts and cancellations, and failures that never got
//     an answer from SES (connection refused, DNS). Retrying later may work.
//   - permanent: MessageRejected (e.g. a virus, or a suppressed or invalid
//     address), AccountSuspendedException, SendingPausedException (the
//     account or configuration set is paused until someone acts),
//     MailFromDomainNotVerifiedException, NotFoundException (no such
//     configuration set or identity), BadRequestException, any other HTTP
//     4xx, and a message over SES's size limit. Retrying the same message
//     will not help.
//
// The SDK's own retryer has already retried throttling and 5xx answers
// before Send sees them; a temporary error here means those retries ran
// out, and the caller should try again on its next run.
package ses

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Classes of failure; see the package documentation.
var (
	ErrTemporary = errors.New("ses: temporary failure")
	ErrPermanent = errors.New("ses: permanent failure")
)

// MaxRawSize is the largest raw message SES v2 accepts, 40 MB including
// the base64 encoding of the API call; a larger message is refused here,
// permanently, without a call.
const MaxRawSize = 40 << 20

// Client is the part of *sesv2.Client that Sender uses.
type Client interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

var _ Client = (*sesv2.Client)(nil)

// Sender sends raw messages through SES v2.
type Sender struct {
	client    Client
	configSet string
}

// New returns a Sender that calls client, naming configSet (the
// configuration set that routes bounce and complaint events) on every
// message; "" names none.
func New(client Client, configSet string) *Sender {
	return &Sender{client: client, configSet: configSet}
}

// Send hands one raw RFC 5322 message to SES and returns the message id SES
// gave it. from is the envelope sender (a verified identity, bare address)
// and to the envelope recipients; the headers inside raw are what the
// recipients see. Errors wrap ErrTemporary or ErrPermanent.
func (s *Sender) Send(ctx context.Context, from string, to []string, raw []byte) (string, error) {
	if len(to) == 0 {
		return "", fmt.Errorf("ses: send: no recipients: %w", ErrPermanent)
	}
	// The API carries the message in base64.
	if size := (len(raw) + 2) / 3 * 4; size > MaxRawSize {
		return "", fmt.Errorf("ses: send: message of %d bytes is over the %d-byte limit: %w", len(raw), MaxRawSize, ErrPermanent)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: &from,
		Destination:      &types.Destination{ToAddresses: to},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: raw}},
	}
	if s.configSet != "" {
		in.ConfigurationSetName = &s.configSet
	}
	out, err := s.client.SendEmail(ctx, in)
	if err != nil {
		return "", fmt.Errorf("ses: send email: %w: %w", classify(err), err)
	}
	if out == nil || out.MessageId == nil || *out.MessageId == "" {
		// SES accepted the call but said nothing usable: the message may
		// have gone. Retrying risks a duplicate, so report it as permanent
		// for a person to look at.
		return "", fmt.Errorf("ses: send email: no message id in the answer: %w", ErrPermanent)
	}
	return *out.MessageId, nil
}

// IsTemporary reports whether err is a failure worth retrying later.
func IsTemporary(err error) bool { return errors.Is(err, ErrTemporary) }

// classify returns ErrTemporary or ErrPermanent for an error of SendEmail.
func classify(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return ErrTemporary
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "TooManyRequestsException", "LimitExceededException", "Throttling", "ThrottlingException",
			"InternalServiceErrorException", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException":
			return ErrTemporary
		case "MessageRejected", "AccountSuspendedException", "SendingPausedException",
			"MailFromDomainNotVerifiedException", "NotFoundException", "BadRequestException":
			return ErrPermanent
		}
		if apiErr.ErrorFault() == smithy.FaultServer {
			return ErrTemporary
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		code := respErr.HTTPStatusCode()
		switch {
		case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
			return ErrTemporary
		case code >= 400:
			return ErrPermanent
		}
	}
	if apiErr != nil {
		// An error SES named but that is not listed above: a client fault.
		return ErrPermanent
	}
	// No answer from SES at all (connection refused, DNS, a broken
	// connection, a network timeout): trying again is the right thing.
	return ErrTemporary
}
