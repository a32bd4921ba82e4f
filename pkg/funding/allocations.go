package funding

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// AllocationFilter narrows the allocation list.
type AllocationFilter struct {
	PartnershipID, SourceID, RecipientID, Status string
	FiscalYear                                   int
	All                                          bool // no cap of 1,000 (exports)
}

// allocationColumns are an allocation and the money paid out of it,
// summed so that no stored amounts can make the read fail.
var allocationColumns = `allocations.*, ` + database.Bigint(`coalesce((SELECT sum(d.amount_ore) FROM disbursements d
	WHERE d.allocation_id = allocations.id AND d.archived_at IS NULL AND d.paid_on IS NOT NULL), 0)`) + ` AS disbursed_ore`

// Allocations lists allocations of the partnerships p may see.
func (s *Service) Allocations(ctx context.Context, p auth.Principal, f AllocationFilter) ([]Allocation, error) {
	q := s.db.WithContext(ctx).Table("allocations").Select(allocationColumns).Where("allocations.archived_at IS NULL")
	if p.IsReporter() || p.DistrictRestricted() {
		// Only those who see some partnerships need them joined.
		q = s.access.Visible(q.Joins("JOIN partnerships ON partnerships.id = allocations.partnership_id"), p, "partnerships")
	} else {
		q = q.Where(database.OfTenantOrShared(ctx, "allocations.tenant_id", "allocations.partnership_id"))
	}
	for col, v := range map[string]string{"allocations.partnership_id": f.PartnershipID, "allocations.source_id": f.SourceID,
		"allocations.recipient_organisation_id": f.RecipientID, "allocations.status": f.Status} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	if f.FiscalYear != 0 {
		q = q.Where("allocations.fiscal_year = ?", f.FiscalYear)
	}
	var rows []allocationRow
	if !f.All {
		q = q.Limit(1000)
	}
	if err := q.Order("allocations.fiscal_year DESC, allocations.created_at, allocations.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Allocation, len(rows))
	for i, r := range rows {
		out[i] = toAllocation(r)
	}
	return out, nil
}

// allocation loads an allocation whose partnership p may see (write: one
// p may change: on a partnership p may record on, and recorded by p's
// tenant unless p's tenant owns the partnership).
func (s *Service) allocation(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (allocationRow, error) {
	var r allocationRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("allocation")
	}
	err := tx.WithContext(ctx).Table("allocations").Select(allocationColumns).Where("id = ? AND archived_at IS NULL", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("allocation")
	}
	if err != nil {
		return r, err
	}
	check := s.access.Readable
	if write {
		check = s.access.Contributable
	}
	pt, err := check(ctx, tx, p, r.PartnershipID)
	if err != nil {
		if problem.IsNotFound(err) {
			return r, problem.NotFound("allocation")
		}
		return r, err
	}
	if write && !partnerships.MayChangeRecord(p, pt, deref(r.RecordedBy)) {
		return r, partnerships.NotRecorder()
	}
	return r, nil
}

// Allocation returns one allocation.
func (s *Service) Allocation(ctx context.Context, p auth.Principal, id string) (Allocation, error) {
	r, err := s.allocation(ctx, s.db, p, id, false)
	return toAllocation(r), err
}

// SaveAllocation creates an allocation (id "") or changes the fields sent.
// A write that takes the recipient near or past a state-aid ceiling answers
// with warnings, or 422 when the rule is set to block.
func (s *Service) SaveAllocation(ctx context.Context, p auth.Principal, id string, version int, req AllocationRequest) (Allocation, error) {
	var out Allocation
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before := allocationRow{Currency: "SEK", Status: "applied", StateAid: "sgei_de_minimis"}
		if id != "" {
			var err error
			if before, err = s.allocation(ctx, tx, p, id, true); err != nil {
				return err
			}
		}
		r, values := before, map[string]any{}
		var f problem.Fields
		if id != "" && req.PartnershipID != nil && *req.PartnershipID != before.PartnershipID {
			f.Add("partnership_id", "immutable", "an allocation stays with its partnership; withdraw it and allocate anew")
		}
		setStr(&r.PartnershipID, req.PartnershipID, "partnership_id", values)
		setStr(&r.SourceID, req.SourceID, "source_id", values)
		setStr(&r.RecipientOrganisationID, req.RecipientOrganisationID, "recipient_organisation_id", values)
		setStr(&r.Currency, req.Currency, "currency", values)
		setStr(&r.DecisionReference, req.DecisionReference, "decision_reference", values)
		setStr(&r.Status, req.Status, "status", values)
		setStr(&r.StateAid, req.StateAid, "state_aid", values)
		if req.AppliedOre != nil {
			r.AppliedOre, values["applied_ore"] = req.AppliedOre, *req.AppliedOre
		}
		if req.GrantedOre != nil {
			r.GrantedOre, values["granted_ore"] = req.GrantedOre, *req.GrantedOre
		}
		if req.FiscalYear != nil {
			r.FiscalYear, values["fiscal_year"] = *req.FiscalYear, *req.FiscalYear
		}
		for field, pair := range map[string]struct {
			dst **time.Time
			v   *string
		}{"decision_date": {&r.DecisionDate, req.DecisionDate}, "period_start": {&r.PeriodStart, req.PeriodStart}, "period_end": {&r.PeriodEnd, req.PeriodEnd}} {
			if pair.v != nil {
				*pair.dst = dates.Parse(&f, field, *pair.v)
				values[field] = *pair.dst
			}
		}
		checkAllocation(&f, r)
		if len(f) == 0 {
			if _, err := s.access.Contributable(ctx, tx, p, r.PartnershipID); err != nil {
				if problem.IsNotFound(err) {
					f.Add("partnership_id", "not_found", "no such partnership")
				} else {
					return err
				}
			}
			// The source is the recording tenant's own: checked when set, so
			// that the owner may change a shared partnership's allocation
			// from a source it does not see.
			if r.SourceID != before.SourceID {
				if _, err := s.source(ctx, tx, r.SourceID); err != nil {
					f.Add("source_id", "not_found", "no such funding source")
				}
			}
			if err := s.orgExists(ctx, p, &f, "recipient_organisation_id", &r.RecipientOrganisationID); err != nil {
				return err
			}
		}
		if before.ID != "" && r.GrantedOre != nil && *r.GrantedOre < before.DisbursedOre {
			f.Add("granted_ore", "below_disbursed", fmt.Sprintf("%d öre are already paid out", before.DisbursedOre))
		}
		if err := f.Err(); err != nil {
			return err
		}
		e := audit.Event{Actor: p.Actor(), Action: "allocation.create", EntityType: "allocation"}
		if id != "" {
			e.Action, e.Before = "allocation.update", toAllocation(before)
		}
		return audit.Save(ctx, tx, &out, audit.Change[Allocation]{
			Table: "allocations", Entity: "allocation", ID: id, Version: version, Row: &r, Values: values,
			Load: func(id string) (Allocation, error) {
				after, err := s.allocation(ctx, tx, auth.System, id, false)
				if err != nil {
					return Allocation{}, err
				}
				a := toAllocation(after)
				a.Warnings, err = s.ceilingWarnings(ctx, tx, after)
				return a, err
			},
			Event: e,
		})
	})
	return out, err
}

