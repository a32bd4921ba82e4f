package partnerships

import (
	"context"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Tenants is what partnerships need of the tenant register: whether a
// tenant exists, read across tenants.
type Tenants interface {
	Exists(ctx context.Context, id string) (bool, error)
}

// ShareRequest names a municipality or region to share a partnership with.
type ShareRequest struct {
	TenantID string `json:"tenant_id" format:"uuid" validate:"required,max=36"` // a tenant's id
} // @name ShareRequest

// Share names another tenant as participating in a partnership: its
// principals read the partnership and all that hangs on it, and record
// their own contributions and allocations on it. Only the owner's writers
// share (404 for a partnership p does not see, 403 for one p may not
// change); sharing with a tenant it is already shared with changes nothing.
func (s *Service) Share(ctx context.Context, p auth.Principal, id string, req ShareRequest) (Response, error) {
	var out Partnership
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		pt, err := s.access.Writable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := s.checkTenant(ctx, pt, req.TenantID); err != nil {
			return err
		}
		before, err := sharedWith(ctx, tx, id)
		if err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO partnership_tenants (partnership_id, tenant_id, owner_tenant_id) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, id, req.TenantID, pt.TenantID)
		if res.Error != nil {
			return res.Error
		}
		out = pt
		if res.RowsAffected == 0 {
			return nil
		}
		return s.recordSharing(ctx, tx, p, "partnership.share", id, before, &out)
	})
	return s.answer(ctx, out, err)
}

// Unshare ends a tenant's participation in a partnership (the owner's
// writers). A tenant that has recorded allocations on it keeps seeing them:
// aid decisions are public records their grantor answers for, so the
// allocations must be archived first (409).
func (s *Service) Unshare(ctx context.Context, p auth.Principal, id, tenantID string) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		pt, err := s.access.Writable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := s.checkTenant(ctx, pt, tenantID); err != nil {
			return err
		}
		var allocations int64
		if err := tx.Raw(`SELECT count(*) FROM allocations WHERE partnership_id = ? AND recorded_by = ? AND archived_at IS NULL`,
			id, tenantID).Scan(&allocations).Error; err != nil {
			return err
		}
		if allocations > 0 {
			return problem.Conflict("has_allocations", "the tenant has recorded allocations on this partnership; they are archived first")
		}
		before, err := sharedWith(ctx, tx, id)
		if err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM partnership_tenants WHERE partnership_id = ? AND tenant_id = ?", id, tenantID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem.NotFound("sharing with this tenant")
		}
		return s.recordSharing(ctx, tx, p, "partnership.unshare", id, before, &pt)
	})
}

// checkTenant checks the tenant a partnership is to be shared with, or no
// longer: a tenant, and not the owner.
func (s *Service) checkTenant(ctx context.Context, pt Partnership, tenantID string) error {
	var f problem.Fields
	f.IDs("tenant_id", tenantID)
	if len(f) > 0 {
		return f.Err()
	}
	if tenantID == pt.TenantID {
		f.Add("tenant_id", "own_tenant", "the partnership is this tenant's own")
		return f.Err()
	}
	ok, err := s.tenants.Exists(ctx, tenantID)
	if err != nil {
		return err
	}
	if !ok {
		f.Add("tenant_id", "not_found", "no such tenant")
	}
	return f.Err()
}

// recordSharing marks the partnership changed (for updated_since) and
// records who it was shared with before and after in the audit trail.
func (s *Service) recordSharing(ctx context.Context, tx *gorm.DB, p auth.Principal, action, id string, before []string, out *Partnership) error {
	if err := touch(tx, id); err != nil {
		return err
	}
	after, err := sharedWith(ctx, tx, id)
	if err != nil {
		return err
	}
	if *out, err = s.access.Readable(ctx, tx, auth.System, id); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: action, EntityType: "partnership", EntityID: id,
		Before: map[string][]string{"tenant_ids": before}, After: map[string][]string{"tenant_ids": after}})
}

// sharedWith lists the tenants a partnership is shared with, as its owner
// sees them.
func sharedWith(ctx context.Context, tx *gorm.DB, id string) ([]string, error) {
	out := []string{}
	err := tx.WithContext(ctx).Raw("SELECT tenant_id::text FROM partnership_tenants WHERE partnership_id = ? ORDER BY tenant_id", id).
		Scan(&out).Error
	return out, err
}

// answer is the answer to a write of pt: on the wire with its tenants
// named, unless the write failed.
func (s *Service) answer(ctx context.Context, pt Partnership, err error) (Response, error) {
	if err != nil {
		return toResponse(pt), err
	}
	return s.response(ctx, pt)
}

// response is pt on the wire, with its tenants named.
func (s *Service) response(ctx context.Context, pt Partnership) (Response, error) {
	out := []Response{toResponse(pt)}
	err := s.nameTenants(ctx, out)
	return out[0], err
}

// nameTenants fills in the owner and the participating tenants of
// partnerships p has already been let see. What the caller's own scope
// shows is read in it (one query); tenants are names every tenant may
// know, but row-level security shows a tenant only its own row and a
// participant only its own link, so when a partnership is shared the same
// query is read again, deliberately, across tenants.
func (s *Service) nameTenants(ctx context.Context, rs []Response) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	refs, complete, err := tenantRefs(ctx, s.db, ids)
	if err != nil {
		return err
	}
	if !complete {
		err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
			refs, _, err = tenantRefs(ctx, s.db, ids)
			return err
		})
		if err != nil {
			return err
		}
	}
	for i := range rs {
		r := &rs[i]
		for _, t := range refs[r.ID] {
			if t.owner {
				r.OwnerTenant = t.TenantRef
			} else {
				r.Tenants = append(r.Tenants, t.TenantRef)
			}
		}
	}
	return nil
}

type tenantLink struct {
	TenantRef
	owner bool
}

// tenantRefs reads the owner and participants of partnerships by id with
// their names, and whether every name was to be seen: a partnership
// another tenant owns, or one shared with others, has names the caller's
// scope does not show (and a participant sees only its own link).
func tenantRefs(ctx context.Context, db *gorm.DB, ids []string) (map[string][]tenantLink, bool, error) {
	var rows []struct {
		PartnershipID string
		TenantID      string
		Name          *string
		Owner         bool
	}
	err := db.WithContext(ctx).Raw(`
		SELECT x.partnership_id, x.tenant_id, t.name, x.owner FROM (
			SELECT id AS partnership_id, tenant_id, true AS owner FROM partnerships WHERE id = ANY(?::uuid[])
			UNION ALL
			SELECT partnership_id, tenant_id, false FROM partnership_tenants WHERE partnership_id = ANY(?::uuid[])) x
		LEFT JOIN tenants t ON t.id = x.tenant_id
		ORDER BY x.partnership_id, x.owner DESC, t.name, x.tenant_id`, database.Strings(ids), database.Strings(ids)).Scan(&rows).Error
	out := map[string][]tenantLink{}
	complete := true
	for _, r := range rows {
		if r.Name == nil {
			complete = false
		}
		out[r.PartnershipID] = append(out[r.PartnershipID], tenantLink{TenantRef{ID: r.TenantID, Name: deref(r.Name)}, r.Owner})
	}
	return out, complete, err
}
