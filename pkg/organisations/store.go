package organisations

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

type row struct {
	ID                 string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name               string
	OrgNumber          *string
	Sector             string
	LegalForm          string
	ParentID           *string
	MunicipalityCode   *string
	DistrictIDs        database.Strings `gorm:"type:uuid[]"`
	TargetGroups       database.Strings `gorm:"type:text[]"`
	Description        string
	Website            string
	Email              string
	Phone              string
	RegisteredIdeburen bool
	Version            int `gorm:"default:1"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ArchivedAt         *time.Time
}

func (row) TableName() string { return "organisations" }

// columns are row's columns: lists select them, not the search vector.
const columns = "id, name, org_number, sector, legal_form, parent_id, municipality_code, district_ids, target_groups, description, " +
	"website, email, phone, registered_ideburen, version, created_at, updated_at, archived_at"

// fields are where a row of columns is read into, in their order.
func fields(x *row) []any {
	return []any{&x.ID, &x.Name, &x.OrgNumber, &x.Sector, &x.LegalForm, &x.ParentID, &x.MunicipalityCode,
		(*[]string)(&x.DistrictIDs), (*[]string)(&x.TargetGroups), &x.Description, &x.Website, &x.Email, &x.Phone,
		&x.RegisteredIdeburen, &x.Version, &x.CreatedAt, &x.UpdatedAt, &x.ArchivedAt}
}

func toOrganisation(r row) Organisation {
	return Organisation{ID: r.ID, Name: r.Name, OrgNumber: deref(r.OrgNumber), Sector: r.Sector, LegalForm: r.LegalForm,
		ParentID: deref(r.ParentID), MunicipalityCode: deref(r.MunicipalityCode), DistrictIDs: r.DistrictIDs,
		TargetGroups: r.TargetGroups, Description: r.Description, Website: r.Website, Email: r.Email, Phone: r.Phone,
		RegisteredIdeburen: r.RegisteredIdeburen, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ArchivedAt: r.ArchivedAt}
}

func toRow(o Organisation) row {
	return row{ID: o.ID, Name: o.Name, OrgNumber: ptr(o.OrgNumber), Sector: o.Sector, LegalForm: o.LegalForm,
		ParentID: ptr(o.ParentID), MunicipalityCode: ptr(o.MunicipalityCode), DistrictIDs: o.DistrictIDs,
		TargetGroups: o.TargetGroups, Description: o.Description, Website: o.Website, Email: o.Email, Phone: o.Phone,
		RegisteredIdeburen: o.RegisteredIdeburen}
}

// columnValues are the values of the named columns of o, for an UPDATE.
func columnValues(o Organisation, cols []string) map[string]any {
	r := toRow(o)
	all := map[string]any{
		"name": r.Name, "org_number": r.OrgNumber, "sector": r.Sector, "legal_form": r.LegalForm,
		"parent_id": r.ParentID, "municipality_code": r.MunicipalityCode, "district_ids": r.DistrictIDs,
		"target_groups": r.TargetGroups, "description": r.Description, "website": r.Website, "email": r.Email,
		"phone": r.Phone, "registered_ideburen": r.RegisteredIdeburen,
	}
	out := make(map[string]any, len(cols))
	for _, c := range cols {
		out[c] = all[c]
	}
	return out
}

// Filter narrows the organisation list. Every field is optional.
type Filter struct {
	Sector          string
	LegalForm       string
	Municipality    string
	District        string
	TargetGroup     string
	Query           string
	UpdatedSince    *time.Time
	IncludeArchived bool
}

var sorts = map[string]listing.SortKey{
	"name":       {Column: "name"},
	"created_at": {Column: "created_at", Cast: "timestamptz"},
	"updated_at": {Column: "updated_at", Cast: "timestamptz"},
}

type store struct{ db *gorm.DB }

func (s store) get(ctx context.Context, id string) (Organisation, error) {
	var r row
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return Organisation{}, problem.NotFound("organisation")
	}
	return toOrganisation(r), err
}

// visible limits q to what p may read (see mayRead).
func visible(q *gorm.DB, p auth.Principal) *gorm.DB {
	switch {
	case p.IsReporter():
		return q.Where("id = ?", p.OrganisationID)
	case p.DistrictRestricted():
		return q.Where("(district_ids && ?::uuid[] OR district_ids = '{}')", database.Strings(p.DistrictIDs))
	}
	return q
}

func (s store) list(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Organisation, error) {
	q := s.db.WithContext(ctx).Model(&row{})
	if tsq := listing.PrefixQuery(f.Query); tsq != "" {
		// The matches first, through the search index, then their order: left
		// to itself the planner may walk the name index and test every row,
		// which is slow when the matches sit far down the alphabet.
		q = q.Table("(SELECT "+columns+" FROM organisations WHERE search @@ to_tsquery('swedish', ?) OFFSET 0) AS organisations", tsq)
	}
	q = visible(q.Select(columns), p)
	if !f.IncludeArchived {
		q = q.Where("archived_at IS NULL")
	}
	if f.Sector != "" {
		q = q.Where("sector = ?", f.Sector)
	}
	if f.LegalForm != "" {
		q = q.Where("legal_form = ?", f.LegalForm)
	}
	if f.Municipality != "" {
		q = q.Where("municipality_code = ?", f.Municipality)
	}
	if f.District != "" {
		q = q.Where("district_ids @> ARRAY[?]::uuid[]", f.District)
	}
	if f.TargetGroup != "" {
		q = q.Where("target_groups @> ARRAY[?]::text[]", f.TargetGroup)
	}
	if f.UpdatedSince != nil {
		q = q.Where("updated_at >= ?", *f.UpdatedSince)
	}
	return database.Scan(ctx, page.Apply(q, "id"), page.Rows(), fields, toOrganisation)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
