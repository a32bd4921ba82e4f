package partnerships

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Geography is what partnerships need to know of places.
type Geography interface {
	Municipality(ctx context.Context, code string) (geography.Municipality, error)
	MunicipalitiesOf(ctx context.Context, districtIDs []string) (map[string]string, error)
}

// Organisations is what partnerships need to know of the register.
type Organisations interface {
	Visible(ctx context.Context, p auth.Principal, id string) (bool, error)
}

// Summaries are what other areas add to a partnership's detail, each for
// many partnerships in one query.
type Summaries interface {
	FundingSummaries(ctx context.Context, ids []string) (map[string]FundingSummary, error)
	IndicatorSummaries(ctx context.Context, ids []string) (map[string][]IndicatorSummary, error)
	FundingWarnings(ctx context.Context, partnershipID string) ([]Warning, error)
}

// Copier copies what an area keeps of a partnership to its successor, inside
// the extension's transaction.
type Copier interface {
	// CopyToSuccessor copies in tx and records each copy made, as p's, in
	// the audit trail.
	CopyToSuccessor(ctx context.Context, tx *gorm.DB, p auth.Principal, fromID, toID string) error
}

// Service keeps partnerships, their parties and their ledgers.
type Service struct {
	db        *gorm.DB
	access    *Access
	codes     *codelists.Service
	geo       Geography
	orgs      Organisations
	tenants   Tenants
	summaries Summaries
	copiers   []Copier
}

// NewService returns the partnership service. summaries and copiers may be
// set later with Attach, once the areas that provide them are built.
func NewService(db *gorm.DB, access *Access, codes *codelists.Service, geo Geography, orgs Organisations, tenants Tenants) *Service {
	return &Service{db: db, access: access, codes: codes, geo: geo, orgs: orgs, tenants: tenants}
}

// Attach adds the summaries of other areas and the copiers used by Extend.
func (s *Service) Attach(summaries Summaries, copiers ...Copier) {
	s.summaries, s.copiers = summaries, copiers
}

func (s *Service) store(tx *gorm.DB) store { return store{db: tx, access: s.access} }

// List returns a page of the partnerships p may see.
func (s *Service) List(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Response, string, error) {
	items, err := s.store(s.db).list(ctx, p, f, page)
	if err != nil {
		return nil, "", err
	}
	items, next := listing.Cut(page, items, func(pt Partnership) (string, string) { return sortValue(page.Sort, pt), pt.ID })
	out := make([]Response, len(items))
	for i, pt := range items {
		out[i] = toResponse(pt)
	}
	if err := s.nameTenants(ctx, out); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// Create registers a partnership and draws its reference code.
func (s *Service) Create(ctx context.Context, p auth.Principal, req NewRequest) (Response, error) {
	var f problem.Fields
	pt := Partnership{Diarienummer: req.Diarienummer, Title: req.Title, Purpose: req.Purpose, Form: req.Form, Status: req.Status,
		StartDate: dates.Parse(&f, "start_date", req.StartDate), EndDate: dates.Parse(&f, "end_date", req.EndDate),
		OwnerOrganisationID: req.OwnerOrganisationID, MunicipalityCode: req.MunicipalityCode, DistrictIDs: uniq(req.DistrictIDs),
		TargetGroups: uniq(req.TargetGroups), PolicyGoals: uniq(req.PolicyGoals), ParticipationLevel: req.ParticipationLevel,
		DecisionStep: req.DecisionStep, Principles: req.Principles, Public: req.Public, TotalBudgetOre: req.TotalBudgetOre,
		BudgetCurrency: req.BudgetCurrency}
	if pt.Status == "" {
		pt.Status = "idea"
	}
	if pt.BudgetCurrency == "" {
		pt.BudgetCurrency = "SEK"
	}
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		m, err := s.check(ctx, p, Partnership{}, &pt, f)
		if err != nil {
			return err
		}
		year := dates.Today().Year()
		if pt.StartDate != nil {
			year = pt.StartDate.Year()
		}
		if pt.Reference, err = nextReference(ctx, tx, m.ReferencePrefix(), pt.MunicipalityCode, pt.Form, year); err != nil {
			return err
		}
		r := toRow(pt)
		return audit.Save(ctx, tx, &out, audit.Change[Response]{
			Row:   &r,
			Then:  func(id string) error { return firstStatus(ctx, tx, p, id, pt, "created") },
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "partnership.create", EntityType: "partnership"},
		})
	})
	return s.named(ctx, out, err)
}

