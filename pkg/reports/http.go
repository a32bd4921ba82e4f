package reports

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// OrganisationReader checks that the caller may see an organisation.
type OrganisationReader interface {
	Readable(ctx context.Context, p auth.Principal, id string) error
}

// Handler is the HTTP face of the reports.
type Handler struct {
	svc  *Service
	orgs OrganisationReader
}

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service, orgs OrganisationReader) *Handler {
	return &Handler{svc: svc, orgs: orgs}
}

// Register adds the report routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/reports/portfolio", auth.ReportsRead, h.portfolio)
	r.GET("/reports/funding", auth.ReportsRead, h.funding)
	r.GET("/reports/state-aid", auth.ReportsRead, h.stateAid)
	r.GET("/reports/outcomes", auth.ReportsRead, h.outcomes)
	r.GET("/reports/follow-up", auth.ReportsRead, h.followUp)
	r.GET("/reports/organisation/:id", auth.ReportsRead, h.organisation)
	r.GET("/reports/lessons", auth.ReportsRead, h.lessons)
	r.GET("/reports/action-plans", auth.ReportsRead, h.actionPlans)
	r.GET("/reports/meetings", auth.ReportsRead, h.meetings)
	r.GET("/reports/matching", auth.ReportsRead, h.matching)
}

type runner func(ctx context.Context, p auth.Principal, f Filter) (Report, error)

func (h *Handler) serve(c echo.Context, run runner, extra ...string) error {
	f, err := ParseFilter(c.QueryParams(), extra...)
	if err != nil {
		return err
	}
	rep, err := run(c.Request().Context(), auth.PrincipalOf(c), f)
	if err != nil {
		return err
	}
	return write(c, rep)
}

// write answers a report as XLSX (format=xlsx), CSV (format=csv or Accept:
// text/csv; one table, chosen by `table`) or JSON.
func write(c echo.Context, rep Report) error {
	if c.QueryParam("format") == "xlsx" {
		return writeXLSX(c, rep)
	}
	if !web.WantsCSV(c) {
		return c.JSON(http.StatusOK, rep)
	}
	t := rep.order[0]
	if name := c.QueryParam("table"); name != "" {
		found := false
		for _, x := range rep.order {
			if x.Name == name {
				t, found = x, true
			}
		}
		if !found {
			names := make([]string, len(rep.order))
			for i, x := range rep.order {
				names[i] = x.Name
			}
			var f problem.Fields
			f.OneOf("table", name, names)
			return f.BadRequest("invalid_query")
		}
	}
	header := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		header[i] = col.Key
	}
	w := web.CSV(c, rep.Report+"-"+t.Name+".csv", header)
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = cell(v)
		}
		w.Row(cells...)
	}
	return w.Flush()
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

func writeXLSX(c echo.Context, rep Report) error {
	x := excelize.NewFile()
	defer x.Close()
	about := "Om rapporten"
	x.SetSheetName("Sheet1", about)
	meta := [][]any{{"Rapport", rep.Report}, {"Skapad", rep.GeneratedAt.Format("2006-01-02 15:04:05 MST")}}
	keys := make([]string, 0, len(rep.Filters))
	for k := range rep.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		meta = append(meta, []any{"Filter: " + k, rep.Filters[k]})
	}
	for i, row := range meta {
		_ = x.SetSheetRow(about, fmt.Sprintf("A%d", i+1), &row)
	}
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for _, t := range rep.order {
		sheet := t.Name
		if len(sheet) > 31 {
			sheet = sheet[:31]
		}
		if _, err := x.NewSheet(sheet); err != nil {
			return err
		}
		header := make([]any, len(t.Columns))
		for i, col := range t.Columns {
			header[i] = col.Label
		}
		_ = x.SetSheetRow(sheet, "A1", &header)
		_ = x.SetRowStyle(sheet, 1, 1, bold)
		for i, row := range t.Rows {
			r := row
			_ = x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &r)
		}
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+rep.Report+`.xlsx"`)
	c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Response().WriteHeader(http.StatusOK)
	return x.Write(c.Response())
}
