package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// SESPath is the path of SES v2's SendEmail.
const SESPath = "/v2/email/outbound-emails"

// maxRequest bounds a SendEmail request: a MaxSize message in base64 with
// room for the JSON around it.
const maxRequest = MaxSize/3*4 + 1<<20

// sendEmailInput is the part of SES v2's SendEmail request the outbox
// reads. Data is a blob, which the protocol carries in base64 and
// encoding/json decodes into []byte.
type sendEmailInput struct {
	FromEmailAddress string
	Destination      *struct {
		ToAddresses  []string
		CcAddresses  []string
		BccAddresses []string
	}
	Content *struct {
		Raw *struct {
			Data []byte
		}
		Simple   json.RawMessage
		Template json.RawMessage
	}
	ConfigurationSetName string
}

// SESHandler returns the SES v2 endpoint: SendEmail with raw content at
// SESPath, answered as SES answers (200 with {"MessageId": id}, or an
// error named in X-Amzn-ErrorType and the body). Every other request gets
// a BadRequestException or NotFoundException naming what is not supported.
func (o *Outbox) SESHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+SESPath, o.sendEmail)
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		sesError(w, http.StatusNotFound, "NotFoundException", "the local outbox serves only SendEmail (POST "+SESPath+")")
	})
	return mux
}

func (o *Outbox) sendEmail(w http.ResponseWriter, r *http.Request) {
	// The SDK sends JSON; insisting on it also keeps browsers out, which
	// cannot send it cross-origin without a preflight nobody answers.
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		sesError(w, http.StatusBadRequest, "BadRequestException", "Content-Type must be application/json")
		return
	}
	var in sendEmailInput
	body := http.MaxBytesReader(w, r.Body, maxRequest)
	if err := json.NewDecoder(body).Decode(&in); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			sesError(w, http.StatusBadRequest, "MessageRejected", fmt.Sprintf("request over %d bytes", maxRequest))
			return
		}
		sesError(w, http.StatusBadRequest, "BadRequestException", "request is not SendEmail JSON: "+err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, body)
	switch {
	case in.Content == nil || (in.Content.Raw == nil && in.Content.Simple == nil && in.Content.Template == nil):
		sesError(w, http.StatusBadRequest, "BadRequestException", "Content is required")
		return
	case in.Content.Raw == nil:
		sesError(w, http.StatusBadRequest, "BadRequestException", "the local outbox accepts only Content.Raw")
		return
	}
	from := strings.TrimSpace(in.FromEmailAddress)
	var to []string
	if d := in.Destination; d != nil {
		to = append(append(append(to, d.ToAddresses...), d.CcAddresses...), d.BccAddresses...)
	}
	m, err := o.Add(from, to, in.Content.Raw.Data)
	switch {
	case errors.Is(err, ErrInvalid):
		sesError(w, http.StatusBadRequest, "MessageRejected", err.Error())
		return
	case err != nil:
		o.log.ErrorContext(r.Context(), "outbox: keep message", "err", err)
		sesError(w, http.StatusInternalServerError, "InternalServiceErrorException", "the outbox could not keep the message")
		return
	}
	o.log.InfoContext(r.Context(), "outbox: captured", "id", m.ID, "bytes", m.Size, "recipients", len(m.Envelope.To))
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"MessageId": m.ID})
}

// sesError writes an error as the restJson1 protocol does: the code in
// X-Amzn-ErrorType, and a JSON body with it and a message.
func sesError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
