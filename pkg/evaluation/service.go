package evaluation

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Service keeps indicators, measurements, follow-ups, evaluations and lessons.
type Service struct {
	db     *gorm.DB
	access *partnerships.Access
	orgs   Organisations
}

// Organisations tells which organisations a caller may see, so that an
// evaluation can be tied only to an evaluator the caller may see.
type Organisations interface {
	Visible(ctx context.Context, p auth.Principal, id string) (bool, error)
}

// NewService returns the evaluation service.
func NewService(db *gorm.DB, access *partnerships.Access, orgs Organisations) *Service {
	return &Service{db: db, access: access, orgs: orgs}
}

// Definitions lists the shared indicator definitions: the national base
// and the tenant's own.
func (s *Service) Definitions(ctx context.Context) ([]Definition, error) {
	out := []Definition{}
	err := s.db.WithContext(ctx).Where("archived_at IS NULL").Where(database.OfTenantOrBase(ctx, "tenant_id")).Order("code").Find(&out).Error
	return out, err
}

func (s *Service) definition(ctx context.Context, tx *gorm.DB, id string) (Definition, error) {
	var d Definition
	if !problem.IsUUID(id) {
		return d, problem.NotFound("indicator definition")
	}
	err := tx.WithContext(ctx).Where("id = ? AND archived_at IS NULL", id).Where(database.OfTenantOrBase(ctx, "tenant_id")).Take(&d).Error
	if database.IsNotFound(err) {
		return d, problem.NotFound("indicator definition")
	}
	return d, err
}

// Definition returns one indicator definition.
func (s *Service) Definition(ctx context.Context, id string) (Definition, error) {
	return s.definition(ctx, s.db, id)
}

// SaveDefinition creates a definition (id "") or changes the fields sent.
func (s *Service) SaveDefinition(ctx context.Context, p auth.Principal, id string, version int, req DefinitionRequest) (Definition, error) {
	var out Definition
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before := Definition{Direction: "increase"}
		if id != "" {
			var err error
			if before, err = s.definition(ctx, tx, id); err != nil {
				return err
			}
			if before.TenantID == nil && !database.Platform(ctx) {
				return problem.Forbidden("the national indicator definitions are the platform's: add a definition of your own instead")
			}
		}
		d, values := before, map[string]any{}
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"code": {&d.Code, req.Code}, "name_sv": {&d.NameSV, req.NameSV}, "name_en": {&d.NameEN, req.NameEN}, "unit": {&d.Unit, req.Unit},
			"result_level": {&d.ResultLevel, req.ResultLevel}, "direction": {&d.Direction, req.Direction},
			"vocabulary": {&d.Vocabulary, req.Vocabulary}, "external_code": {&d.ExternalCode, req.ExternalCode}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		var f problem.Fields
		checkDefinition(&f, d)
		if id != "" && req.Code != nil && *req.Code != before.Code {
			f.Add("code", "immutable", "a definition's code never changes; it is how outcomes add up")
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Definition]{
			Table: "indicator_definitions", Entity: "indicator definition", ID: id, Version: version, Row: &d, Values: values,
			Load:  func(id string) (Definition, error) { return s.definition(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "indicator_definition.save", EntityType: "indicator_definition"},
		})
	})
	return out, err
}

// aggregate is the SQL of an aggregation over column, chosen by the
// indicator's aggregation (in agg).
func aggregate(agg, column, order string) string {
	return `CASE ` + agg + ` WHEN 'sum' THEN sum(` + column + `) WHEN 'average' THEN avg(` + column + `)
		ELSE (array_agg(` + column + ` ORDER BY ` + order + ` DESC))[1] END`
}

