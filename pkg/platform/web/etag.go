package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
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

// ContentETag gives every successful GET answer that has no ETag of its own
// (lists, for instance) one derived from its body, and answers 304 Not
// Modified when the client's If-None-Match already names it. Streams such as
// CSV pass through untouched. The tag is a 64-bit xxhash of the body: it
// tells versions of one answer apart, which needs no cryptographic hash
// (SHA-256 was 3 % of a list's CPU).
func ContentETag(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodGet {
			return next(c)
		}
		w := &etagWriter{ResponseWriter: c.Response().Writer, buf: buffers.Get().(*bytes.Buffer)}
		defer w.release()
		c.Response().Writer = w
		err := next(c)
		c.Response().Writer = w.ResponseWriter
		if !w.buffering {
			return err
		}
		tag := `"` + strconv.FormatUint(xxhash.Sum64(w.buf.Bytes()), 36) + `"`
		h := w.ResponseWriter.Header()
		h.Set("ETag", tag)
		if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagListed(inm, tag) {
			h.Del(echo.HeaderContentType)
			h.Del(echo.HeaderContentLength)
			w.ResponseWriter.WriteHeader(http.StatusNotModified)
			return err
		}
		w.ResponseWriter.WriteHeader(w.status)
		_, werr := w.ResponseWriter.Write(w.buf.Bytes())
		if err == nil {
			err = werr
		}
		return err
	}
}

type etagWriter struct {
	http.ResponseWriter
	buffering bool
	decided   bool
	status    int
	buf       *bytes.Buffer
}

// buffers hold answers while their ETag is computed; one that grew past
// bufferKeep is left to the garbage collector rather than kept.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const bufferKeep = 256 << 10

func (w *etagWriter) release() {
	if w.buf.Cap() <= bufferKeep {
		w.buf.Reset()
		buffers.Put(w.buf)
	}
	w.buf = nil
}

func (w *etagWriter) WriteHeader(code int) {
	if !w.decided {
		w.decided = true
		h := w.Header()
		w.buffering = code == http.StatusOK && h.Get("ETag") == "" && strings.HasPrefix(h.Get(echo.HeaderContentType), echo.MIMEApplicationJSON)
		w.status = code
		if w.buffering {
			return
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *etagWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.buffering {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *etagWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.buffering {
		f.Flush()
	}
}

func etagListed(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}
