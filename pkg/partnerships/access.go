package partnerships

import (
	"context"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Access is the object-level policy of partnerships, which funding and
// evaluation share: whatever hangs on a partnership is visible to whoever
// may see the partnership.
//
//   - A reporter sees the partnerships their organisation is a party to.
//   - A district-restricted principal (district editor, API client with
//     districts) sees those in one of their districts and the city-wide ones
//     (no district); they change only those in their districts.
//   - Everyone else the policy lets in sees and changes all.
//
// A partnership belongs to one tenant, its owner, and may be shared with
// others: their principals read it and all that hangs on it as the owner's
// do, record their own contributions and allocations on it (Contributable)
// and change only those they recorded (MayChangeRecord); only the owner's
// writers change the rest (Writable).
type Access struct{ db *gorm.DB }

// NewAccess returns the policy over db.
func NewAccess(db *gorm.DB) *Access { return &Access{db: db} }

// Visible limits a query on partnerships (aliased as table) to what p may
// see. The database holds every query to the same tenant rule on its own
// (row-level security); this says it in the query too, so that a list is
// read through the tenant's own index and a distributed database routes it
// to the tenant's node.
//
// The partnerships shared with the tenant are an array computed once
// (= ANY (ARRAY(…))), not a subquery (IN (SELECT …)): PostgreSQL then reads
// the tenant's rows and the shared ones through two indexes and joins the
// two bitmaps, where with IN it can only test every partnership of every
// tenant against a hash of the shared ones (a sequential scan).
func (a *Access) Visible(q *gorm.DB, p auth.Principal, table string) *gorm.DB {
	if p.IsReporter() {
		return q.Where("EXISTS (SELECT 1 FROM partnership_parties pp WHERE pp.partnership_id = "+table+
			".id AND pp.organisation_id = ? AND pp.archived_at IS NULL)", p.OrganisationID)
	}
	if p.Kind != auth.System.Kind {
		q = q.Where("("+table+".tenant_id = ? OR "+table+".id = ANY (ARRAY(SELECT partnership_id FROM partnership_tenants WHERE tenant_id = ?)))",
			tenantOf(p), tenantOf(p))
	}
	if p.DistrictRestricted() {
		return q.Where("("+table+".district_ids && ?::uuid[] OR "+table+".district_ids = '{}')", database.Strings(p.DistrictIDs))
	}
	return q
}

// tenantOf is p's tenant as a query parameter: none matches no row.
func tenantOf(p auth.Principal) any {
	if p.TenantID == "" {
		return nil
	}
	return p.TenantID
}

// Readable loads a partnership p may see, or answers 404.
func (a *Access) Readable(ctx context.Context, tx *gorm.DB, p auth.Principal, id string) (Partnership, error) {
	if !problem.IsUUID(id) {
		return Partnership{}, problem.NotFound("partnership")
	}
	var r row
	q := a.Visible(tx.WithContext(ctx).Table("partnerships"), p, "partnerships").Where("partnerships.id = ?", id)
	err := q.Take(&r).Error
	if database.IsNotFound(err) {
		return Partnership{}, problem.NotFound("partnership")
	}
	return toPartnership(r), err
}

// Writable loads a partnership p may change: 404 when p may not see it, 403
// when p sees but may not change it (a city-wide one for a district editor,
// one another tenant shares with p's).
func (a *Access) Writable(ctx context.Context, tx *gorm.DB, p auth.Principal, id string) (Partnership, error) {
	pt, err := a.Contributable(ctx, tx, p, id)
	if err != nil {
		return pt, err
	}
	if !Owns(p, pt) {
		return pt, notOwner()
	}
	return pt, nil
}

// Contributable loads a partnership on which p may record contributions
// and allocations: one p may change, or one shared with p's tenant (where
// p's own district rule still holds). 404 and 403 as Writable.
func (a *Access) Contributable(ctx context.Context, tx *gorm.DB, p auth.Principal, id string) (Partnership, error) {
	pt, err := a.Readable(ctx, tx, p, id)
	if err != nil {
		return pt, err
	}
	if !mayWrite(p, pt, pt) {
		return pt, problem.Forbidden("this partnership is outside your districts")
	}
	return pt, nil
}

// Owns reports whether p's tenant owns pt (Samverkan's own work owns all).
func Owns(p auth.Principal, pt Partnership) bool {
	return p.Kind == auth.System.Kind || (p.TenantID != "" && p.TenantID == pt.TenantID)
}

// MayChangeRecord reports whether p may change a contribution or an
// allocation on pt that the tenant recordedBy recorded: the owner changes
// every record, a tenant the partnership is shared with only its own.
func MayChangeRecord(p auth.Principal, pt Partnership, recordedBy string) bool {
	return Owns(p, pt) || (p.TenantID != "" && p.TenantID == recordedBy)
}

// NotRecorder is the answer to a change of another tenant's record on a
// shared partnership.
func NotRecorder() error {
	return problem.Forbidden("another municipality or region recorded this on the shared partnership; only it and the owner change it")
}

func notOwner() error {
	return problem.Forbidden("this partnership is shared with you by the municipality or region that owns it; only its owner changes it")
}

// IsParty reports whether organisation is a current party to partnership.
func (a *Access) IsParty(ctx context.Context, tx *gorm.DB, partnershipID, organisationID string) (bool, error) {
	var ok bool
	err := tx.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM partnership_parties
		WHERE partnership_id = ? AND organisation_id = ? AND archived_at IS NULL)`, partnershipID, organisationID).Scan(&ok).Error
	return ok, err
}

// mayWrite: reporters never change a partnership; district-restricted
// principals follow the shared district rule.
func mayWrite(p auth.Principal, before, after Partnership) bool {
	return !p.IsReporter() && p.MayWriteInDistricts(before.ID != "", before.DistrictIDs, after.DistrictIDs)
}
