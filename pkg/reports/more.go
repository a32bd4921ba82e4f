package reports

import (
	"context"
	"strconv"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// aggregate is the SQL of an indicator's aggregation (alias i) over column.
func aggregate(column, order string) string {
	return `CASE i.aggregation WHEN 'sum' THEN sum(` + column + `) WHEN 'average' THEN avg(` + column + `)
		ELSE (array_agg(` + column + ` ORDER BY ` + order + ` DESC))[1] END`
}

// Outcomes gives indicator attainment per partnership, approved outcomes
// summed per indicator definition by district and year, and the cost per
// outcome (granted SEK divided by the approved outcome).
func (s *Service) Outcomes(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	g := f
	g.Year, g.From, g.To = 0, nil, nil
	where, args := scope(ctx, p, g)
	mcond := "m.status = 'approved'"
	var margs []any
	if f.Year != 0 {
		mcond += " AND extract(year FROM m.period_end) = ?"
		margs = append(margs, f.Year)
	}
	if f.From != nil {
		mcond += " AND m.period_end >= ?"
		margs = append(margs, *f.From)
	}
	if f.To != nil {
		mcond += " AND m.period_start <= ?"
		margs = append(margs, *f.To)
	}
	per, err := s.query(ctx, "indicators", cols("reference", "Referens", "title", "Titel", "indicator", "Indikator", "definition", "Definition",
		"unit", "Enhet", "result_level", "Resultatnivå", "target", "Mål", "actual", "Utfall (godkänt)", "attainment_percent", "Måluppfyllelse (%)"), `
		SELECT p.reference, p.title, i.name, coalesce(d.code, ''), i.unit, i.result_level, t.target, m.actual,
		       CASE WHEN t.target > 0 AND m.actual IS NOT NULL THEN round(m.actual * 100.0 / t.target, 1) END
		FROM indicators i JOIN partnerships p ON p.id = i.partnership_id
		LEFT JOIN indicator_definitions d ON d.id = i.definition_id
		CROSS JOIN LATERAL (SELECT `+aggregate("t.target", "t.period_end")+` AS target FROM indicator_targets t WHERE t.indicator_id = i.id) t
		CROSS JOIN LATERAL (SELECT `+aggregate("m.value", "m.period_end")+` AS actual FROM measurements m WHERE m.indicator_id = i.id AND `+mcond+`) m
		WHERE i.archived_at IS NULL AND `+where+` ORDER BY p.reference, i.name`, append(margs, args...)...)
	if err != nil {
		return Report{}, err
	}
	byDef, err := s.query(ctx, "by_definition", cols("definition", "Definition", "name", "Benämning", "district", "Stadsdel",
		"year", "År", "total", "Summa (godkänt)", "partnerships", "Antal samverkan"), `
		SELECT d.code, d.name_sv, coalesce(ds.name, '(hela kommunen)'), extract(year FROM m.period_end)::int, sum(m.value), count(DISTINCT p.id)
		FROM measurements m JOIN indicators i ON i.id = m.indicator_id JOIN indicator_definitions d ON d.id = i.definition_id
		JOIN partnerships p ON p.id = i.partnership_id
		LEFT JOIN districts ds ON ds.id = coalesce(i.district_id, CASE WHEN cardinality(p.district_ids) = 1 THEN p.district_ids[1] END)
		WHERE i.archived_at IS NULL AND `+mcond+` AND `+where+`
		GROUP BY d.code, d.name_sv, ds.name, extract(year FROM m.period_end) ORDER BY 1, 4, 3`, append(margs, args...)...)
	if err != nil {
		return Report{}, err
	}
	cost, err := s.query(ctx, "cost_per_outcome", cols("reference", "Referens", "title", "Titel", "indicator", "Indikator",
		"granted_sek", "Beviljat (kr)", "outcome", "Utfall (godkänt)", "cost_per_outcome_sek", "Kostnad per utfall (kr)"), `
		SELECT p.reference, p.title, i.name, g.granted / 100, m.actual, round(g.granted / 100.0 / m.actual)
		FROM indicators i JOIN partnerships p ON p.id = i.partnership_id
		CROSS JOIN LATERAL (SELECT coalesce(sum(a.granted_ore * `+sek+`), 0) AS granted FROM allocations a
			WHERE a.partnership_id = p.id AND a.status = 'granted' AND a.archived_at IS NULL) g
		CROSS JOIN LATERAL (SELECT `+aggregate("m.value", "m.period_end")+` AS actual FROM measurements m WHERE m.indicator_id = i.id AND `+mcond+`) m
		WHERE i.archived_at IS NULL AND i.result_level IN ('outcome', 'impact') AND m.actual > 0 AND g.granted > 0 AND `+where+`
		ORDER BY p.reference, i.name`, append(margs, args...)...)
	if err != nil {
		return Report{}, err
	}
	return newReport("outcomes", f, per, byDef, cost), nil
}

// FollowUp lists what needs attention: overdue follow-ups, partnerships
// ending within `days` (default 90), and partnerships without indicators or
// without any approved measurement.
func (s *Service) FollowUp(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	days := 90
	if v := f.Extra.Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 3650 {
			var errs problem.Fields
			errs.Add("days", "out_of_range", "must be 0 to 3650")
			return Report{}, errs.BadRequest("invalid_query")
		}
		days = n
	}
	today := dates.Today()
	where, args := scope(ctx, p, f)
	overdue, err := s.query(ctx, "overdue_follow_ups", cols("reference", "Referens", "title", "Titel", "due_on", "Senast", "description", "Vad"), `
		SELECT p.reference, p.title, fu.due_on, fu.description FROM follow_ups fu JOIN partnerships p ON p.id = fu.partnership_id
		WHERE fu.done_on IS NULL AND fu.archived_at IS NULL AND fu.due_on < ? AND `+where+` ORDER BY fu.due_on, p.reference`,
		append([]any{today}, args...)...)
	if err != nil {
		return Report{}, err
	}
	ending, err := s.query(ctx, "ending_soon", cols("reference", "Referens", "title", "Titel", "end_date", "Slutar", "days_left", "Dagar kvar"), `
		SELECT p.reference, p.title, p.end_date, p.end_date - ?::date FROM partnerships p
		WHERE p.status = 'active' AND p.end_date BETWEEN ? AND ?::date + ?::int AND `+where+` ORDER BY p.end_date`,
		append([]any{today, today, today, days}, args...)...)
	if err != nil {
		return Report{}, err
	}
	bare, err := s.query(ctx, "without_indicators", cols("reference", "Referens", "title", "Titel", "status", "Status"), `
		SELECT p.reference, p.title, p.status FROM partnerships p
		WHERE p.status IN ('active', 'completed') AND NOT EXISTS (SELECT 1 FROM indicators i WHERE i.partnership_id = p.id AND i.archived_at IS NULL)
		AND `+where+` ORDER BY p.reference`, args...)
	if err != nil {
		return Report{}, err
	}
	unmeasured, err := s.query(ctx, "without_approved_measurements", cols("reference", "Referens", "title", "Titel", "indicators", "Indikatorer"), `
		SELECT p.reference, p.title, count(i.id) FROM partnerships p JOIN indicators i ON i.partnership_id = p.id AND i.archived_at IS NULL
		WHERE p.status IN ('active', 'completed') AND NOT EXISTS (SELECT 1 FROM measurements m JOIN indicators j ON j.id = m.indicator_id
			WHERE j.partnership_id = p.id AND m.status = 'approved') AND `+where+`
		GROUP BY p.reference, p.title ORDER BY p.reference`, args...)
	if err != nil {
		return Report{}, err
	}
	f.Extra.Set("days", strconv.Itoa(days))
	return newReport("follow-up", f, overdue, ending, bare, unmeasured), nil
}

