package reports

import (
	"context"
	"strings"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
)

// collaborationScope is the SQL condition on an action plan, meeting or
// matching round (alias t): the tenant's (as row-level security has it
// too), not archived, in the caller's districts (or city-wide) when
// district-restricted, and the filter's municipality and district. The
// period is the report's own.
func collaborationScope(ctx context.Context, pr auth.Principal, f Filter) (string, []any) {
	own := database.OfTenant(ctx, "t.tenant_id")
	conds := []string{"t.archived_at IS NULL", own.SQL}
	args := own.Vars
	if pr.DistrictRestricted() {
		conds = append(conds, "(t.district_id IS NULL OR t.district_id = ANY(?::uuid[]))")
		args = append(args, database.Strings(pr.DistrictIDs))
	}
	if f.Municipality != "" {
		conds = append(conds, "t.municipality_code = ?")
		args = append(args, f.Municipality)
	}
	if f.District != "" {
		conds = append(conds, "t.district_id = ?")
		args = append(args, f.District)
	}
	return strings.Join(conds, " AND "), args
}

// ActionPlans shows each plan's activities by status with the share done
// (of those not dropped) per plan and goal area, and the overdue activities,
// as they stand today. `year` and `from`/`to` keep the plans whose period
// overlaps. A plan's state on a past day is its follow-up view.
func (s *Service) ActionPlans(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := collaborationScope(ctx, p, f)
	if from, to := f.period(); from != nil || to != nil {
		if from != nil {
			where += " AND (t.period_end IS NULL OR t.period_end >= ?)"
			args = append(args, *from)
		}
		if to != nil {
			where += " AND (t.period_start IS NULL OR t.period_start <= ?)"
			args = append(args, *to)
		}
	}
	const counts = `count(a.id), count(a.id) FILTER (WHERE a.status = 'done'), count(a.id) FILTER (WHERE a.status = 'in_progress'),
		count(a.id) FILTER (WHERE a.status = 'planned'), count(a.id) FILTER (WHERE a.status = 'dropped'),
		round(count(a.id) FILTER (WHERE a.status = 'done') * 100.0 / nullif(count(a.id) FILTER (WHERE a.status <> 'dropped'), 0), 1),
		count(a.id) FILTER (WHERE a.due_date < current_date AND a.status IN ('planned', 'in_progress'))`
	countCols := []string{"activities", "Aktiviteter", "done", "Genomförda", "in_progress", "Pågående", "planned", "Planerade",
		"dropped", "Utgår", "done_percent", "Andel genomförda (%)", "overdue", "Försenade"}
	plans, err := s.query(ctx, "plans", cols(append([]string{"plan", "Handlingsplan", "district", "Stadsdel", "period_start", "Från", "period_end", "Till"}, countCols...)...), `
		SELECT t.title, coalesce(d.name, '(hela kommunen)'), t.period_start, t.period_end, `+counts+`
		FROM action_plans t LEFT JOIN districts d ON d.id = t.district_id
		LEFT JOIN action_plan_activities a ON a.plan_id = t.id AND a.archived_at IS NULL
		WHERE `+where+` GROUP BY t.id, t.title, d.name ORDER BY t.period_start NULLS LAST, t.title`, args...)
	if err != nil {
		return Report{}, err
	}
	areas, err := s.query(ctx, "goal_areas", cols(append([]string{"plan", "Handlingsplan", "goal_area", "Målområde"}, countCols...)...), `
		SELECT t.title, coalesce(g.title, '(utan målområde)'), `+counts+`
		FROM action_plans t JOIN action_plan_activities a ON a.plan_id = t.id AND a.archived_at IS NULL
		LEFT JOIN action_plan_goal_areas g ON g.id = a.goal_area_id
		WHERE `+where+` GROUP BY t.id, t.title, g.id, g.title, g.sort_order ORDER BY t.title, g.sort_order NULLS LAST, g.title`, args...)
	if err != nil {
		return Report{}, err
	}
	overdue, err := s.query(ctx, "overdue", cols("plan", "Handlingsplan", "goal_area", "Målområde", "activity", "Aktivitet",
		"owner", "Ansvarig", "due_date", "Klart senast", "status", "Status", "progress_note", "Lägesbeskrivning"), `
		SELECT t.title, coalesce(g.title, ''), a.title, a.owner, a.due_date, a.status, a.progress_note
		FROM action_plans t JOIN action_plan_activities a ON a.plan_id = t.id AND a.archived_at IS NULL
		LEFT JOIN action_plan_goal_areas g ON g.id = a.goal_area_id
		WHERE a.due_date < current_date AND a.status IN ('planned', 'in_progress') AND `+where+` ORDER BY a.due_date, t.title, a.title`, args...)
	if err != nil {
		return Report{}, err
	}
	return newReport("action-plans", f, plans, areas, overdue), nil
}

