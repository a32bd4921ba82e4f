// Package problem holds the kinds of errors the service answers with and
// their form on the wire: RFC 9457 problem details with a stable machine code.
// Areas return these errors; one HTTP error handler writes them.
package problem

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// ContentType is the media type of every error answer.
const ContentType = "application/problem+json"

// Error is a problem the client can act on. It is also the JSON body.
type Error struct {
	Type      string       `json:"type" example:"urn:samverkan:problem:validation_failed"`
	Title     string       `json:"title" example:"Unprocessable Entity"`
	Status    int          `json:"status" example:"422" minimum:"400" maximum:"599"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty" example:"/api/v1/organisations"`
	Code      string       `json:"code" example:"validation_failed"`
	Errors    []FieldError `json:"errors,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	// Allowed lists what would have been accepted, where that helps (for
	// example the allowed status transitions).
	Allowed []string `json:"allowed,omitempty"`
	// ExistingID names, on a 409, the record of a register shared across
	// tenants that already holds the unique value sent (the organisation
	// with that organisationsnummer), for the caller to refer to it.
	ExistingID string `json:"existing_id,omitempty" format:"uuid"`
	// RFC 6749 §5.2's error and error_description, set on the errors of
	// the token endpoints so that OAuth client libraries can read them.
	OAuthError            string `json:"error,omitempty" enums:"invalid_request,invalid_client,invalid_grant,unauthorized_client,unsupported_grant_type,invalid_scope"`
	OAuthErrorDescription string `json:"error_description,omitempty"`

	retryAfter time.Duration
} // @name Problem

// FieldError is one field that failed validation.
type FieldError struct {
	Field   string `json:"field" example:"org_number"`
	Code    string `json:"code" example:"checksum"`
	Message string `json:"message" example:"the check digit does not match"`
} // @name FieldError

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Code + ": " + e.Detail
	}
	return e.Code
}

// RetryAfter is how long the client should wait, for 429 and 503.
func (e *Error) RetryAfter() time.Duration { return e.retryAfter }

// RetryAfterHeader is the Retry-After value in whole seconds, at least 1.
func (e *Error) RetryAfterHeader() string {
	s := int(e.retryAfter.Round(time.Second) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}

// New makes a problem with a status, a stable code and a human detail.
func New(status int, code, detail string) *Error {
	return &Error{
		Type:   "urn:samverkan:problem:" + code,
		Title:  http.StatusText(status),
		Status: status,
		Code:   code,
		Detail: detail,
	}
}

// BadRequest is a request the server cannot read (malformed JSON, bad query).
func BadRequest(code, format string, args ...any) *Error {
	return New(http.StatusBadRequest, code, fmt.Sprintf(format, args...))
}

// Unauthenticated answers a missing, invalid or expired credential.
func Unauthenticated(code, detail string) *Error {
	return New(http.StatusUnauthorized, code, detail)
}

// Forbidden answers a caller who may not do this at all.
func Forbidden(detail string) *Error { return New(http.StatusForbidden, "forbidden", detail) }

// NotFound answers an object that does not exist or that the caller may not see.
func NotFound(entity string) *Error {
	return New(http.StatusNotFound, "not_found", entity+" not found")
}

// IsNotFound reports whether err is, or wraps, a problem answered with 404:
// the one test of "absent" (or hidden from the caller). Any other problem,
// such as 403 or 412, is not an absence and must not be read as one.
func IsNotFound(err error) bool {
	var p *Error
	return errors.As(err, &p) && p.Status == http.StatusNotFound
}

// Conflict answers a request that collides with the current state.
func Conflict(code, detail string) *Error { return New(http.StatusConflict, code, detail) }

// Stale answers an If-Match that no longer names the current version.
func Stale() *Error {
	return New(http.StatusPreconditionFailed, "stale_version",
		"the resource has changed since you read it; read it again and retry with its new ETag")
}

// PreconditionRequired answers a write without If-Match.
func PreconditionRequired() *Error {
	return New(http.StatusPreconditionRequired, "if_match_required",
		"send the ETag of the version you read in an If-Match header")
}

// TooMany answers a caller that must slow down.
func TooMany(code, detail string, retryAfter time.Duration) *Error {
	e := New(http.StatusTooManyRequests, code, detail)
	e.retryAfter = retryAfter
	return e
}

// Unavailable answers a request the service cannot serve right now, such
// as while its database is unreachable; the client may retry after
// retryAfter.
func Unavailable(code, detail string, retryAfter time.Duration) *Error {
	e := New(http.StatusServiceUnavailable, code, detail)
	e.retryAfter = retryAfter
	return e
}

// Unprocessable answers a well-formed request that cannot be carried out.
func Unprocessable(code, detail string) *Error {
	return New(http.StatusUnprocessableEntity, code, detail)
}

// Fields collects validation errors, field by field.
type Fields []FieldError

// Add records that field failed with code.
func (f *Fields) Add(field, code, message string) {
	*f = append(*f, FieldError{Field: field, Code: code, Message: message})
}

// Err is nil when nothing was added, else a 422 validation problem.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	e := New(http.StatusUnprocessableEntity, "validation_failed", "one or more fields are invalid")
	e.Errors = f
	return e
}

// BadRequest is like Err, but for a request the server could not read as
// meant (a query parameter, an unknown field, a wrong type): 400 with code.
func (f Fields) BadRequest(code string) error {
	if len(f) == 0 {
		return nil
	}
	e := New(http.StatusBadRequest, code, "one or more fields or parameters cannot be read; errors names each")
	e.Errors = f
	return e
}

// OAuth is p as an error of an OAuth 2.0 token endpoint: a client error
// also carries RFC 6749's error and error_description. Its code names the
// OAuth error where it is one; any other 400 is invalid_request and any
// 401 invalid_client.
func OAuth(p *Error) *Error {
	q := *p
	switch {
	case q.Status == http.StatusUnauthorized:
		q.OAuthError = "invalid_client"
	case q.Status == http.StatusBadRequest && oauthErrors[q.Code]:
		q.OAuthError = q.Code
	case q.Status == http.StatusBadRequest, q.Status == http.StatusUnprocessableEntity, q.Status == http.StatusUnsupportedMediaType:
		q.OAuthError = "invalid_request"
	default:
		return p
	}
	q.OAuthErrorDescription = q.Detail
	return &q
}

var oauthErrors = map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true,
	"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true}