// Organisation is everything one organisation has with the city: as party,
// as recipient, as funder.
func (s *Service) Organisation(ctx context.Context, p auth.Principal, id string, f Filter) (Report, error) {
	where, args := scope(ctx, p, f)
	withID := append([]any{id}, args...)
	party, err := s.query(ctx, "as_party", cols("reference", "Referens", "title", "Titel", "form", "Form", "status", "Status",
		"role", "Roll", "joined_on", "Gick med", "left_on", "Lämnade"), `
		SELECT p.reference, p.title, p.form, p.status, pp.role, pp.joined_on, pp.left_on
		FROM partnership_parties pp JOIN partnerships p ON p.id = pp.partnership_id
		WHERE pp.organisation_id = ? AND pp.archived_at IS NULL AND `+where+` ORDER BY p.start_date NULLS LAST, p.reference`, withID...)
	if err != nil {
		return Report{}, err
	}
	recipient, err := s.query(ctx, "as_recipient", cols("reference", "Referens", "source", "Finansieringskälla", "fiscal_year", "Budgetår",
		"status", "Status", "granted_ore", "Beviljat (öre)", "currency", "Valuta", "disbursed_ore", "Utbetalt (öre)"), `
		SELECT p.reference, fs.name, a.fiscal_year, a.status, a.granted_ore, a.currency,
		       (SELECT coalesce(sum(d.amount_ore), 0) FROM disbursements d WHERE d.allocation_id = a.id AND d.archived_at IS NULL AND d.paid_on IS NOT NULL)
		FROM allocations a JOIN partnerships p ON p.id = a.partnership_id JOIN funding_sources fs ON fs.id = a.source_id
		WHERE a.recipient_organisation_id = ? AND a.archived_at IS NULL AND `+where+` ORDER BY a.fiscal_year, p.reference`, withID...)
	if err != nil {
		return Report{}, err
	}
	funder, err := s.query(ctx, "as_funder", cols("source", "Finansieringskälla", "reference", "Referens", "recipient", "Mottagare",
		"fiscal_year", "Budgetår", "granted_ore", "Beviljat (öre)", "currency", "Valuta"), `
		SELECT fs.name, p.reference, o.name, a.fiscal_year, a.granted_ore, a.currency
		FROM funding_sources fs JOIN allocations a ON a.source_id = fs.id AND a.archived_at IS NULL AND a.status = 'granted'
		JOIN partnerships p ON p.id = a.partnership_id JOIN organisations o ON o.id = a.recipient_organisation_id
		WHERE fs.provider_organisation_id = ? AND `+where+` ORDER BY a.fiscal_year, fs.name, p.reference`, withID...)
	if err != nil {
		return Report{}, err
	}
	f.Extra.Set("organisation", id)
	return newReport("organisation", f, party, recipient, funder), nil
}

