package web

import (
	"net/http"

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
