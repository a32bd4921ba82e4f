package organisations

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Geography is what the register needs to know of places.
type Geography interface {
	MunicipalityExists(ctx context.Context, code string) (bool, error)
	MunicipalitiesOf(ctx context.Context, districtIDs []string) (map[string]string, error)
}

// Service keeps the organisation register: rules, access, transactions and
// the audit trail.
type Service struct {
	db  *gorm.DB
	geo Geography
}

// NewService returns the organisation service.
func NewService(db *gorm.DB, geo Geography) *Service { return &Service{db: db, geo: geo} }

// store is the register as p's tenant keeps it, through tx.
func (s *Service) store(ctx context.Context, p auth.Principal, tx *gorm.DB) store {
	return store{db: tx, tenant: tenantOf(ctx, p)}
}

// tenantOf is the tenant whose profiles and contacts p works with: the
// principal's own, or, for the work Samverkan does by itself (the demo),
// the tenant of the database session it runs in. "" for none.
func tenantOf(ctx context.Context, p auth.Principal) string {
	if p.TenantID != "" {
		return p.TenantID
	}
	if sc, ok := database.ScopeOf(ctx); ok {
		return sc.Tenant
	}
	return ""
}

// List returns a page of the organisations p may see, and the next cursor.
// Sole traders' numbers are always masked in lists.
func (s *Service) List(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Response, string, error) {
	orgs, err := s.store(ctx, p, s.db).list(ctx, p, f, page)
	if err != nil {
		return nil, "", err
	}
	orgs, next := listing.Cut(page, orgs, func(o Organisation) (string, string) {
		switch page.Sort {
		case "created_at":
			return listing.TimeValue(o.CreatedAt), o.ID
		case "updated_at":
			return listing.TimeValue(o.UpdatedAt), o.ID
		}
		return o.Name, o.ID
	})
	out := make([]Response, len(orgs))
	for i, o := range orgs {
		out[i] = toResponse(o, false)
	}
	return out, next, nil
}

// Get returns one organisation if p may see it (404 otherwise, so that ids of
// other districts reveal nothing).
func (s *Service) Get(ctx context.Context, p auth.Principal, id string) (Response, error) {
	o, err := s.readable(ctx, s.db, p, id)
	if err != nil {
		return Response{}, err
	}
	return toResponse(o, mayWriteExisting(p, o)), nil
}

// Visibility is what tells whether a caller may see an organisation (the
// Service; areas depend on it through interfaces of their own).
type Visibility interface {
	Visible(ctx context.Context, p auth.Principal, id string) (bool, error)
}

// Refer adds field's not_found error unless every id names an organisation
// p may see: a reference to one the caller may not see is refused as if it
// did not exist. Empty ids are skipped; an id that is no uuid is
// invalid_id (unless f.IDs has already said so), and never reaches a query.
func Refer(ctx context.Context, orgs Visibility, p auth.Principal, f *problem.Fields, field string, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if !problem.IsUUID(id) {
			if !f.Has(field) {
				f.IDs(field, id)
			}
			continue
		}
		ok, err := orgs.Visible(ctx, p, id)
		if err != nil {
			return err
		}
		if !ok {
			f.Add(field, "not_found", "no such organisation")
			return nil
		}
	}
	return nil
}

// OrgNumberFor is the organisation's number as p may see it: a sole
// trader's (a personnummer) only to those who may change the organisation,
// masked to others. 404 unless p may see the organisation.
func (s *Service) OrgNumberFor(ctx context.Context, p auth.Principal, id string) (string, error) {
	o, err := s.readable(ctx, s.db, p, id)
	if err != nil {
		return "", err
	}
	return toResponse(o, mayWriteExisting(p, o)).OrgNumber, nil
}

func (s *Service) readable(ctx context.Context, tx *gorm.DB, p auth.Principal, id string) (Organisation, error) {
	return s.load(ctx, tx, p, id, false)
}

