package web

import (
	"bytes"
	"math"
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
// without one, 412 for a weak or malformed tag (a write must name the
// version it read). IfMatchAny has already turned "*" into the current
// version's tag where there is one.
func IfMatch(c echo.Context) (int, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, problem.PreconditionRequired()
	}
	if strings.HasPrefix(h, "W/") {
		return 0, problem.New(http.StatusPreconditionFailed, "weak_etag", "If-Match needs the strong ETag from the resource, not a weak one")
	}
	if h == "*" {
		return 0, problem.New(http.StatusPreconditionFailed, "no_current_version", "If-Match: * needs a current version of the resource, and there is none you may see")
	}
	if len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, problem.New(http.StatusPreconditionFailed, "malformed_etag", `If-Match must be one ETag as returned, such as "3"`)
	}
	v, ok := versionOf(h)
	if !ok {
		return 0, problem.Stale()
	}
	return v, nil
}

// ContentETag gives every successful GET (and HEAD) JSON answer an ETag
// derived from its body, and answers 304 Not Modified when the client's
// If-None-Match already names it. An object's answer keeps its version in
// front ("3-k1fe8gqvj9qa"), which is all If-Match reads: the version says
// which state a write applies to, the body's hash whether the answer
// changed — an object's answer holds more than the object (a partnership's
// parties and funding), which changes without its version. Streams such as
// CSV pass through untouched; a file's own ETag is compared as it is. The
// hash is a 64-bit xxhash: it tells versions of one answer apart, which
// needs no cryptographic hash (SHA-256 was 3 % of a list's CPU).
func ContentETag(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
			return next(c)
		}
		w := &etagWriter{ResponseWriter: c.Response().Writer, buf: buffers.Get().(*bytes.Buffer),
			ifNoneMatch: c.Request().Header.Get("If-None-Match"), head: c.Request().Method == http.MethodHead}
		defer w.release()
		c.Response().Writer = w
		err := next(c)
		c.Response().Writer = w.ResponseWriter
		if !w.buffering {
			return err
		}
		h := w.ResponseWriter.Header()
		hash := strconv.FormatUint(xxhash.Sum64(w.buf.Bytes()), 36)
		tag := `"` + hash + `"`
		if v, ok := versionOf(h.Get("ETag")); ok {
			tag = `"` + strconv.Itoa(v) + "-" + hash + `"`
		}
		h.Set("ETag", tag)
		if w.ifNoneMatch != "" && etagListed(w.ifNoneMatch, tag) {
			notModified(w.ResponseWriter)
			return err
		}
		w.ResponseWriter.WriteHeader(w.status)
		if w.head {
			return err
		}
		_, werr := w.ResponseWriter.Write(w.buf.Bytes())
		if err == nil {
			err = werr
		}
		return err
	}
}

type etagWriter struct {
	http.ResponseWriter
	ifNoneMatch string
	buffering   bool
	decided     bool
	unchanged   bool // answered 304: the body is not sent
	head        bool // a HEAD request: the body is not sent either
	status      int
	buf         *bytes.Buffer
}

func notModified(w http.ResponseWriter) {
	h := w.Header()
	h.Del(echo.HeaderContentType)
	h.Del(echo.HeaderContentLength)
	w.WriteHeader(http.StatusNotModified)
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
		json := strings.HasPrefix(h.Get(echo.HeaderContentType), echo.MIMEApplicationJSON)
		if tag := h.Get("ETag"); code == http.StatusOK && !json && tag != "" && w.ifNoneMatch != "" && etagListed(w.ifNoneMatch, tag) {
			w.unchanged = true
			notModified(w.ResponseWriter)
			return
		}
		w.buffering = code == http.StatusOK && json
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
	switch {
	case w.unchanged, w.head && !w.buffering:
		return len(b), nil
	case w.buffering:
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

// IfMatchAny resolves the If-Match of a write that names no single version
// (RFC 9110 §13.1.1): "*" (any current version) and a list of tags (any of
// them). It reads the version there is now by a GET of the resource (or,
// for an action such as …/restore, of its parent) as the same caller, and
// puts it in If-Match when "*" or the list names it. Otherwise the header
// stays as it was and IfMatch answers 412.
func IfMatchAny(e *echo.Echo) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			h := strings.TrimSpace(req.Header.Get("If-Match"))
			if req.Method == http.MethodGet || req.Method == http.MethodHead || h != "*" && !strings.Contains(h, ",") {
				return next(c)
			}
			if v, ok := currentVersion(e, req); ok && (h == "*" || listsVersion(h, v)) {
				req.Header.Set("If-Match", `"`+strconv.Itoa(v)+`"`)
			}
			return next(c)
		}
	}
}

// currentVersion is the version of the resource req writes, as its caller
// reads it.
func currentVersion(e *echo.Echo, req *http.Request) (int, bool) {
	for path := req.URL.Path; strings.Count(path, "/") > 1; path = path[:strings.LastIndexByte(path, '/')] {
		get, _ := http.NewRequestWithContext(req.Context(), http.MethodGet, path, nil)
		get.Header.Set(echo.HeaderAuthorization, req.Header.Get(echo.HeaderAuthorization))
		get.RemoteAddr = req.RemoteAddr
		var w headerRecorder
		e.ServeHTTP(&w, get)
		if v, ok := versionOf(w.header.Get("ETag")); w.status == http.StatusOK && ok {
			return v, true
		}
		if w.status != http.StatusMethodNotAllowed && w.status != http.StatusNotFound {
			break
		}
	}
	return 0, false
}

// listsVersion reports whether a list of strong tags names version v.
func listsVersion(list string, v int) bool {
	for _, t := range strings.Split(list, ",") {
		if n, ok := versionOf(strings.TrimSpace(t)); ok && n == v {
			return true
		}
	}
	return false
}

// versionOf reads the version an object's ETag names: "3", or "3-…" as
// ContentETag sends it. A list's ETag names none.
func versionOf(tag string) (int, bool) {
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return 0, false
	}
	n, _, _ := strings.Cut(tag[1:len(tag)-1], "-")
	v, err := strconv.Atoi(n)
	if err != nil || v < 1 || v > math.MaxInt32 { // versions are int4 columns
		return 0, false
	}
	return v, true
}

// headerRecorder keeps an answer's status and headers and drops its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (w *headerRecorder) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *headerRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *headerRecorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}

func (w *headerRecorder) Flush() {}