// indicators loads indicators with their target periods and approved
// outcomes: three queries for any number.
func (s *Service) indicators(ctx context.Context, tx *gorm.DB, where string, args ...any) ([]Indicator, error) {
	var rows []indicatorRow
	if err := tx.WithContext(ctx).Where("archived_at IS NULL AND "+where, args...).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var periods []struct {
		IndicatorID string
		PeriodStart time.Time
		PeriodEnd   time.Time
		Target      float64
		Actual      *float64
	}
	if len(ids) > 0 {
		err := tx.WithContext(ctx).Raw(`SELECT t.indicator_id, t.period_start, t.period_end, t.target,
			(SELECT `+aggregate("i.aggregation", "m.value", "m.period_end")+` FROM measurements m
			 WHERE m.indicator_id = t.indicator_id AND m.status = 'approved' AND m.period_start >= t.period_start AND m.period_end <= t.period_end) AS actual
			FROM indicator_targets t JOIN indicators i ON i.id = t.indicator_id
			WHERE t.indicator_id IN ? ORDER BY t.period_start`, ids).Scan(&periods).Error
		if err != nil {
			return nil, err
		}
	}
	byID := map[string][]Period{}
	for _, pr := range periods {
		per := Period{Target: Target{PeriodStart: pr.PeriodStart.Format(time.DateOnly), PeriodEnd: pr.PeriodEnd.Format(time.DateOnly), Target: pr.Target}, Actual: pr.Actual}
		per.AttainmentPercent = attainment(pr.Target, pr.Actual, "")
		byID[pr.IndicatorID] = append(byID[pr.IndicatorID], per)
	}
	out := make([]Indicator, len(rows))
	for i, r := range rows {
		out[i] = Indicator{ID: r.ID, PartnershipID: r.PartnershipID, DefinitionID: deref(r.DefinitionID), Name: r.Name, Unit: r.Unit,
			ResultLevel: r.ResultLevel, Direction: r.Direction, Aggregation: r.Aggregation, Baseline: r.Baseline,
			DistrictID: deref(r.DistrictID), TargetGroup: r.TargetGroup, Periods: byID[r.ID], Version: r.Version,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		if out[i].Periods == nil {
			out[i].Periods = []Period{}
		}
		for j := range out[i].Periods {
			out[i].Periods[j].AttainmentPercent = attainment(out[i].Periods[j].Target.Target, out[i].Periods[j].Actual, r.Direction)
		}
	}
	return out, nil
}

// attainment is actual against target in percent, one decimal; for an
// indicator that should decrease, target against actual.
func attainment(target float64, actual *float64, direction string) *float64 {
	if actual == nil || target == 0 {
		return nil
	}
	v := *actual / target * 100
	if direction == "decrease" {
		if *actual == 0 {
			return nil
		}
		v = target / *actual * 100
	}
	v = float64(int64(v*10+0.5)) / 10
	return &v
}

// Indicators lists a partnership's indicators with their periods.
func (s *Service) Indicators(ctx context.Context, p auth.Principal, partnershipID string) ([]Indicator, error) {
	if _, err := s.access.Readable(ctx, s.db, p, partnershipID); err != nil {
		return nil, err
	}
	return s.indicators(ctx, s.db, "partnership_id = ?", partnershipID)
}

// indicator loads one indicator whose partnership p may see (or change).
func (s *Service) indicator(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (Indicator, error) {
	if !problem.IsUUID(id) {
		return Indicator{}, problem.NotFound("indicator")
	}
	list, err := s.indicators(ctx, tx, "id = ?", id)
	if err != nil {
		return Indicator{}, err
	}
	if len(list) == 0 {
		return Indicator{}, problem.NotFound("indicator")
	}
	if err := s.partnershipAccess(ctx, tx, p, list[0].PartnershipID, write); err != nil {
		return Indicator{}, err
	}
	return list[0], nil
}

// partnershipAccess checks p against the partnership something hangs on,
// answering 404 for what p may not see at all.
func (s *Service) partnershipAccess(ctx context.Context, tx *gorm.DB, p auth.Principal, partnershipID string, write bool) error {
	check := s.access.Readable
	if write {
		check = s.access.Writable
	}
	_, err := check(ctx, tx, p, partnershipID)
	return err
}

// Indicator returns one indicator.
func (s *Service) Indicator(ctx context.Context, p auth.Principal, id string) (Indicator, error) {
	return s.indicator(ctx, s.db, p, id, false)
}

// SaveIndicator creates an indicator on a partnership (id "") or changes the
// fields sent; targets, when sent, replace the old ones. A definition fills in
// name, unit, result level and direction not given.
func (s *Service) SaveIndicator(ctx context.Context, p auth.Principal, partnershipID, id string, version int, req IndicatorRequest) (Indicator, error) {
	var out Indicator
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		r := indicatorRow{PartnershipID: partnershipID, Direction: "increase", Aggregation: "sum"}
		if id != "" {
			before, err := s.indicator(ctx, tx, p, id, true)
			if err != nil {
				return err
			}
			if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
				return err
			}
			partnershipID = before.PartnershipID
		} else if err := s.partnershipAccess(ctx, tx, p, partnershipID, true); err != nil {
			return err
		}
		var f problem.Fields
		values := map[string]any{}
		if req.DefinitionID != nil {
			r.DefinitionID = nilIfEmpty(*req.DefinitionID)
			values["definition_id"] = r.DefinitionID
			if r.DefinitionID != nil && problem.IsUUID(*r.DefinitionID) {
				d, err := s.definition(ctx, tx, *r.DefinitionID)
				if err != nil {
					f.Add("definition_id", "not_found", "no such indicator definition")
				} else if id == "" {
					r.Name, r.Unit, r.ResultLevel, r.Direction = d.NameSV, d.Unit, d.ResultLevel, d.Direction
				}
			}
		}
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"name": {&r.Name, req.Name}, "unit": {&r.Unit, req.Unit}, "result_level": {&r.ResultLevel, req.ResultLevel},
			"direction": {&r.Direction, req.Direction}, "aggregation": {&r.Aggregation, req.Aggregation}, "target_group": {&r.TargetGroup, req.TargetGroup}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		if req.Baseline != nil {
			r.Baseline, values["baseline"] = req.Baseline, *req.Baseline
		}
		if req.DistrictID != nil {
			r.DistrictID = nilIfEmpty(*req.DistrictID)
			values["district_id"] = r.DistrictID
			if r.DistrictID != nil && problem.IsUUID(*r.DistrictID) {
				var n int64
				if err := tx.WithContext(ctx).Table("districts").Where("id = ?", *r.DistrictID).Where(database.OfTenant(ctx, "tenant_id")).
					Count(&n).Error; err != nil {
					return err
				}
				if n == 0 {
					f.Add("district_id", "not_found", "no such district")
				}
			}
		}
		var targets []TargetRequest
		if req.Targets != nil {
			targets = *req.Targets
		}
		checkIndicator(&f, r, targets)
		if err := f.Err(); err != nil {
			return err
		}
		if id != "" && len(values) == 0 && req.Targets != nil {
			values["updated_at"] = gorm.Expr("now()") // targets alone still make a new version
		}
		return audit.Save(ctx, tx, &out, audit.Change[Indicator]{
			Table: "indicators", Entity: "indicator", ID: id, Version: version, Row: &r, Values: values,
			Then:  func(id string) error { return replaceTargets(tx, id, req.Targets) },
			Load:  func(id string) (Indicator, error) { return s.indicator(ctx, tx, auth.System, id, false) },
			Event: audit.Event{Actor: p.Actor(), Action: "indicator.save", EntityType: "indicator"},
		})
	})
	return out, err
}