// nextReference draws the next reference code for a municipality, form and
// year, in tx: GBG-IOP-2016-004.
func nextReference(ctx context.Context, tx *gorm.DB, prefix, municipality, form string, year int) (string, error) {
	var n int
	err := tx.WithContext(ctx).Raw(`INSERT INTO reference_counters (municipality_code, form, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (municipality_code, form, year) DO UPDATE SET last = reference_counters.last + 1
		RETURNING last`, municipality, form, year).Scan(&n).Error
	if err != nil {
		return "", err
	}
	num := strconv.Itoa(n)
	for len(num) < 3 {
		num = "0" + num
	}
	return prefix + "-" + formCodes[form] + "-" + strconv.Itoa(year) + "-" + num, nil
}

// firstStatus writes the first entry of the status history of pt, stored
// with id.
func firstStatus(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, pt Partnership, reason string) error {
	on := dates.Today()
	if pt.StartDate != nil && pt.Status != "idea" {
		on = *pt.StartDate
	}
	return tx.WithContext(ctx).Exec(`INSERT INTO partnership_status_changes (partnership_id, from_status, to_status, reason, changed_on, actor_type, actor_id)
		VALUES (?, NULL, ?, ?, ?, ?, ?)`, id, pt.Status, reason, on, string(p.Kind), p.ID).Error
}

// check validates pt as it would be stored, its references, and whether p may
// make it so; it returns pt's municipality.
func (s *Service) check(ctx context.Context, p auth.Principal, before Partnership, pt *Partnership, f problem.Fields) (geography.Municipality, error) {
	f = append(f, pt.fields("", "")...)
	if len(f) > 0 {
		return geography.Municipality{}, f.Err()
	}
	if !mayWrite(p, before, *pt) {
		if before.ID == "" {
			f.Add("district_ids", "outside_your_districts", "include at least one of your own districts, and no other")
			return geography.Municipality{}, f.Err()
		}
		return geography.Municipality{}, problem.Forbidden("you may change only partnerships in your districts, and only your own districts of them")
	}
	m, err := s.geo.Municipality(ctx, pt.MunicipalityCode)
	if err != nil {
		f.Add("municipality_code", "not_found", "no such municipality")
	}
	if len(pt.DistrictIDs) > 0 {
		of, err := s.geo.MunicipalitiesOf(ctx, pt.DistrictIDs)
		if err != nil {
			return m, err
		}
		for _, id := range pt.DistrictIDs {
			if mc, ok := of[id]; !ok {
				f.Add("district_ids", "not_found", "no such district: "+id)
				break
			} else if mc != pt.MunicipalityCode {
				f.Add("district_ids", "other_municipality", "district "+id+" belongs to another municipality")
				break
			}
		}
	}
	if pt.OwnerOrganisationID != "" && pt.OwnerOrganisationID != before.OwnerOrganisationID {
		if err := organisations.Refer(ctx, s.orgs, p, &f, "owner_organisation_id", pt.OwnerOrganisationID); err != nil {
			return m, err
		}
	}
	if err := s.codes.CheckCodes(ctx, &f, "target_groups", "target_groups", pt.TargetGroups); err != nil {
		return m, err
	}
	if err := s.codes.CheckCodes(ctx, &f, "policy_goals", "policy_goals", pt.PolicyGoals); err != nil {
		return m, err
	}
	return m, f.Err()
}

