package web

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// ToProblem maps any error to the problem the client sees. Errors that are
// not the client's to act on become a bare 500.
func ToProblem(err error) *problem.Error {
	var p *problem.Error
	if errors.As(err, &p) {
		return p
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fromHTTPError(he)
	}
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this answer.
		return problem.New(StatusClientClosedRequest, "client_closed_request", "the client closed the connection before the answer")
	case errors.As(err, &pgErr) && pgErr.Code == "57014", errors.Is(err, context.DeadlineExceeded):
		return problem.Unavailable("timeout", "the request took too long and was stopped; narrow it down or try again shortly", 5*time.Second)
	case databaseUnavailable(err):
		return problem.Unavailable("database_unavailable", "the database cannot be reached just now; retry shortly", 2*time.Second)
	case errors.Is(err, gorm.ErrRecordNotFound):
		return problem.NotFound("resource")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return problem.Conflict("duplicate", "a resource with the same unique value already exists")
	case errors.As(err, &pgErr) && pgErr.Code == "22003": // numeric_value_out_of_range
		return invalidField(pgErr, pgErr.ColumnName, "out_of_range", "a number is out of the range it may have")
	case errors.As(err, &pgErr) && pgErr.Code == "22001": // string_data_right_truncation
		return invalidField(pgErr, pgErr.ColumnName, "too_long", "a text is longer than it may be")
	case errors.As(err, &pgErr) && pgErr.Code == "23503", errors.Is(err, gorm.ErrForeignKeyViolated):
		return invalidField(pgErr, constraintField(pgErr, "_fkey"), "reference_not_found", "a referenced resource does not exist")
	case errors.As(err, &pgErr) && pgErr.Code == "23514", errors.Is(err, gorm.ErrCheckConstraintViolated):
		return invalidField(pgErr, constraintField(pgErr, "_check"), "check_violation", "a value breaks a rule of the data")
	}
	return problem.New(http.StatusInternalServerError, "internal", "something went wrong on our side; the request id helps us find it")
}

// invalidField is the 422 of a value the database refused, naming the
// field where the error tells it. Domain validation should have caught it
// first; this keeps a miss from being a 500.
func invalidField(pgErr *pgconn.PgError, field, code, detail string) *problem.Error {
	if field == "" {
		return problem.Unprocessable(code, detail)
	}
	p := problem.Unprocessable(code, "one or more fields are invalid")
	p.Errors = []problem.FieldError{{Field: field, Code: code, Message: detail}}
	return p
}

// constraintField derives the column from PostgreSQL's default constraint
// name, <table>_<column>_fkey or <table>_<column>_check; "" when the
// name is not of that form.
func constraintField(pgErr *pgconn.PgError, suffix string) string {
	if pgErr == nil {
		return ""
	}
	if pgErr.ColumnName != "" {
		return pgErr.ColumnName
	}
	col, ok := strings.CutSuffix(pgErr.ConstraintName, suffix)
	if !ok || pgErr.TableName == "" {
		return ""
	}
	col, ok = strings.CutPrefix(col, pgErr.TableName+"_")
	if !ok {
		return ""
	}
	return col
}

// maxInstance is the most of a request's path an answer repeats.
const maxInstance = 200

// StatusClientClosedRequest is the status logged when the client hung up
// before the answer (nginx's 499; never seen by the client).
const StatusClientClosedRequest = 499

// databaseUnavailable tells errors of a database that is down, restarting
// or out of connections from errors of the request itself.
func databaseUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exceptions; 57P01–57P03: shutting down or
		// starting up; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	return errors.As(err, &connectErr) || errors.As(err, &opErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		pgconn.SafeToRetry(err)
}