// reached is the number of organisations at a meeting (alias t): those
// registered by name, or the reported count when larger.
const reached = `greatest((SELECT count(*) FROM meeting_participants mp WHERE mp.meeting_id = t.id), coalesce(t.organisations_count, 0))`

// Meetings counts dialogue meetings by participation level and by district
// per year, with people and organisations reached, and lists the registered
// organisations that took part. `year` and `from`/`to` narrow by the day
// held.
func (s *Service) Meetings(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := collaborationScope(ctx, p, f)
	if from, to := f.period(); from != nil || to != nil {
		if from != nil {
			where += " AND t.held_on >= ?"
			args = append(args, *from)
		}
		if to != nil {
			where += " AND t.held_on <= ?"
			args = append(args, *to)
		}
	}
	sums := []string{"meetings", "Möten", "headcount", "Deltagare", "organisations", "Organisationer (summa per möte)"}
	byLevel, err := s.query(ctx, "by_level", cols(append([]string{"participation_level", "Delaktighetsnivå", "year", "År"}, sums...)...), `
		SELECT coalesce(t.participation_level, '(ej angiven)'), extract(year FROM t.held_on)::int, count(*), sum(t.headcount), sum(`+reached+`)
		FROM meetings t WHERE `+where+` GROUP BY 1, 2 ORDER BY 2, 1`, args...)
	if err != nil {
		return Report{}, err
	}
	byDistrict, err := s.query(ctx, "by_district", cols(append([]string{"district", "Stadsdel", "year", "År"}, sums...)...), `
		SELECT coalesce(d.name, '(hela kommunen)'), extract(year FROM t.held_on)::int, count(*), sum(t.headcount), sum(`+reached+`)
		FROM meetings t LEFT JOIN districts d ON d.id = t.district_id WHERE `+where+` GROUP BY 1, 2 ORDER BY 2, 1`, args...)
	if err != nil {
		return Report{}, err
	}
	list, err := s.query(ctx, "meetings", cols("held_on", "Datum", "title", "Möte", "kind", "Typ", "participation_level", "Delaktighetsnivå",
		"district", "Stadsdel", "headcount", "Deltagare", "organisations", "Organisationer", "actions", "Uppföljningsåtgärder"), `
		SELECT t.held_on, t.title, t.kind, coalesce(t.participation_level, ''), coalesce(d.name, '(hela kommunen)'), t.headcount, `+reached+`,
		       (SELECT count(*) FROM meeting_actions ma WHERE ma.meeting_id = t.id)
		FROM meetings t LEFT JOIN districts d ON d.id = t.district_id WHERE `+where+` ORDER BY t.held_on, t.title`, args...)
	if err != nil {
		return Report{}, err
	}
	orgs, err := s.query(ctx, "organisations_reached", cols("organisation", "Organisation", "meetings", "Möten", "first", "Första", "last", "Senaste"), `
		SELECT o.name, count(*), min(t.held_on), max(t.held_on)
		FROM meetings t JOIN meeting_participants mp ON mp.meeting_id = t.id JOIN organisations o ON o.id = mp.organisation_id
		WHERE `+where+` GROUP BY o.id, o.name ORDER BY count(*) DESC, o.name`, args...)
	if err != nil {
		return Report{}, err
	}
	return newReport("meetings", f, byLevel, byDistrict, list, orgs), nil
}

