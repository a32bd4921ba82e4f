package reports

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Service runs the reports.
type Service struct{ db *gorm.DB }

// NewService returns the report service over db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// query runs sql and keeps its rows as a table with the given columns (in
// the order the SELECT names them).
func (s *Service) query(ctx context.Context, name string, cols []Column, sql string, args ...any) (Table, error) {
	t := Table{Name: name, Columns: cols, Rows: [][]any{}}
	rows, err := s.db.WithContext(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return t, err
		}
		for i, v := range vals {
			vals[i] = normalise(v)
		}
		t.Rows = append(t.Rows, vals)
	}
	return t, rows.Err()
}

// normalise turns driver values into what JSON, CSV and XLSX show: dates as
// YYYY-MM-DD, decimals as numbers, text as text.
func normalise(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339)
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil && looksNumeric(x) {
			return f
		}
	}
	return v
}

func looksNumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

func cols(pairs ...string) []Column {
	out := make([]Column, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Column{Key: pairs[i], Label: pairs[i+1]})
	}
	return out
}

// sek converts an allocation's amount (alias a) to SEK öre with its fiscal
// year's rate.
const sek = `CASE WHEN a.currency = 'SEK' THEN 1 ELSE coalesce((SELECT x.sek_per_unit FROM exchange_rates x
	WHERE x.currency = a.currency ORDER BY abs(x.year - a.fiscal_year) LIMIT 1), 0) END`

// Portfolio counts partnerships by form, status, district, target group,
// policy goal and participation level; `on` counts those that ran on a date.
func (s *Service) Portfolio(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := scope(ctx, p, f)
	if on := f.Extra.Get("on"); on != "" {
		var errs problem.Fields
		d := dates.Parse(&errs, "on", on)
		if err := errs.BadRequest("invalid_query"); err != nil {
			return Report{}, err
		}
		where += " AND p.status IN ('active', 'completed', 'terminated') AND p.start_date <= ? AND (p.end_date IS NULL OR p.end_date >= ?)"
		args = append(args, *d, *d)
	}
	t, err := s.query(ctx, "breakdown", cols("dimension", "Dimension", "key", "Kod", "label", "Benämning", "partnerships", "Antal samverkan"), `
		WITH p AS (SELECT p.* FROM partnerships p WHERE `+where+`)
		SELECT 'total', '', '', count(*) FROM p
		UNION ALL SELECT 'form', form, '', count(*) FROM p GROUP BY form
		UNION ALL SELECT 'status', status, '', count(*) FROM p GROUP BY status
		UNION ALL SELECT 'district', d.id::text, d.name, count(*) FROM p CROSS JOIN LATERAL unnest(p.district_ids) AS did JOIN districts d ON d.id = did GROUP BY d.id, d.name
		UNION ALL SELECT 'target_group', tg, coalesce(e.label_sv, ''), count(*) FROM p CROSS JOIN LATERAL unnest(p.target_groups) AS tg
			LEFT JOIN code_list_entries e ON e.list = 'target_groups' AND e.code = tg AND (e.tenant_id IS NULL OR e.tenant_id = p.tenant_id) GROUP BY tg, e.label_sv
		UNION ALL SELECT 'policy_goal', g, coalesce(e.label_sv, ''), count(*) FROM p CROSS JOIN LATERAL unnest(p.policy_goals) AS g
			LEFT JOIN code_list_entries e ON e.list = 'policy_goals' AND e.code = g AND (e.tenant_id IS NULL OR e.tenant_id = p.tenant_id) GROUP BY g, e.label_sv
		UNION ALL SELECT 'participation_level', coalesce(participation_level, ''), '', count(*) FROM p GROUP BY participation_level
		ORDER BY 1, 4 DESC, 2`, args...)
	if err != nil {
		return Report{}, err
	}
	lists := map[string]codelists.List{"form": codelists.Forms, "status": codelists.Statuses, "participation_level": codelists.ParticipationLevels}
	for _, row := range t.Rows {
		if l, ok := lists[row[0].(string)]; ok {
			for _, e := range l {
				if e.Code == row[1] {
					row[2] = e.LabelSV
				}
			}
		}
	}
	return newReport("portfolio", f, t), nil
}