func fromHTTPError(he *echo.HTTPError) *problem.Error {
	switch he.Code {
	case http.StatusNotFound:
		return problem.New(he.Code, "route_not_found", "no such endpoint; see /api/docs")
	case http.StatusMethodNotAllowed:
		return problem.New(he.Code, "method_not_allowed", "this endpoint does not take that method")
	case http.StatusRequestEntityTooLarge:
		return problem.New(he.Code, "body_too_large", "the request body is larger than the server accepts")
	case http.StatusUnsupportedMediaType:
		return problem.New(he.Code, "unsupported_media_type", "send the body as application/json")
	case http.StatusUnauthorized:
		return problem.Unauthenticated("unauthenticated", "sign in and send the access token as Authorization: Bearer …")
	case http.StatusForbidden:
		return problem.Forbidden("you may not do this")
	case http.StatusTooManyRequests:
		return problem.TooMany("rate_limited", "too many requests; slow down", 0)
	case http.StatusServiceUnavailable:
		return problem.New(he.Code, "unavailable", "the service is not ready")
	}
	if he.Code >= 400 && he.Code < 500 {
		return problem.New(he.Code, "bad_request", http.StatusText(he.Code))
	}
	return problem.New(http.StatusInternalServerError, "internal", "something went wrong on our side; the request id helps us find it")
}

// ErrorHandler writes every error as application/problem+json and logs the
// ones that are ours (5xx) once, with the request id and no client detail.
// A 503 (the database unreachable, a request past its deadline) is a
// condition of the moment, not a fault: it is logged as a warning, at most
// once every few seconds with how many more there were.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	var unavailable sampler
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := *ToProblem(err) // a copy: request fields must not touch shared values
		p.Instance = c.Request().URL.Path
		if len(p.Instance) > maxInstance { // a 414's path is the problem itself
			p.Instance = strings.ToValidUTF8(p.Instance[:maxInstance], "") + "…"
		}
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if p.RequestID == "" { // refused before the request id was given (414, 431)
			p.RequestID = uuid.NewString()
			c.Response().Header().Set(echo.HeaderXRequestID, p.RequestID)
		}
		switch {
		case p.Status == StatusClientClosedRequest:
			return // nobody is there to answer
		case p.Status == http.StatusServiceUnavailable:
			if n, ok := unavailable.take(5 * time.Second); ok {
				log.Warn("service unavailable", "code", p.Code, "request_id", p.RequestID, "route", c.Path(), "err", err, "also", n)
			}
		case p.Status >= 500:
			log.Error("request failed", "request_id", p.RequestID, "method", c.Request().Method,
				"route", c.Path(), "status", p.Status, "err", err)
		}
		h := c.Response().Header()
		if p.Status == http.StatusTooManyRequests || (p.Status == http.StatusServiceUnavailable && p.RetryAfter() > 0) {
			h.Set("Retry-After", p.RetryAfterHeader())
		}
		if p.Status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
			h.Set("WWW-Authenticate", `Bearer realm="samverkan"`)
		}
		if p.Status == http.StatusMethodNotAllowed && h.Get(echo.HeaderAllow) == "" {
			h.Set(echo.HeaderAllow, "GET, POST, PATCH, DELETE, OPTIONS")
		}
		h.Set(echo.HeaderContentType, problem.ContentType)
		c.Response().WriteHeader(p.Status)
		if c.Request().Method == http.MethodHead {
			return
		}
		_ = json.NewEncoder(c.Response()).Encode(&p)
	}
}

// sampler lets one of many events through every interval and counts the
// others.
type sampler struct {
	mu      sync.Mutex
	last    time.Time
	skipped int
}

// take reports whether this event is to be logged, and how many were not
// since the last that was.
func (s *sampler) take(every time.Duration) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now := time.Now(); now.Sub(s.last) >= every {
		n := s.skipped
		s.last, s.skipped = now, 0
		return n, true
	}
	s.skipped++
	return 0, false
}

// StatusOf is the status an error will be answered with, for metrics and logs.
func StatusOf(c echo.Context, err error) int {
	if err == nil {
		return c.Response().Status
	}
	return ToProblem(err).Status
}