// load reads an organisation p may see (404 otherwise), and with lock
// holds its lock until tx ends: what a write reads before it writes.
func (s *Service) load(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, lock bool) (Organisation, error) {
	if uuid.Validate(id) != nil {
		return Organisation{}, problem.NotFound("organisation")
	}
	st := s.store(ctx, p, tx)
	read := st.get
	if lock {
		read = st.lock
	}
	o, err := read(ctx, id)
	if err != nil {
		return Organisation{}, err
	}
	if !mayRead(p, o) {
		return Organisation{}, problem.NotFound("organisation")
	}
	return o, nil
}

// Create registers an organisation: the national record, and the
// classification and notes as the caller's tenant's profile of it. A
// number the register holds already is 409 naming the organisation that
// has it, for the caller to refer to.
func (s *Service) Create(ctx context.Context, p auth.Principal, req NewRequest) (Response, error) {
	o := fromNew(req)
	if err := s.check(ctx, p, Organisation{}, &o); err != nil {
		return Response{}, err
	}
	var out Organisation
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if out, err = s.store(ctx, p, tx).insert(ctx, o); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "organisation.create",
			EntityType: "organisation", EntityID: out.ID, After: toResponse(out, true)})
	})
	if err != nil {
		return Response{}, s.taken(ctx, err, o.OrgNumber)
	}
	return toResponse(out, true), nil
}

// Update changes the fields sent, if version (a Revision) is still
// current: the national record's fields on the record, the classification
// and notes on the caller's tenant's profile (made when it has none).
func (s *Service) Update(ctx context.Context, p auth.Principal, id string, version int, req UpdateRequest) (Response, error) {
	var out Organisation
	var number string
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.load(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		o := before
		cols := req.apply(&o)
		if err := s.check(ctx, p, before, &o); err != nil {
			return err
		}
		number = o.OrgNumber
		if before.Revision() != version {
			return problem.Stale()
		}
		if len(cols) == 0 { // nothing to change: answer the current state
			out = before
			return nil
		}
		var record, profile []string
		for _, c := range cols {
			if slices.Contains(profileColumns, c) {
				profile = append(profile, c)
			} else {
				record = append(record, c)
			}
		}
		st := s.store(ctx, p, tx)
		if len(record) > 0 {
			if _, err := database.UpdateVersioned(tx, "organisations", "organisation", id, before.Version, columnValues(o, record)); err != nil {
				return err
			}
		}
		if len(profile) > 0 {
			if err := st.saveProfile(ctx, id, o, len(record) == 0); err != nil {
				return err
			}
		}
		if out, err = st.get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "organisation.update",
			EntityType: "organisation", EntityID: id, Before: toResponse(before, true), After: toResponse(out, true)})
	})
	if err != nil {
		return Response{}, s.taken(ctx, err, number)
	}
	return toResponse(out, true), nil
}

// Archive withdraws an organisation from the register. Nothing is deleted: the
// row stays, marked archived, and an admin can restore it.
func (s *Service) Archive(ctx context.Context, p auth.Principal, id string, version int) (Response, error) {
	return s.setArchived(ctx, p, id, version, true)
}

// Restore undoes Archive.
func (s *Service) Restore(ctx context.Context, p auth.Principal, id string, version int) (Response, error) {
	return s.setArchived(ctx, p, id, version, false)
}

func (s *Service) setArchived(ctx context.Context, p auth.Principal, id string, version int, archived bool) (Response, error) {
	var out Organisation
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.load(ctx, tx, p, id, true)
		if err != nil {
			return err
		}
		if !mayWrite(p, before, before) {
			return problem.Forbidden("this organisation is outside your districts")
		}
		if (before.ArchivedAt != nil) == archived {
			state := map[bool]string{true: "already archived", false: "not archived"}[archived]
			return problem.Conflict("archive_state", "the organisation is "+state)
		}
		if before.Revision() != version {
			return problem.Stale()
		}
		if out, err = s.store(ctx, p, tx).setArchived(ctx, id, before.Version, archived); err != nil {
			return err
		}
		action := map[bool]string{true: "organisation.archive", false: "organisation.restore"}[archived]
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: action, EntityType: "organisation",
			EntityID: id, Before: toResponse(before, true), After: toResponse(out, true)})
	})
	return toResponse(out, true), err
}

