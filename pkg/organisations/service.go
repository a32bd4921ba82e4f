package organisations

import (
	"context"
	"errors"
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

func (s *Service) store(tx *gorm.DB) store { return store{db: tx} }

// List returns a page of the organisations p may see, and the next cursor.
// Sole traders' numbers are always masked in lists.
func (s *Service) List(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Response, string, error) {
	orgs, err := s.store(s.db).list(ctx, p, f, page)
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
	if uuid.Validate(id) != nil {
		return Organisation{}, problem.NotFound("organisation")
	}
	o, err := s.store(tx).get(ctx, id)
	if err != nil {
		return Organisation{}, err
	}
	if !mayRead(p, o) {
		return Organisation{}, problem.NotFound("organisation")
	}
	return o, nil
}

// Create registers an organisation.
func (s *Service) Create(ctx context.Context, p auth.Principal, req NewRequest) (Response, error) {
	o := fromNew(req)
	if err := s.check(ctx, p, Organisation{}, &o); err != nil {
		return Response{}, err
	}
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		r := toRow(o)
		return duplicateNumber(audit.Save(ctx, tx, &out, audit.Change[Response]{
			Row:   &r,
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "organisation.create", EntityType: "organisation"},
		}))
	})
	return out, err
}

// responseIn reads an organisation back in tx as the API answers those
// who may change it.
func (s *Service) responseIn(ctx context.Context, tx *gorm.DB, id string) (Response, error) {
	o, err := s.store(tx).get(ctx, id)
	return toResponse(o, true), err
}

// Update changes the fields sent, if version is still current.
func (s *Service) Update(ctx context.Context, p auth.Principal, id string, version int, req UpdateRequest) (Response, error) {
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.readable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		o := before
		cols := req.apply(&o)
		if err := s.check(ctx, p, before, &o); err != nil {
			return err
		}
		if len(cols) == 0 { // nothing to change: answer the current state
			if before.Version != version {
				return problem.Stale()
			}
			out = toResponse(before, true)
			return nil
		}
		return duplicateNumber(audit.Save(ctx, tx, &out, audit.Change[Response]{
			Table: "organisations", Entity: "organisation", ID: id, Version: version, Values: columnValues(o, cols),
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "organisation.update", EntityType: "organisation", Before: toResponse(before, true)},
		}))
	})
	return out, err
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
	var out Response
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := s.readable(ctx, tx, p, id)
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
		var at any
		if archived {
			at = gorm.Expr("now()")
		}
		action := map[bool]string{true: "organisation.archive", false: "organisation.restore"}[archived]
		return audit.Save(ctx, tx, &out, audit.Change[Response]{
			Table: "organisations", Entity: "organisation", ID: id, Version: version, Values: map[string]any{"archived_at": at},
			Load:  func(id string) (Response, error) { return s.responseIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: action, EntityType: "organisation", Before: toResponse(before, true)},
		})
	})
	return out, err
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
	if len(o.DistrictIDs) > 0 {
		of, err := s.geo.MunicipalitiesOf(ctx, o.DistrictIDs)
		if err != nil {
			return err
		}
		var missing, elsewhere []string
		for _, id := range o.DistrictIDs {
			m, ok := of[id]
			switch {
			case !ok:
				missing = append(missing, id)
			case o.MunicipalityCode != "" && m != o.MunicipalityCode:
				elsewhere = append(elsewhere, id)
			}
		}
		if len(missing) > 0 {
			f.Add("district_ids", "not_found", "no such district: "+strings.Join(missing, ", "))
		}
		if len(elsewhere) > 0 {
			f.Add("district_ids", "other_municipality", "these districts belong to another municipality: "+strings.Join(elsewhere, ", "))
		}
	}
	if o.ParentID != "" && o.ParentID != before.ParentID {
		if _, err := s.readable(ctx, s.db, p, o.ParentID); err != nil {
			f.Add("parent_id", "not_found", "no such organisation")
		} else if before.ID != "" {
			loop, err := s.wouldLoop(ctx, before.ID, o.ParentID)
			if err != nil {
				return err
			}
			if loop {
				f.Add("parent_id", "cycle", "this parent is part of the organisation itself")
			}
		}
	}
	return f.Err()
}

// wouldLoop reports whether making candidate the parent of id would close a
// loop: whether id is candidate itself or one of its ancestors.
func (s *Service) wouldLoop(ctx context.Context, id, candidate string) (bool, error) {
	var loop bool
	err := s.db.WithContext(ctx).Raw(`WITH RECURSIVE up(id, parent_id, depth) AS (
			SELECT id, parent_id, 1 FROM organisations WHERE id = ?
			UNION ALL
			SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 100)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = ?)`, candidate, id).Scan(&loop).Error
	return loop, err
}

func duplicateNumber(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		p := problem.Conflict("duplicate_org_number", "one or more fields are invalid")
		p.Errors = []problem.FieldError{{Field: "org_number", Code: "taken", Message: "another organisation has this organisationsnummer"}}
		return p
	}
	return err
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
