package web

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// WantsCSV reports whether the client asked for CSV: by format=csv (format
// decides when given), or by an Accept that names text/csv, or that refuses
// JSON and admits CSV.
func WantsCSV(c echo.Context) bool {
	if f := c.QueryParam("format"); f != "" {
		return f == "csv"
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	if accept == "" {
		return false
	}
	if !Accepts(accept, echo.MIMEApplicationJSON) {
		return Accepts(accept, "text/csv")
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && strings.EqualFold(mt, "text/csv") && params["q"] != "0" {
			return true
		}
	}
	return false
}

// CSV starts a CSV answer named filename with a header row and returns the
// writer for the rows. Cells that a spreadsheet would run as a formula are
// defused (OWASP CSV injection).
func CSV(c echo.Context, filename string, header []string) *CSVWriter {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Response().WriteHeader(http.StatusOK)
	w := &CSVWriter{w: csv.NewWriter(c.Response())}
	w.Row(header...)
	return w
}

// CSVWriter writes rows of a CSV answer.
type CSVWriter struct{ w *csv.Writer }

// Row writes one row.
func (w *CSVWriter) Row(cells ...string) {
	for i, s := range cells {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			cells[i] = "'" + s
		}
	}
	_ = w.w.Write(cells)
}

// Flush sends what is buffered and reports a write error.
func (w *CSVWriter) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