// ArchiveAllocation withdraws an allocation registered by mistake (a
// decision that was withdrawn keeps its row with status withdrawn instead).
func (s *Service) ArchiveAllocation(ctx context.Context, p auth.Principal, id string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.allocation(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		if before.DisbursedOre > 0 {
			return problem.Conflict("has_disbursements", "money has been paid out; set the status to withdrawn instead")
		}
		return audit.Save(ctx, tx, nil, audit.Change[any]{
			Table: "allocations", Entity: "allocation", ID: id, Version: version, Values: map[string]any{"archived_at": gorm.Expr("now()")},
			Event: audit.Event{Actor: p.Actor(), Action: "allocation.archive", EntityType: "allocation", Before: toAllocation(before)},
		})
	})
}

// Disbursements lists an allocation's instalments.
func (s *Service) Disbursements(ctx context.Context, p auth.Principal, allocationID string) ([]Disbursement, error) {
	if _, err := s.allocation(ctx, s.db, p, allocationID, false); err != nil {
		return nil, err
	}
	var rows []disbursementRow
	if err := s.db.WithContext(ctx).Where("allocation_id = ? AND archived_at IS NULL", allocationID).
		Order("coalesce(paid_on, planned_on), created_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Disbursement, len(rows))
	for i, r := range rows {
		out[i] = toDisbursement(r)
	}
	return out, nil
}

// SaveDisbursement creates (id "") or changes an instalment. Planned and
// paid instalments together never pass the granted amount: 422.
func (s *Service) SaveDisbursement(ctx context.Context, p auth.Principal, allocationID, id string, version int, req DisbursementRequest) (Disbursement, error) {
	var out Disbursement
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		a, err := s.allocation(ctx, tx, p, allocationID, true)
		if err != nil {
			return err
		}
		// Serialise instalments of one allocation, so two at once cannot both pass the check.
		if err := tx.Exec("SELECT 1 FROM allocations WHERE id = ? FOR UPDATE", allocationID).Error; err != nil {
			return err
		}
		var before disbursementRow
		if id != "" {
			if !problem.IsUUID(id) {
				return problem.NotFound("disbursement")
			}
			err := tx.Where("id = ? AND allocation_id = ? AND archived_at IS NULL", id, allocationID).Take(&before).Error
			if database.IsNotFound(err) {
				return problem.NotFound("disbursement")
			}
			if err != nil {
				return err
			}
		}
		r, values := before, map[string]any{}
		r.AllocationID = allocationID
		var f problem.Fields
		if req.AmountOre != nil {
			r.AmountOre, values["amount_ore"] = *req.AmountOre, *req.AmountOre
		}
		if req.PlannedOn != nil {
			r.PlannedOn = dates.Parse(&f, "planned_on", *req.PlannedOn)
			values["planned_on"] = r.PlannedOn
		}
		if req.PaidOn != nil {
			r.PaidOn = dates.Parse(&f, "paid_on", *req.PaidOn)
			values["paid_on"] = r.PaidOn
		}
		setStr(&r.Note, req.Note, "note", values)
		f.Text("note", r.Note, false, 1000)
		f.Minor("amount_ore", r.AmountOre, 1)
		if r.PlannedOn == nil && r.PaidOn == nil {
			f.Add("planned_on", "required", "give the planned or the paid date")
		}
		if a.Status != "granted" || a.GrantedOre == nil {
			return problem.Conflict("not_granted", "only a granted allocation is paid out")
		}
		// Summed and compared in SQL as numeric: no amounts, not even
		// rows stored before amounts had a maximum, can overflow the check.
		var total struct {
			Sum     string
			Exceeds bool
		}
		if err := tx.Raw(`SELECT s.sum::text AS sum, s.sum > ?::numeric AS exceeds
			FROM (SELECT coalesce(sum(amount_ore), 0) + ?::numeric AS sum FROM disbursements
			      WHERE allocation_id = ? AND archived_at IS NULL AND id::text <> ?) s`,
			*a.GrantedOre, r.AmountOre, allocationID, id).Scan(&total).Error; err != nil {
			return err
		}
		if len(f) == 0 && total.Exceeds {
			f.Add("amount_ore", "exceeds_granted", fmt.Sprintf("instalments would total %s öre, more than the %d granted", total.Sum, *a.GrantedOre))
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Disbursement]{
			Table: "disbursements", Entity: "disbursement", ID: id, Version: version, Row: &r, Values: values,
			Load:  audit.Reload(tx, toDisbursement),
			Event: audit.Event{Actor: p.Actor(), Action: "disbursement.save", EntityType: "disbursement"},
		})
	})
	return out, err
}