// fundingScope narrows allocations (alias a) of partnerships in scope by
// fiscal year or decision-date range, to those of the caller's tenant.
func fundingScope(ctx context.Context, p auth.Principal, f Filter) (string, []any) {
	g := f
	g.Year, g.From, g.To = 0, nil, nil
	where, args := scope(ctx, p, g)
	where += " AND a.archived_at IS NULL"
	own, ownArgs := ownAllocations(p)
	where += own
	args = append(args, ownArgs...)
	if f.Year != 0 {
		where += " AND a.fiscal_year = ?"
		args = append(args, f.Year)
	}
	if f.From != nil {
		where += " AND a.decision_date >= ?"
		args = append(args, *f.From)
	}
	if f.To != nil {
		where += " AND a.decision_date <= ?"
		args = append(args, *f.To)
	}
	return where, args
}

// ownAllocations limits allocations (alias a) to those the caller's tenant
// recorded: on a partnership shared between tenants each grants its own
// money, and a tenant's funding report counts only its own.
func ownAllocations(p auth.Principal) (string, []any) {
	if p.TenantID == "" {
		return "", nil
	}
	return " AND coalesce(a.recorded_by, a.tenant_id) = ?", []any{p.TenantID}
}

// Funding sums granted and disbursed money per source, year, form and
// recipient, per district, and the co-financing of the partnerships: the
// caller's tenant's allocations, on its own partnerships and those shared
// with it.
func (s *Service) Funding(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := fundingScope(ctx, p, f)
	from := `FROM allocations a JOIN partnerships p ON p.id = a.partnership_id `
	detail, err := s.query(ctx, "by_source", cols("source", "Finansieringskälla", "fiscal_year", "Budgetår", "form", "Form",
		"recipient", "Mottagare", "org_number", "Organisationsnummer", "applied_ore", "Ansökt (öre)", "granted_ore", "Beviljat (öre)",
		"disbursed_ore", "Utbetalt (öre)"), `
		SELECT fs.name, a.fiscal_year, p.form, o.name, coalesce(CASE WHEN o.legal_form = 'enskild_firma' THEN NULL ELSE o.org_number END, ''),
		       round(sum(coalesce(a.applied_ore, 0) * `+sek+`)),
		       round(sum(coalesce(a.granted_ore, 0) * `+sek+`) FILTER (WHERE a.status = 'granted')),
		       round(sum((SELECT coalesce(sum(d.amount_ore), 0) FROM disbursements d WHERE d.allocation_id = a.id AND d.archived_at IS NULL AND d.paid_on IS NOT NULL) * `+sek+`))
		`+from+` JOIN funding_sources fs ON fs.id = a.source_id JOIN organisations o ON o.id = a.recipient_organisation_id
		WHERE `+where+`
		GROUP BY fs.name, a.fiscal_year, p.form, o.name, o.org_number, o.legal_form ORDER BY a.fiscal_year, fs.name, o.name`, args...)
	if err != nil {
		return Report{}, err
	}
	byDistrict, err := s.query(ctx, "by_district", cols("district", "Stadsdel", "granted_ore", "Beviljat (öre)"), `
		SELECT coalesce(d.name, '(hela kommunen)'), round(sum(coalesce(a.granted_ore, 0) * `+sek+`) FILTER (WHERE a.status = 'granted'))
		`+from+` LEFT JOIN LATERAL unnest(CASE WHEN p.district_ids = '{}' THEN ARRAY[NULL::uuid] ELSE p.district_ids END) AS did ON true
		LEFT JOIN districts d ON d.id = did WHERE `+where+` GROUP BY d.name ORDER BY 1`, args...)
	if err != nil {
		return Report{}, err
	}
	g := f
	g.Year, g.From, g.To = 0, nil, nil
	pw, pargs := scope(ctx, p, g)
	own, ownArgs := ownAllocations(p)
	pargs = append(ownArgs, pargs...)
	co, err := s.query(ctx, "co_financing", cols("reference", "Referens", "title", "Titel", "total_budget_ore", "Total budget (öre)",
		"granted_ore", "Beviljat (öre)", "in_kind_ore", "Värderade insatser i annat än pengar (öre)", "co_financing_ore", "Medfinansiering (öre)"), `
		SELECT p.reference, p.title, p.total_budget_ore, g.granted, k.in_kind, p.total_budget_ore - g.granted
		FROM partnerships p
		CROSS JOIN LATERAL (SELECT coalesce(round(sum(coalesce(a.granted_ore, 0) * `+sek+`)), 0) AS granted FROM allocations a
			WHERE a.partnership_id = p.id AND a.status = 'granted' AND a.archived_at IS NULL`+own+`) g
		CROSS JOIN LATERAL (SELECT coalesce(sum(c.valuation_ore), 0) AS in_kind FROM commitments c
			WHERE c.partnership_id = p.id AND c.direction = 'committed' AND c.kind <> 'money' AND c.archived_at IS NULL) k
		WHERE `+pw+` AND (g.granted > 0 OR p.total_budget_ore IS NOT NULL OR k.in_kind > 0) ORDER BY p.reference`, pargs...)
	if err != nil {
		return Report{}, err
	}
	return newReport("funding", f, detail, byDistrict, co), nil
}

