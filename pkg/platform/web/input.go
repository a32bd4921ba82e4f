package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Limits of a request's head. The HTTP server itself refuses heads past
// maxHeadBytes (with a plain-text 431 it writes before any handler); below
// that, oversized requests are answered here as problem+json.
const (
	maxURIBytes    = 8 << 10
	maxHeaderBytes = 64 << 10
	maxHeadBytes   = 2 << 20
)

// headLimits answers 414 for a URI longer than maxURIBytes and 431 for
// header fields larger than maxHeaderBytes in all, before routing.
func headLimits(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if len(req.RequestURI) > maxURIBytes {
			return problem.New(http.StatusRequestURITooLong, "uri_too_long", "the address is longer than 8 KiB; send fewer or shorter query parameters")
		}
		n := 0
		for name, values := range req.Header {
			for _, v := range values {
				n += len(name) + len(v) + 4
			}
		}
		if n > maxHeaderBytes {
			return problem.New(http.StatusRequestHeaderFieldsTooLarge, "headers_too_large", "the header fields are larger than 64 KiB in all")
		}
		return next(c)
	}
}

// CleanInput refuses, with 400 invalid_characters, a request whose path,
// query parameter names or values, or header values hold a NUL byte or are
// not valid UTF-8, and one whose query string cannot be decoded (400 invalid_query). PostgreSQL
// text cannot store a NUL and refuses invalid UTF-8, so such a value would
// otherwise reach the database as a 500; here it is stopped before any
// handler, filter or store sees it.
func CleanInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		var f problem.Fields
		if !cleanText(r.URL.Path) || !cleanText(r.URL.RawPath) {
			f.Add("path", "invalid_characters", "must be valid UTF-8 without NUL bytes")
		}
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return problem.BadRequest("invalid_query", "the query string is not correctly percent-encoded")
		}
		for name, values := range query {
			if !cleanText(name) {
				f.Add(printable(name), "invalid_characters", "the parameter's name must be valid UTF-8 without NUL bytes")
				continue
			}
			for _, v := range values {
				if !cleanText(v) {
					f.Add(name, "invalid_characters", "must be valid UTF-8 without NUL bytes")
					break
				}
			}
		}
		for name, values := range r.Header {
			for _, v := range values {
				if !cleanText(v) {
					f.Add(http.CanonicalHeaderKey(name), "invalid_characters", "the header must be valid UTF-8 without NUL bytes")
					break
				}
			}
		}
		if err := f.BadRequest("invalid_characters"); err != nil {
			return err
		}
		return next(c)
	}
}

// cleanText reports whether s is valid UTF-8 without NUL.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// printable is s with NUL and invalid bytes replaced, to name it in an answer.
func printable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// PathParams answers 404 for a route whose path parameter is empty
// (/partnerships//follow-ups) or, for an id (a parameter named id or
// ending in _id), not a UUID: no such resource can exist, and the value
// never reaches a query. It runs for every route, after the caller's
// authentication and permission (so an anonymous caller still learns 401).
func PathParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for i, name := range c.ParamNames() {
			if name == "*" {
				continue
			}
			v := c.ParamValues()[i]
			if v == "" || ((name == "id" || strings.HasSuffix(name, "_id")) && !problem.IsUUID(v)) {
				return problem.NotFound(entity(c.Path(), name))
			}
		}
		return next(c)
	}
}

// entity names what a path parameter identifies, for the 404's detail:
// delivery_id is a delivery, the :id of /matching/rounds/:id a round.
func entity(route, param string) string {
	if name, ok := strings.CutSuffix(param, "_id"); ok {
		return strings.ReplaceAll(name, "_", " ")
	}
	segs := strings.Split(route, "/")
	for i, s := range segs {
		if s == ":"+param && i > 0 {
			return singular(segs[i-1])
		}
	}
	return "resource"
}

func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "ches"):
		return strings.TrimSuffix(s, "es")
	}
	return strings.TrimSuffix(s, "s")
}