// Update changes the fields sent, if version is still current.
func (s *Service) Update(ctx context.Context, p auth.Principal, id string, version int, req UpdateRequest) (Response, error) {
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.access.Readable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !Owns(p, before) {
			return notOwner()
		}
		pt := before
		var f problem.Fields
		cols := req.apply(&pt, &f)
		if _, err := s.check(ctx, p, before, &pt, f); err != nil {
			return err
		}
		if len(cols) == 0 {
			if before.Version != version {
				return problem.Stale()
			}
			out = toResponse(before)
			return nil
		}
		return audit.Save(ctx, tx, &out, audit.Change[Response]{
			Table: "partnerships", Entity: "partnership", ID: id, Version: version, Values: columnValues(pt, cols),
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "partnership.update", EntityType: "partnership", Before: toResponse(before)},
		})
	})
	return s.named(ctx, out, err)
}

// apply sets the fields of r that were sent on pt and names their columns.
func (r UpdateRequest) apply(pt *Partnership, f *problem.Fields) []string {
	var cols []string
	str := func(col string, dst *string, v *string) {
		if v != nil {
			*dst = *v
			cols = append(cols, col)
		}
	}
	str("diarienummer", &pt.Diarienummer, r.Diarienummer)
	str("title", &pt.Title, r.Title)
	str("purpose", &pt.Purpose, r.Purpose)
	str("form", &pt.Form, r.Form)
	str("owner_organisation_id", &pt.OwnerOrganisationID, r.OwnerOrganisationID)
	str("participation_level", &pt.ParticipationLevel, r.ParticipationLevel)
	str("decision_step", &pt.DecisionStep, r.DecisionStep)
	str("budget_currency", &pt.BudgetCurrency, r.BudgetCurrency)
	if r.StartDate != nil {
		pt.StartDate = dates.Parse(f, "start_date", *r.StartDate)
		cols = append(cols, "start_date")
	}
	if r.EndDate != nil {
		pt.EndDate = dates.Parse(f, "end_date", *r.EndDate)
		cols = append(cols, "end_date")
	}
	lists := map[string]struct {
		dst *[]string
		v   *[]string
	}{"district_ids": {&pt.DistrictIDs, r.DistrictIDs}, "target_groups": {&pt.TargetGroups, r.TargetGroups}, "policy_goals": {&pt.PolicyGoals, r.PolicyGoals}}
	for _, col := range []string{"district_ids", "target_groups", "policy_goals"} {
		if l := lists[col]; l.v != nil {
			*l.dst = uniq(*l.v)
			cols = append(cols, col)
		}
	}
	if r.Principles != nil {
		pt.Principles = *r.Principles
		cols = append(cols, "principles")
	}
	if r.Public != nil {
		pt.Public = *r.Public
		cols = append(cols, "public")
	}
	if r.TotalBudgetOre != nil {
		pt.TotalBudgetOre = r.TotalBudgetOre
		cols = append(cols, "total_budget_ore")
	}
	return cols
}