// StateAid lists organisations near or over a ceiling in force on `on`
// (default today), with their three-year sums in EUR cents; one query for
// all organisations.
func (s *Service) StateAid(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	on := dates.Today()
	if v := f.Extra.Get("on"); v != "" {
		var errs problem.Fields
		if d := dates.Parse(&errs, "on", v); d != nil {
			on = *d
		}
		if err := errs.BadRequest("invalid_query"); err != nil {
			return Report{}, err
		}
	}
	includeOK := f.Extra.Get("include_ok") == "true"
	g := f
	g.Year, g.From, g.To = 0, nil, nil
	where, args := scope(ctx, p, g)
	all := append([]any{on, on, on, on}, args...)
	all = append(all, on, includeOK)
	t, err := s.query(ctx, "organisations", cols("organisation_id", "Organisation (id)", "organisation", "Organisation", "org_number",
		"Organisationsnummer", "rule", "Regel", "window_from", "Från", "window_to", "Till", "ceiling_eur_cents", "Tak (euro-cent)",
		"sum_eur_cents", "Summa (euro-cent)", "used_percent", "Andel av taket (%)", "status", "Läge"), `
		WITH r AS (
			SELECT code, name, amount_cents, warn_at_percent,
			       CASE window_kind WHEN 'fiscal_years' THEN make_date(extract(year FROM ?::date)::int - (window_years - 1), 1, 1)
			            ELSE (?::date - make_interval(years => window_years) + interval '1 day')::date END AS from_day
			FROM rules WHERE code IN ('sgei_de_minimis', 'general_de_minimis') AND effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?)),
		a AS (
			SELECT DISTINCT ON (a.id) a.id, a.recipient_organisation_id, a.state_aid, a.decision_date,
			       CASE WHEN a.currency = 'EUR' THEN a.granted_ore ELSE round(a.granted_ore / nullif((SELECT x.sek_per_unit FROM exchange_rates x
			         WHERE x.currency = 'EUR' ORDER BY (x.year > extract(year FROM a.decision_date)), abs(x.year - extract(year FROM a.decision_date)) LIMIT 1), 0)) END AS cents
			FROM allocations a JOIN partnerships p ON p.id = a.partnership_id
			WHERE a.status = 'granted' AND a.archived_at IS NULL AND a.decision_date IS NOT NULL AND `+where+`)
		SELECT o.id, o.name, coalesce(CASE WHEN o.legal_form = 'enskild_firma' THEN NULL ELSE o.org_number END, ''), r.name, r.from_day, ?::date,
		       r.amount_cents, sum(a.cents), round(sum(a.cents) * 100.0 / r.amount_cents, 1),
		       CASE WHEN sum(a.cents) > r.amount_cents THEN 'over' WHEN sum(a.cents) * 100 >= r.amount_cents * r.warn_at_percent THEN 'near' ELSE 'ok' END
		FROM r JOIN a ON a.state_aid = r.code AND a.decision_date >= r.from_day AND a.decision_date <= `+fmt.Sprintf("'%s'::date", on.Format(time.DateOnly))+`
		JOIN organisations o ON o.id = a.recipient_organisation_id
		GROUP BY o.id, o.name, o.org_number, o.legal_form, r.name, r.from_day, r.amount_cents, r.warn_at_percent
		HAVING ? OR sum(a.cents) * 100 >= r.amount_cents * r.warn_at_percent
		ORDER BY 9 DESC, 2`, all...)
	if err != nil {
		return Report{}, err
	}
	f.Extra.Set("on", on.Format(time.DateOnly))
	return newReport("state-aid", f, t), nil
}
