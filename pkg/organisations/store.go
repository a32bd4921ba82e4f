package organisations

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// row is the national record of an organisation.
type row struct {
	ID                 string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name               string
	OrgNumber          *string
	Sector             string
	LegalForm          string
	ParentID           *string
	MunicipalityCode   *string
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

// seen is an organisation as a tenant reads it: the national record and,
// when the tenant keeps one, its profile.
type seen struct {
	ID                 string
	Name               string
	OrgNumber          *string
	Sector             string
	LegalForm          string
	ParentID           *string
	MunicipalityCode   *string
	Description        string
	Website            string
	Email              string
	Phone              string
	RegisteredIdeburen bool
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ArchivedAt         *time.Time
	DistrictIDs        database.Strings
	TargetGroups       database.Strings
	Notes              string
	ProfileVersion     int
	Profiled           bool
}

// recordColumns are what a read selects of the national record (o), in
// the order of recordFields; not the search vector.
const recordColumns = "o.id, o.name, o.org_number, o.sector, o.legal_form, o.parent_id, o.municipality_code, o.description, " +
	"o.website, o.email, o.phone, o.registered_ideburen, o.version, o.created_at, o.updated_at, o.archived_at"

// columns are recordColumns and the tenant's profile (op, outer-joined),
// in the order of fields.
const columns = recordColumns + ", coalesce(op.district_ids, '{}') AS district_ids, coalesce(op.target_groups, '{}') AS target_groups, " +
	"coalesce(op.notes, '') AS notes, coalesce(op.version, 0) AS profile_version, op.organisation_id IS NOT NULL AS profiled"

// recordFields are where a row of recordColumns is read into.
func recordFields(x *seen) []any {
	return []any{&x.ID, &x.Name, &x.OrgNumber, &x.Sector, &x.LegalForm, &x.ParentID, &x.MunicipalityCode,
		&x.Description, &x.Website, &x.Email, &x.Phone, &x.RegisteredIdeburen, &x.Version, &x.CreatedAt, &x.UpdatedAt,
		&x.ArchivedAt}
}

// fields are where a row of columns is read into.
func fields(x *seen) []any {
	return append(recordFields(x), (*[]string)(&x.DistrictIDs), (*[]string)(&x.TargetGroups), &x.Notes, &x.ProfileVersion, &x.Profiled)
}

// profile is a tenant's profile of an organisation, as lists load them.
type profile struct {
	OrganisationID string
	DistrictIDs    database.Strings
	TargetGroups   database.Strings
	Notes          string
	Version        int
}

func toOrganisation(r seen) Organisation {
	return Organisation{ID: r.ID, Name: r.Name, OrgNumber: deref(r.OrgNumber), Sector: r.Sector, LegalForm: r.LegalForm,
		ParentID: deref(r.ParentID), MunicipalityCode: deref(r.MunicipalityCode), Description: r.Description,
		Website: r.Website, Email: r.Email, Phone: r.Phone, RegisteredIdeburen: r.RegisteredIdeburen, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt,
		DistrictIDs: r.DistrictIDs, TargetGroups: r.TargetGroups, Notes: r.Notes, ProfileVersion: r.ProfileVersion, profiled: r.Profiled}
}

func toRow(o Organisation) row {
	return row{ID: o.ID, Name: o.Name, OrgNumber: ptr(o.OrgNumber), Sector: o.Sector, LegalForm: o.LegalForm,
		ParentID: ptr(o.ParentID), MunicipalityCode: ptr(o.MunicipalityCode), Description: o.Description,
		Website: o.Website, Email: o.Email, Phone: o.Phone, RegisteredIdeburen: o.RegisteredIdeburen}
}

// columnValues are the values of the named columns of o, for an UPDATE of
// the national record.
func columnValues(o Organisation, cols []string) map[string]any {
	r := toRow(o)
	all := map[string]any{
		"name": r.Name, "org_number": r.OrgNumber, "sector": r.Sector, "legal_form": r.LegalForm,
		"parent_id": r.ParentID, "municipality_code": r.MunicipalityCode, "description": r.Description,
		"website": r.Website, "email": r.Email, "phone": r.Phone, "registered_ideburen": r.RegisteredIdeburen,
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
	"name":       {Column: "o.name"},
	"created_at": {Column: "o.created_at", Cast: "timestamptz"},
	"updated_at": {Column: "o.updated_at", Cast: "timestamptz"},
}

// store reads and writes the register for one tenant: the national
// records, and that tenant's profiles of them ("" for none: a caller of
// no tenant reads the records alone and keeps no profile).
type store struct {
	db     *gorm.DB
	tenant string
}

// tenantArg is the store's tenant as a query parameter: none matches no
// row of a tenant.
func (s store) tenantArg() any {
	if s.tenant == "" {
		return nil
	}
	return s.tenant
}

// read is the query of one organisation (o) with the tenant's profile
// (op). The database keeps profiles to the tenant on its own (row-level
// security); the join says it too, so that the profile is read by its
// primary key.
func (s store) read(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("organisations o").Select(columns).
		Joins("LEFT JOIN organisation_profiles op ON op.organisation_id = o.id AND op.tenant_id = ?", s.tenantArg())
}

func (s store) get(ctx context.Context, id string) (Organisation, error) {
	return s.take(ctx, s.read(ctx).Where("o.id = ?", id))
}

// lock reads the organisation and locks its national record until the
// transaction ends: every write of the record or of a profile of it takes
// this lock first, so that a version read under it stays current.
func (s store) lock(ctx context.Context, id string) (Organisation, error) {
	return s.take(ctx, s.read(ctx).Where("o.id = ?", id).Clauses(clause.Locking{Strength: "NO KEY UPDATE", Table: clause.Table{Name: "o"}}))
}

func (s store) take(ctx context.Context, q *gorm.DB) (Organisation, error) {
	got, err := database.Scan(ctx, q.Limit(1), 1, fields, toOrganisation)
	if err != nil {
		return Organisation{}, err
	}
	if len(got) == 0 {
		return Organisation{}, problem.NotFound("organisation")
	}
	return got[0], nil
}

// holderOf is the id of the organisation with number ("" when none has it).
func (s store) holderOf(ctx context.Context, number string) (string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw("SELECT id::text FROM organisations WHERE org_number = ?", number).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// visible limits q to what p may read (see mayRead).
func (s store) visible(q *gorm.DB, p auth.Principal) *gorm.DB {
	switch {
	case p.IsReporter():
		return q.Where("o.id = ?", p.OrganisationID)
	case p.DistrictRestricted():
		return q.Where(`NOT EXISTS (SELECT 1 FROM organisation_profiles op WHERE op.organisation_id = o.id AND op.tenant_id = ?
			AND op.district_ids <> '{}' AND NOT op.district_ids && ?::uuid[])`, s.tenantArg(), database.Strings(p.DistrictIDs))
	}
	return q
}

// list reads a page of the national records, the filters on the tenant's
// classification asking its profiles, and then the page's profiles in one
// query: joined to every row, the profiles would make the planner read
// all of a large tenant's to sort a search's few matches.
func (s store) list(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Organisation, error) {
	q := s.db.WithContext(ctx).Table("organisations o")
	if tsq := listing.PrefixQuery(f.Query); tsq != "" {
		// The matches first, through the search index, then their order: left
		// to itself the planner may walk the name index and test every row,
		// which is slow when the matches sit far down the alphabet.
		q = s.db.WithContext(ctx).Table("(SELECT * FROM organisations WHERE search @@ to_tsquery('swedish', ?) OFFSET 0) AS o", tsq)
	}
	q = s.visible(q.Select(recordColumns), p)
	if !f.IncludeArchived {
		q = q.Where("o.archived_at IS NULL")
	}
	if f.Sector != "" {
		q = q.Where("o.sector = ?", f.Sector)
	}
	if f.LegalForm != "" {
		q = q.Where("o.legal_form = ?", f.LegalForm)
	}
	if f.Municipality != "" {
		q = q.Where("o.municipality_code = ?", f.Municipality)
	}
	if f.District != "" {
		q = q.Where(`EXISTS (SELECT 1 FROM organisation_profiles op WHERE op.organisation_id = o.id AND op.tenant_id = ?
			AND op.district_ids @> ARRAY[?]::uuid[])`, s.tenantArg(), f.District)
	}
	if f.TargetGroup != "" {
		q = q.Where(`EXISTS (SELECT 1 FROM organisation_profiles op WHERE op.organisation_id = o.id AND op.tenant_id = ?
			AND op.target_groups @> ARRAY[?]::text[])`, s.tenantArg(), f.TargetGroup)
	}
	if f.UpdatedSince != nil {
		q = q.Where("o.updated_at >= ?", *f.UpdatedSince)
	}
	orgs, err := database.Scan(ctx, page.Apply(q, "o.id"), page.Rows(), recordFields, toOrganisation)
	if err != nil {
		return nil, err
	}
	return orgs, s.withProfiles(ctx, orgs)
}

// withProfiles sets the tenant's profiles on orgs, read in one query.
func (s store) withProfiles(ctx context.Context, orgs []Organisation) error {
	if s.tenant == "" || len(orgs) == 0 {
		return nil
	}
	at := make(map[string]int, len(orgs))
	ids := make(database.Strings, len(orgs))
	for i, o := range orgs {
		at[o.ID], ids[i] = i, o.ID
	}
	var profiles []profile
	if err := s.db.WithContext(ctx).Raw(`SELECT organisation_id::text, district_ids, target_groups, notes, version
		FROM organisation_profiles WHERE tenant_id = ? AND organisation_id = ANY(?::uuid[])`, s.tenant, ids).Scan(&profiles).Error; err != nil {
		return err
	}
	for _, pr := range profiles {
		o := &orgs[at[pr.OrganisationID]]
		o.DistrictIDs, o.TargetGroups, o.Notes, o.ProfileVersion, o.profiled = pr.DistrictIDs, pr.TargetGroups, pr.Notes, pr.Version, true
	}
	return nil
}

// insert writes a new national record, and the tenant's profile when o
// has one (at version 0: the organisation's version counts their making).
func (s store) insert(ctx context.Context, o Organisation) (Organisation, error) {
	r := toRow(o)
	if err := s.db.WithContext(ctx).Omit("ID", "Version", "CreatedAt", "UpdatedAt", "ArchivedAt").Create(&r).Error; err != nil {
		return Organisation{}, err
	}
	if hasProfile(o) {
		if err := s.saveProfile(ctx, r.ID, o, false); err != nil {
			return Organisation{}, err
		}
	}
	return s.get(ctx, r.ID)
}

// hasProfile reports whether o holds anything its tenant keeps.
func hasProfile(o Organisation) bool {
	return len(o.DistrictIDs) > 0 || len(o.TargetGroups) > 0 || o.Notes != ""
}

// saveProfile writes the tenant's profile of organisation id as o holds
// it. With bump the profile's version counts the write (a new profile
// starts at 1): for a write that leaves the national record alone.
// Without, the record's version counts it and the profile's stays (a new
// one starts at 0). See Organisation.Revision. The caller holds the
// organisation's lock (see lock), so nothing else writes the profile
// meanwhile.
func (s store) saveProfile(ctx context.Context, id string, o Organisation, bump bool) error {
	if s.tenant == "" {
		return problem.Forbidden("what is kept about an organisation beside the register belongs to a tenant")
	}
	step := 0
	if bump {
		step = 1
	}
	return s.db.WithContext(ctx).Exec(`INSERT INTO organisation_profiles (tenant_id, organisation_id, district_ids, target_groups, notes, version)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, organisation_id) DO UPDATE SET district_ids = excluded.district_ids,
			target_groups = excluded.target_groups, notes = excluded.notes,
			version = organisation_profiles.version + ?, updated_at = now()`,
		s.tenant, id, database.Strings(o.DistrictIDs), database.Strings(o.TargetGroups), o.Notes, step, step).Error
}

// wouldLoop reports whether making candidate the parent of id would close a
// loop: whether id is candidate itself or one of its ancestors.
func (s store) wouldLoop(ctx context.Context, id, candidate string) (bool, error) {
	var loop bool
	err := s.db.WithContext(ctx).Raw(`WITH RECURSIVE up(id, parent_id, depth) AS (
			SELECT id, parent_id, 1 FROM organisations WHERE id = ?
			UNION ALL
			SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 100)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = ?)`, candidate, id).Scan(&loop).Error
	return loop, err
}

// setArchived archives or restores the national record, at version (the
// record's own).
func (s store) setArchived(ctx context.Context, id string, version int, archived bool) (Organisation, error) {
	var at any
	if archived {
		at = gorm.Expr("now()")
	}
	if _, err := database.UpdateVersioned(s.db.WithContext(ctx), "organisations", "organisation", id, version,
		map[string]any{"archived_at": at}); err != nil {
		return Organisation{}, err
	}
	return s.get(ctx, id)
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