// Matching shows each matching round's meetings, entries, matches and the
// partnerships that came out; attendance per meeting with who returned and
// who was new; and every decided match. `year` and `from`/`to` keep the
// rounds with a meeting in the period.
func (s *Service) Matching(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
	where, args := collaborationScope(ctx, p, f)
	if from, to := f.period(); from != nil || to != nil {
		cond := "EXISTS (SELECT 1 FROM meetings pm WHERE pm.matching_round_id = t.id AND pm.archived_at IS NULL"
		if from != nil {
			cond += " AND pm.held_on >= ?"
			args = append(args, *from)
		}
		if to != nil {
			cond += " AND pm.held_on <= ?"
			args = append(args, *to)
		}
		where += " AND " + cond + ")"
	}
	rounds, err := s.query(ctx, "rounds", cols("round", "Omgång", "district", "Stadsdel", "meetings", "Möten", "ideas", "Idéer", "needs", "Behov",
		"resources", "Resurser", "confirmed", "Bekräftade matchningar", "rejected", "Avböjda", "partnerships", "Blev samverkan"), `
		SELECT t.title, coalesce(d.name, '(hela kommunen)'),
		       (SELECT count(*) FROM meetings m WHERE m.matching_round_id = t.id AND m.archived_at IS NULL),
		       (SELECT count(*) FROM matching_entries e WHERE e.round_id = t.id AND e.archived_at IS NULL AND e.kind = 'idea'),
		       (SELECT count(*) FROM matching_entries e WHERE e.round_id = t.id AND e.archived_at IS NULL AND e.kind = 'need'),
		       (SELECT count(*) FROM matching_entries e WHERE e.round_id = t.id AND e.archived_at IS NULL AND e.kind = 'resource'),
		       (SELECT count(*) FROM matching_matches x WHERE x.round_id = t.id AND x.status = 'confirmed'),
		       (SELECT count(*) FROM matching_matches x WHERE x.round_id = t.id AND x.status = 'rejected'),
		       (SELECT count(*) FROM matching_matches x WHERE x.round_id = t.id AND x.partnership_id IS NOT NULL)
		FROM matching_rounds t LEFT JOIN districts d ON d.id = t.district_id WHERE `+where+` ORDER BY t.created_at, t.title`, args...)
	if err != nil {
		return Report{}, err
	}
	// An organisation registered by name is new at its first meeting in the
	// round and returning after; where names are missing the reported
	// returning count stands in, as in the round's own view.
	attendance, err := s.query(ctx, "attendance", cols("round", "Omgång", "meeting", "Möte", "held_on", "Datum",
		"organisations", "Organisationer", "returned", "Återkom", "new", "Nya"), `
		WITH held AS (
			SELECT t.title AS round, m.id, m.title, m.held_on, m.returning_count,
			       row_number() OVER (PARTITION BY t.id ORDER BY m.held_on, m.created_at) = 1 AS first,
			       (SELECT count(*) FROM meeting_participants mp WHERE mp.meeting_id = m.id) AS named,
			       (SELECT count(*) FROM meeting_participants mp WHERE mp.meeting_id = m.id AND EXISTS (
			            SELECT 1 FROM meeting_participants ep JOIN meetings e ON e.id = ep.meeting_id
			            WHERE ep.organisation_id = mp.organisation_id AND e.matching_round_id = t.id AND e.archived_at IS NULL
			              AND (e.held_on, e.created_at) < (m.held_on, m.created_at))) AS named_returned,
			       greatest((SELECT count(*) FROM meeting_participants mp WHERE mp.meeting_id = m.id), coalesce(m.organisations_count, 0)) AS orgs
			FROM matching_rounds t JOIN meetings m ON m.matching_round_id = t.id AND m.archived_at IS NULL
			WHERE `+where+`)
		, r AS (SELECT held.*, CASE WHEN first THEN 0 WHEN named > 0 OR returning_count IS NOT NULL
			THEN least(greatest(named_returned, coalesce(returning_count, 0)), orgs) END AS returned FROM held)
		SELECT round, title, held_on, orgs, returned, orgs - returned FROM r ORDER BY round, held_on`, args...)
	if err != nil {
		return Report{}, err
	}
	actor := func(e string) string {
		return `coalesce((SELECT o.name FROM organisations o WHERE o.id = ` + e + `.organisation_id), ` + e + `.actor)`
	}
	matches, err := s.query(ctx, "matches", cols("round", "Omgång", "seeking", "Söker", "seeking_kind", "Idé eller behov", "offering", "Erbjuder",
		"category", "Kategori", "status", "Status", "reasons", "Skäl", "partnership", "Samverkan"), `
		SELECT t.title, `+actor("se")+` || ': ' || se.description, se.kind, `+actor("oe")+` || ': ' || oe.description, se.category, x.status,
		       array_to_string(x.reasons, ', '), coalesce(pt.reference || ' ' || pt.title, '')
		FROM matching_rounds t JOIN matching_matches x ON x.round_id = t.id
		JOIN matching_entries se ON se.id = x.seeking_entry_id JOIN matching_entries oe ON oe.id = x.offering_entry_id
		LEFT JOIN partnerships pt ON pt.id = x.partnership_id
		WHERE `+where+` ORDER BY t.title, x.created_at`, args...)
	if err != nil {
		return Report{}, err
	}
	return newReport("matching", f, rounds, attendance, matches), nil
}