// replaceTargets sets an indicator's target periods to targets, when sent.
func replaceTargets(tx *gorm.DB, id string, targets *[]TargetRequest) error {
	if targets == nil {
		return nil
	}
	if err := tx.Exec("DELETE FROM indicator_targets WHERE indicator_id = ?", id).Error; err != nil {
		return err
	}
	for _, t := range *targets {
		if err := tx.Exec("INSERT INTO indicator_targets (indicator_id, period_start, period_end, target) VALUES (?, ?, ?, ?)",
			id, t.PeriodStart, t.PeriodEnd, t.Target).Error; err != nil {
			return err
		}
	}
	return nil
}

// ArchiveIndicator removes an indicator from follow-up; its measurements stay.
func (s *Service) ArchiveIndicator(ctx context.Context, p auth.Principal, id string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.indicator(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		return audit.Save(ctx, tx, nil, audit.Change[any]{
			Table: "indicators", Entity: "indicator", ID: id, Version: version, Values: map[string]any{"archived_at": gorm.Expr("now()")},
			Event: audit.Event{Actor: p.Actor(), Action: "indicator.archive", EntityType: "indicator", Before: before},
		})
	})
}

// IndicatorSummaries gives each partnership's indicators with their total
// target, approved outcome and attainment, in one query.
func (s *Service) IndicatorSummaries(ctx context.Context, ids []string) (map[string][]partnerships.IndicatorSummary, error) {
	var rows []struct {
		PartnershipID string
		partnerships.IndicatorSummary
		Direction string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT i.partnership_id, i.id AS indicator_id, i.name, i.unit, i.result_level, i.direction,
		(SELECT `+aggregate("i.aggregation", "t.target", "t.period_end")+` FROM indicator_targets t WHERE t.indicator_id = i.id) AS target,
		(SELECT `+aggregate("i.aggregation", "m.value", "m.period_end")+` FROM measurements m WHERE m.indicator_id = i.id AND m.status = 'approved') AS actual,
		(SELECT count(*) FROM measurements m WHERE m.indicator_id = i.id AND m.status = 'submitted') AS pending_count
		FROM indicators i WHERE i.partnership_id IN ? AND i.archived_at IS NULL ORDER BY i.created_at, i.id`, ids).Scan(&rows).Error
	out := map[string][]partnerships.IndicatorSummary{}
	for _, r := range rows {
		if r.Target != nil {
			r.AttainmentPercent = attainment(*r.Target, r.Actual, r.Direction)
		}
		out[r.PartnershipID] = append(out[r.PartnershipID], r.IndicatorSummary)
	}
	return out, err
}

// CopyToSuccessor copies a partnership's indicators (not their targets or
// outcomes, which belong to periods) to its successor, each copy recorded
// as p's in the audit trail.
func (s *Service) CopyToSuccessor(ctx context.Context, tx *gorm.DB, p auth.Principal, fromID, toID string) error {
	if err := tx.WithContext(ctx).Exec(`INSERT INTO indicators (partnership_id, definition_id, name, unit, result_level, direction, aggregation, baseline, district_id, target_group)
		SELECT ?, definition_id, name, unit, result_level, direction, aggregation, baseline, district_id, target_group
		FROM indicators WHERE partnership_id = ? AND archived_at IS NULL ORDER BY created_at`, toID, fromID).Error; err != nil {
		return err
	}
	copies, err := s.indicators(ctx, tx, "partnership_id = ?", toID)
	if err != nil {
		return err
	}
	for _, ind := range copies {
		if err := audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "indicator.save", EntityType: "indicator", EntityID: ind.ID, After: ind}); err != nil {
			return err
		}
	}
	return nil
}

// deref0 is *v, or 0 for nil.
func deref0[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func principlesJSON(m map[string]int) []byte {
	if m == nil {
		m = map[string]int{}
	}
	b, _ := json.Marshal(m)
	return b
}

func checkPrinciples(f *problem.Fields, m map[string]int) {
	for code, score := range m {
		if !codelists.Principles.Has(code) {
			f.Add("principles", "unknown_principle", "unknown principle "+code)
			return
		}
		if score < 1 || score > 5 {
			f.Add("principles."+code, "out_of_range", "must be 1 to 5")
		}
	}
}