// Lessons counts factors and categories across lessons and lists the latest.
func (s *Service) Lessons(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := scope(ctx, p, f)
	factors, err := s.query(ctx, "factors", cols("factor", "Faktor", "category", "Kategori", "lessons", "Lärdomar", "partnerships", "Samverkan"), `
		SELECT fac, l.category, count(*), count(DISTINCT l.partnership_id)
		FROM lessons l JOIN partnerships p ON p.id = l.partnership_id CROSS JOIN LATERAL unnest(l.factors) AS fac
		WHERE l.archived_at IS NULL AND `+where+` GROUP BY fac, l.category ORDER BY 3 DESC, 1`, args...)
	if err != nil {
		return Report{}, err
	}
	latest, err := s.query(ctx, "latest", cols("created_at", "Registrerad", "reference", "Referens", "category", "Kategori",
		"factors", "Faktorer", "text", "Lärdom"), `
		SELECT l.created_at, p.reference, l.category, array_to_string(l.factors, ';'), l.text
		FROM lessons l JOIN partnerships p ON p.id = l.partnership_id
		WHERE l.archived_at IS NULL AND `+where+` ORDER BY l.created_at DESC, l.id LIMIT 20`, args...)
	if err != nil {
		return Report{}, err
	}
	return newReport("lessons", f, factors, latest), nil
}