// Transition moves a partnership to another status along the allowed
// transitions, recording the change with its date and reason. Anything else
// is 409 with the allowed targets.
func (s *Service) Transition(ctx context.Context, p auth.Principal, id string, req TransitionRequest) (Response, error) {
	var f problem.Fields
	f.Text("reason", req.Reason, false, 2000)
	on := dates.Parse(&f, "on", req.On)
	if !codelists.Statuses.Has(req.To) {
		f.OneOf("to", req.To, codelists.Statuses.Codes())
	}
	var out Partnership
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.access.Writable(ctx, tx, p, id)
		if err != nil {
			return err // before the request's own errors: they would tell that it exists
		}
		if err := f.Err(); err != nil {
			return err
		}
		allowed := AllowedNext(before.Status)
		if !slices.Contains(allowed, req.To) {
			e := problem.Conflict("transition_not_allowed", "a partnership in status "+before.Status+" cannot move to "+req.To)
			e.Allowed = allowed
			if e.Allowed == nil {
				e.Allowed = []string{}
			}
			return e
		}
		if on == nil {
			t := dates.Today()
			on = &t
		}
		res := tx.Exec(`UPDATE partnerships SET status = ?, version = version + 1, updated_at = now() WHERE id = ? AND status = ?`, req.To, id, before.Status)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem.Stale()
		}
		if err := tx.Exec(`INSERT INTO partnership_status_changes (partnership_id, from_status, to_status, reason, changed_on, actor_type, actor_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, before.Status, req.To, req.Reason, *on, string(p.Kind), p.ID).Error; err != nil {
			return err
		}
		if out, err = s.access.Readable(ctx, tx, auth.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "partnership.transition", EntityType: "partnership",
			EntityID: id, Before: toResponse(before), After: toResponse(out)})
	})
	return s.answer(ctx, out, err)
}

// Extend creates the successor of a partnership ("IOP 2015 → extended
// 2016"), copying its current parties, its commitments and what other areas
// copy (indicator definitions).
func (s *Service) Extend(ctx context.Context, p auth.Principal, id string, req ExtendRequest) (Response, error) {
	var f problem.Fields
	start := dates.Parse(&f, "start_date", req.StartDate)
	if req.StartDate == "" {
		f.Add("start_date", "required", "the successor needs a start date")
	}
	end := dates.Parse(&f, "end_date", req.EndDate)
	dates.Order(&f, "end_date", start, end)
	if req.Status == "" {
		req.Status = "negotiation"
	}
	f.OneOf("status", req.Status, []string{"idea", "dialogue", "negotiation", "active"})
	f.Text("title", req.Title, false, 300)
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		prev, err := s.access.Writable(ctx, tx, p, id)
		if err != nil {
			return err // before the request's own errors: they would tell that it exists
		}
		if err := f.Err(); err != nil {
			return err
		}
		if prev.Status != "active" && prev.Status != "completed" {
			return problem.Conflict("not_extendable", "only an active or completed partnership can be extended")
		}
		if prev.EndDate != nil && !start.After(*prev.EndDate) {
			f.Add("start_date", "overlaps_predecessor", "must be after the predecessor's end date "+dates.Format(prev.EndDate))
			return f.Err()
		}
		next := prev
		next.ID, next.PredecessorID, next.Status, next.StartDate, next.EndDate = "", prev.ID, req.Status, start, end
		if req.Title != "" {
			next.Title = req.Title
		}
		m, err := s.geo.Municipality(ctx, prev.MunicipalityCode)
		if err != nil {
			return err
		}
		if next.Reference, err = nextReference(ctx, tx, m.ReferencePrefix(), next.MunicipalityCode, next.Form, start.Year()); err != nil {
			return err
		}
		r := toRow(next)
		return audit.Save(ctx, tx, &out, audit.Change[Response]{
			Row: &r,
			Then: func(id string) error {
				if err := firstStatus(ctx, tx, p, id, next, "extension of "+prev.Reference); err != nil {
					return err
				}
				if err := copyTenants(ctx, tx, prev.ID, id); err != nil {
					return err
				}
				return s.copyToSuccessor(ctx, tx, p, prev.ID, id, start, end)
			},
			Load: func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "partnership.extend", EntityType: "partnership",
				Before: map[string]string{"predecessor_id": prev.ID}},
		})
	})
	return s.named(ctx, out, err)
}

// copyToSuccessor copies a partnership's ledger to its successor, and what
// the other areas copy (indicators); each copy is recorded before the
// extension itself.
func (s *Service) copyToSuccessor(ctx context.Context, tx *gorm.DB, p auth.Principal, fromID, toID string, start, end *time.Time) error {
	if err := s.copyLedger(ctx, tx, p, fromID, toID, start, end); err != nil {
		return err
	}
	for _, c := range s.copiers {
		if err := c.CopyToSuccessor(ctx, tx, p, fromID, toID); err != nil {
			return err
		}
	}
	return nil
}

// copyLedger copies the current parties (joining on the new start) and their
// commitments (over the new period) to a successor, and records each copy:
// every record the extension makes is a change of its own in the trail (and
// so in the change feed).
func (s *Service) copyLedger(ctx context.Context, tx *gorm.DB, p auth.Principal, fromID, toID string, start, end *time.Time) error {
	if err := copyRows(ctx, tx, fromID, toID, start, end); err != nil {
		return err
	}
	parties, err := s.parties(ctx, tx, toID)
	if err != nil {
		return err
	}
	for _, pa := range parties {
		if err := audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "party.create", EntityType: "party", EntityID: pa.ID, After: pa}); err != nil {
			return err
		}
	}
	var commitments []commitmentRow
	if err := tx.WithContext(ctx).Where("partnership_id = ?", toID).Order("created_at, id").Find(&commitments).Error; err != nil {
		return err
	}
	for _, c := range commitments {
		if err := audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "commitment.create", EntityType: "commitment", EntityID: c.ID,
			After: toCommitment(c)}); err != nil {
			return err
		}
	}
	return nil
}

func copyRows(ctx context.Context, tx *gorm.DB, fromID, toID string, start, end *time.Time) error {
	return tx.WithContext(ctx).Exec(`
		WITH parties AS (
			INSERT INTO partnership_parties (partnership_id, organisation_id, role, joined_on, note)
			SELECT ?, organisation_id, role, ?, note FROM partnership_parties
			WHERE partnership_id = ? AND archived_at IS NULL AND left_on IS NULL
			RETURNING id, organisation_id, role),
		old AS (
			SELECT id, organisation_id, role FROM partnership_parties
			WHERE partnership_id = ? AND archived_at IS NULL AND left_on IS NULL)
		INSERT INTO commitments (partnership_id, party_id, direction, kind, description, quantity, unit, period_start, period_end, district_id, valuation_ore, currency, recorded_by)
		SELECT ?, parties.id, 'committed', c.kind, c.description, c.quantity, c.unit, ?, ?, c.district_id, c.valuation_ore, c.currency, c.recorded_by
		FROM commitments c JOIN old ON old.id = c.party_id JOIN parties ON parties.organisation_id = old.organisation_id AND parties.role = old.role
		WHERE c.partnership_id = ? AND c.direction = 'committed' AND c.archived_at IS NULL`,
		toID, start, fromID, fromID, toID, start, end, fromID).Error
}

// copyTenants shares a successor with the tenants its predecessor is
// shared with, so that a joint partnership stays joint when extended.
func copyTenants(ctx context.Context, tx *gorm.DB, fromID, toID string) error {
	return tx.WithContext(ctx).Exec(`INSERT INTO partnership_tenants (partnership_id, tenant_id, owner_tenant_id)
		SELECT ?, tenant_id, owner_tenant_id FROM partnership_tenants WHERE partnership_id = ?`, toID, fromID).Error
}

// Archive withdraws a partnership (public records are never deleted).
func (s *Service) Archive(ctx context.Context, p auth.Principal, id string, version int) (Response, error) {
	return s.setArchived(ctx, p, id, version, true)
}

// Restore brings an archived partnership back.
func (s *Service) Restore(ctx context.Context, p auth.Principal, id string, version int) (Response, error) {
	return s.setArchived(ctx, p, id, version, false)
}

func (s *Service) setArchived(ctx context.Context, p auth.Principal, id string, version int, archived bool) (Response, error) {
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.access.Writable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if (before.ArchivedAt != nil) == archived {
			return problem.Conflict("archive_state", "the partnership is "+map[bool]string{true: "already archived", false: "not archived"}[archived])
		}
		var at any
		if archived {
			at = gorm.Expr("now()")
		}
		action := map[bool]string{true: "partnership.archive", false: "partnership.restore"}[archived]
		return audit.Save(ctx, tx, &out, audit.Change[Response]{
			Table: "partnerships", Entity: "partnership", ID: id, Version: version, Values: map[string]any{"archived_at": at},
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: action, EntityType: "partnership", Before: toResponse(before)},
		})
	})
	return s.named(ctx, out, err)
}

// named is out with its tenants named, unless err.
func (s *Service) named(ctx context.Context, out Response, err error) (Response, error) {
	if err != nil {
		return out, err
	}
	rs := []Response{out}
	err = s.nameTenants(ctx, rs)
	return rs[0], err
}

// responseIn reads a partnership back in tx as the API answers it.
func (s *Service) responseIn(ctx context.Context, tx *gorm.DB, id string) (Response, error) {
	pt, err := s.access.Readable(ctx, tx, auth.System, id)
	return toResponse(pt), err
}

func uniq(s []string) []string {
	var out []string
	for _, v := range s {
		v = strings.TrimSpace(v)
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