// check validates o as it would be stored, its references, and whether p may
// make it so.
func (s *Service) check(ctx context.Context, p auth.Principal, before Organisation, o *Organisation) error {
	f := validate(o)
	if len(f) > 0 {
		return f.Err()
	}
	if !mayWrite(p, before, *o) {
		if before.ID == "" {
			f.Add("district_ids", "outside_your_districts", "include at least one of your own districts, and no other")
			return f.Err()
		}
		return problem.Forbidden("you may change only organisations in your districts, and only your own districts of them")
	}
	if o.MunicipalityCode != "" && o.MunicipalityCode != before.MunicipalityCode {
		ok, err := s.geo.MunicipalityExists(ctx, o.MunicipalityCode)
		if err != nil {
			return err
		}
		if !ok {
			f.Add("municipality_code", "not_found", "no such municipality")
		}
	}
	// The districts are the tenant's own (the database shows no other's),
	// wherever the organisation has its seat: an organisation of one
	// municipality may work in another's districts, and the seat is the
	// national record's, which any tenant may change.
	if len(o.DistrictIDs) > 0 {
		of, err := s.geo.MunicipalitiesOf(ctx, o.DistrictIDs)
		if err != nil {
			return err
		}
		var missing []string
		for _, id := range o.DistrictIDs {
			if _, ok := of[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			f.Add("district_ids", "not_found", "no such district: "+strings.Join(missing, ", "))
		}
	}
	if o.ParentID != "" && o.ParentID != before.ParentID {
		if _, err := s.readable(ctx, s.db, p, o.ParentID); err != nil {
			f.Add("parent_id", "not_found", "no such organisation")
		} else if before.ID != "" {
			loop, err := s.store(ctx, p, s.db).wouldLoop(ctx, before.ID, o.ParentID)
			if err != nil {
				return err
			}
			if loop {
				f.Add("parent_id", "cycle", "this parent is part of the organisation itself")
			}
		}
	}
	if len(f) > 0 {
		return f.Err()
	}
	if o.OrgNumber != "" && o.OrgNumber != before.OrgNumber {
		holder, err := s.store(ctx, p, s.db).holderOf(ctx, o.OrgNumber)
		if err != nil {
			return err
		}
		if holder != "" {
			return numberTaken(holder)
		}
	}
	return nil
}

// numberTaken is the 409 of a number the register holds already. It names
// the organisation that holds it, whichever tenant made it, and nothing
// more of it: the register is national, and the caller refers to that
// organisation instead of making another.
func numberTaken(holder string) error {
	var f problem.Fields
	f.Add("org_number", "taken", "another organisation has this organisationsnummer")
	p := f.Err().(*problem.Error)
	p.Status, p.Code, p.Title, p.Type = 409, "duplicate_org_number", "Conflict", "urn:samverkan:problem:duplicate_org_number"
	p.Detail = "the register has this organisation already: refer to it by the id in existing_id"
	p.ExistingID = holder
	return p
}

// taken answers err as numberTaken when it is the database refusing number
// because another write took it in the meantime (check looks first).
func (s *Service) taken(ctx context.Context, err error, number string) error {
	if !errors.Is(err, gorm.ErrDuplicatedKey) || number == "" {
		return err
	}
	holder, lerr := (store{db: s.db}).holderOf(ctx, number)
	if lerr != nil || holder == "" {
		return errors.Join(err, lerr)
	}
	return numberTaken(holder)
}

// Visible reports whether id names an organisation, archived or not, that
// p may see. Every reference to an organisation is checked with it: one
// the caller may not see is answered as one that does not exist, so that a
// write cannot tie a record to it nor tell that it is there.
func (s *Service) Visible(ctx context.Context, p auth.Principal, id string) (bool, error) {
	_, err := s.readable(ctx, s.db, p, id)
	if problem.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// Readable answers 404 unless p may see the organisation.
func (s *Service) Readable(ctx context.Context, p auth.Principal, id string) error {
	_, err := s.readable(ctx, s.db, p, id)
	return err
}
