// Package reports answers the aggregated questions committees, evaluations
// and report scripts ask: the portfolio, the money, state aid, outcomes,
// follow-up, one organisation's whole relation with the city, and lessons.
// Every report is computed in SQL and comes as JSON, CSV or XLSX.
package reports

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Column is one column of a report table.
type Column struct {
	Key   string `json:"key" example:"granted_ore"`
	Label string `json:"label" example:"Beviljat (öre)"`
} // @name ReportColumn

// Table is one table of a report: named columns and rows of values.
type Table struct {
	Name    string   `json:"-"`
	Columns []Column `json:"-"`
	Rows    [][]any  `json:"-"`
}

// Report is what every report answers: which report, when, under which
// filters, and its tables.
type Report struct {
	Report      string                      `json:"report" example:"funding"`
	GeneratedAt time.Time                   `json:"generated_at" format:"date-time"`
	Filters     map[string]string           `json:"filters"`
	Tables      map[string][]map[string]any `json:"tables" swaggertype:"object"`
	// Columns gives each table's columns in order, with their Swedish labels.
	Columns map[string][]Column `json:"columns"`
	order   []Table
} // @name Report

func newReport(name string, f Filter, tables ...Table) Report {
	r := Report{Report: name, GeneratedAt: time.Now().UTC(), Filters: f.applied(), Tables: map[string][]map[string]any{},
		Columns: map[string][]Column{}, order: tables}
	for _, t := range tables {
		r.Columns[t.Name] = t.Columns
		rows := make([]map[string]any, len(t.Rows))
		for i, row := range t.Rows {
			m := make(map[string]any, len(t.Columns))
			for j, c := range t.Columns {
				m[c.Key] = row[j]
			}
			rows[i] = m
		}
		r.Tables[t.Name] = rows
	}
	return r
}

// Filter is what every report can be narrowed by.
type Filter struct {
	Municipality string
	District     string
	Year         int
	From, To     *time.Time
	Form         string
	TargetGroup  string
	// Extra are report-specific parameters, validated by the report.
	Extra url.Values
}

func (f Filter) applied() map[string]string {
	out := map[string]string{}
	add := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	add("municipality", f.Municipality)
	add("district", f.District)
	if f.Year != 0 {
		add("year", strconv.Itoa(f.Year))
	}
	add("from", dates.Format(f.From))
	add("to", dates.Format(f.To))
	add("form", f.Form)
	add("target_group", f.TargetGroup)
	for k, v := range f.Extra {
		add(k, strings.Join(v, ","))
	}
	return out
}

var common = []string{"municipality", "district", "year", "from", "to", "form", "target_group", "format", "table"}

// ParseFilter reads the common filters and the report's own parameters.
func ParseFilter(q url.Values, extra ...string) (Filter, error) {
	if err := listing.Only(q, append(common, extra...)...); err != nil {
		return Filter{}, err
	}
	var errs problem.Fields
	f := Filter{Municipality: q.Get("municipality"), District: q.Get("district"), Form: q.Get("form"), TargetGroup: q.Get("target_group"), Extra: url.Values{}}
	errs.Kommunkod("municipality", f.Municipality, false)
	if f.District != "" {
		errs.IDs("district", f.District)
	}
	if f.Form != "" {
		errs.OneOf("form", f.Form, codelists.Forms.Codes())
	}
	if v := f.TargetGroup; v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		errs.Add("target_group", "invalid_code", "must be a target-group code")
	}
	if v := q.Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1990 || n > 2100 {
			errs.Add("year", "out_of_range", "must be a year from 1990 to 2100")
		}
		f.Year = n
	}
	f.From, f.To = dates.Parse(&errs, "from", q.Get("from")), dates.Parse(&errs, "to", q.Get("to"))
	dates.Order(&errs, "to", f.From, f.To)
	if f.Year != 0 && (f.From != nil || f.To != nil) {
		errs.Add("year", "conflict", "give a year or a date range, not both")
	}
	if v := q.Get("format"); v != "" && v != "json" && v != "csv" && v != "xlsx" {
		errs.Add("format", "not_allowed", "must be json, csv or xlsx")
	}
	for _, k := range extra {
		if v := q.Get(k); v != "" {
			f.Extra.Set(k, v)
		}
	}
	return f, errs.BadRequest("invalid_query")
}

// period is the filter's period: a year, a range, or nothing.
func (f Filter) period() (*time.Time, *time.Time) {
	if f.Year != 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(f.Year, 12, 31, 0, 0, 0, 0, time.UTC)
		return &from, &to
	}
	return f.From, f.To
}

// scope is the SQL condition on partnerships (alias p) for the filter and
// for what p may see in reports: the tenant's and those shared with it (as
// row-level security has it too), and for district-restricted callers
// only their districts.
func scope(ctx context.Context, pr auth.Principal, f Filter) (string, []any) {
	own := database.OfTenantOrShared(ctx, "p.tenant_id", "p.id")
	conds := []string{"p.archived_at IS NULL", own.SQL}
	args := own.Vars
	add := func(c string, a ...any) {
		conds = append(conds, c)
		args = append(args, a...)
	}
	// A report covers the partnerships of the caller's tenant and those
	// shared with it. The database holds every query to the tenant as well
	// (row-level security); saying it here reads through the tenant's
	// indexes.
	if pr.Kind != auth.System.Kind && !pr.IsReporter() {
		var tenant any // none matches no row
		if pr.TenantID != "" {
			tenant = pr.TenantID
		}
		add("(p.tenant_id = ? OR p.id = ANY (ARRAY(SELECT partnership_id FROM partnership_tenants WHERE tenant_id = ?)))", tenant, tenant)
	}
	if pr.DistrictRestricted() {
		add("p.district_ids && ?::uuid[]", database.Strings(pr.DistrictIDs))
	}
	if f.Municipality != "" {
		add("p.municipality_code = ?", f.Municipality)
	}
	if f.District != "" {
		add("p.district_ids @> ARRAY[?]::uuid[]", f.District)
	}
	if f.Form != "" {
		add("p.form = ?", f.Form)
	}
	if f.TargetGroup != "" {
		add("p.target_groups @> ARRAY[?]::text[]", f.TargetGroup)
	}
	if from, to := f.period(); from != nil || to != nil {
		if from != nil {
			add("(p.end_date IS NULL OR p.end_date >= ?)", *from)
		}
		if to != nil {
			add("(p.start_date IS NULL OR p.start_date <= ?)", *to)
		}
	}
	return strings.Join(conds, " AND "), args
}
