package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// ETag is the strong entity tag of a resource version.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// SetETag puts the version's ETag on the response.
func SetETag(c echo.Context, version int) {
	c.Response().Header().Set("ETag", ETag(version))
}

// IfMatch returns the version named by the request's If-Match header: 428
// without one, 412 for a weak, malformed or "*" tag (a write must name the
// version it read).
func IfMatch(c echo.Context) (int, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, problem.PreconditionRequired()
	}
	if strings.HasPrefix(h, "W/") {
		return 0, problem.New(http.StatusPreconditionFailed, "weak_etag", "If-Match needs the strong ETag from the resource, not a weak one")
	}
	if len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, problem.New(http.StatusPreconditionFailed, "malformed_etag", `If-Match must be one ETag as returned, such as "3"`)
	}
	v, err := strconv.Atoi(h[1 : len(h)-1])
	if err != nil || v < 1 {
		return 0, problem.Stale()
	}
	return v, nil
}
