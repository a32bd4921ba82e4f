// Package tenants is the platform's own register: the municipalities and
// regions (huvudmän) one deployment serves, each a tenant whose records
// PostgreSQL keeps apart (ADR 0012). The platform operator creates tenants
// and their first administrator and sees usage figures; a tenant's
// administrator names and colours it and may let the operator in for a
// while.
package tenants

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Kinds of tenant.
const (
	KindMunicipality = "municipality"
	KindRegion       = "region"
)

// RegionCodes are the county codes of Sweden's 21 regions.
var RegionCodes = []string{"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
	"17", "18", "19", "20", "21", "22", "23", "24", "25"}

// Tenant is a huvudman served by this deployment.
type Tenant struct {
	ID                  string     `json:"id" format:"uuid"`
	Kind                string     `json:"kind" enums:"municipality,region"`
	Code                string     `json:"code" example:"1480"` // kommunkod, or a region's county code
	OrgNumber           string     `json:"org_number,omitempty" example:"212000-1355"`
	Name                string     `json:"name" example:"Göteborgs Stad"`
	Colour              string     `json:"colour" example:"#1f5f8b"`
	Host                string     `json:"host,omitempty" example:"goteborg.example.se"`
	OperatorAccessUntil *time.Time `json:"operator_access_until,omitempty" format:"date-time"`
	Version             int        `json:"version"`
	CreatedAt           time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt           time.Time  `json:"updated_at" format:"date-time"`
} // @name Tenant

type row struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	Kind                string
	Code                string
	OrgNumber           *string
	Name                string
	Colour              string `gorm:"default:#1f5f8b"`
	Host                *string
	OperatorAccessUntil *time.Time
	Version             int `gorm:"default:1"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (row) TableName() string { return "tenants" }

func toTenant(r row) Tenant {
	t := Tenant{ID: r.ID, Kind: r.Kind, Code: r.Code, Name: r.Name, Colour: r.Colour, OperatorAccessUntil: r.OperatorAccessUntil,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.OrgNumber != nil {
		t.OrgNumber = *r.OrgNumber
	}
	if r.Host != nil {
		t.Host = *r.Host
	}
	return t
}

// Users is what tenants need of the auth area: the first administrator.
type Users interface {
	CreateTenantAdmin(ctx context.Context, by auth.Principal, tenantID string, req auth.NewUserRequest) (auth.User, error)
}

// Service keeps the tenants.
type Service struct {
	db    *gorm.DB
	users Users
}

// NewService returns the tenant service.
func NewService(db *gorm.DB, users Users) *Service { return &Service{db: db, users: users} }

// NewRequest creates a tenant with its first administrator.
type NewRequest struct {
	Kind      string              `json:"kind" enums:"municipality,region" validate:"required"`
	Code      string              `json:"code" example:"1480" validate:"required" maxLength:"4" pattern:"^[0-9]{2}$|^[0-9]{4}$"`
	OrgNumber string              `json:"org_number,omitempty" example:"212000-1355" maxLength:"11" pattern:"^[0-9]{6}-[0-9]{4}$"`
	Name      string              `json:"name" example:"Göteborgs Stad" validate:"required" maxLength:"200"`
	Colour    string              `json:"colour,omitempty" example:"#1f5f8b" maxLength:"7" pattern:"^#[0-9a-f]{6}$"`
	Host      string              `json:"host,omitempty" example:"goteborg.example.se" maxLength:"253" pattern:"^[a-z0-9.-]{1,253}$"`
	Admin     auth.NewUserRequest `json:"admin" validate:"required"`
} // @name NewTenant

// Patch changes a tenant's name, colour or address.
type Patch struct {
	Name   *string `json:"name,omitempty" maxLength:"200"`
	Colour *string `json:"colour,omitempty" maxLength:"7" pattern:"^#[0-9a-f]{6}$"`
	Host   *string `json:"host,omitempty" maxLength:"253" pattern:"^[a-z0-9.-]{0,253}$"`
} // @name TenantPatch

var (
	colourPattern = regexp.MustCompile(`^#[0-9a-f]{6}$`)
	hostPattern   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	orgPattern    = regexp.MustCompile(`^[0-9]{6}-[0-9]{4}$`)
)

func checkLook(f *problem.Fields, name, colour, host string) {
	f.Text("name", name, true, 200)
	if colour != "" && !colourPattern.MatchString(colour) {
		f.Add("colour", "invalid", "must be a colour as #rrggbb (lower case)")
	}
	if host != "" && (len(host) > 253 || !hostPattern.MatchString(host)) {
		f.Add("host", "invalid", "must be a host name such as goteborg.example.se")
	}
}

// Create registers a tenant and its first administrator (platform operator).
func (s *Service) Create(ctx context.Context, p auth.Principal, req NewRequest) (Tenant, error) {
	var f problem.Fields
	f.OneOf("kind", req.Kind, []string{KindMunicipality, KindRegion})
	checkLook(&f, req.Name, req.Colour, req.Host)
	if req.OrgNumber != "" && !orgPattern.MatchString(req.OrgNumber) {
		f.Add("org_number", "invalid", "must be an organisationsnummer as NNNNNN-NNNN")
	}
	var out Tenant
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		switch req.Kind {
		case KindMunicipality:
			f.Kommunkod("code", req.Code, true)
			if len(f) == 0 {
				var known bool
				if err := s.db.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM municipalities WHERE code = ?)", req.Code).Scan(&known).Error; err != nil {
					return err
				}
				if !known {
					f.Add("code", "unknown", "no municipality has this kommunkod")
				}
			}
		case KindRegion:
			if !slices.Contains(RegionCodes, req.Code) {
				f.Add("code", "unknown", "no region has this code (the two-digit county code, e.g. 12 for Region Skåne)")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		r := row{Kind: req.Kind, Code: req.Code, Name: req.Name, Colour: req.Colour}
		if req.OrgNumber != "" {
			r.OrgNumber = &req.OrgNumber
		}
		if req.Host != "" {
			r.Host = &req.Host
		}
		return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
			if err := tx.WithContext(ctx).Create(&r).Error; err != nil {
				if errors.Is(err, gorm.ErrDuplicatedKey) {
					var f problem.Fields
					f.Add("code", "taken", "a tenant with this code, organisation number or address exists")
					return f.Err()
				}
				return err
			}
			out = toTenant(r)
			if err := audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "tenant.create", EntityType: "tenant", EntityID: r.ID, After: out, TenantID: r.ID}); err != nil {
				return err
			}
			admin := req.Admin
			admin.Role = string(auth.RoleAdmin)
			_, err := s.users.CreateTenantAdmin(ctx, p, r.ID, admin)
			return prefixed(err, "admin.")
		})
	})
	return out, err
}

// prefixed names the fields of a validation problem as parts of field.
func prefixed(err error, prefix string) error {
	var pe *problem.Error
	if !errors.As(err, &pe) || len(pe.Errors) == 0 {
		return err
	}
	for i := range pe.Errors {
		pe.Errors[i].Field = prefix + pe.Errors[i].Field
	}
	return pe
}

// Usage is a tenant with the figures the platform operator sees: counts,
// never records.
type Usage struct {
	Tenant       Tenant     `json:"tenant"`
	Users        int64      `json:"users"`
	Partnerships int64      `json:"partnerships"`
	Events30Days int64      `json:"events_30_days"`
	LastActivity *time.Time `json:"last_activity,omitempty" format:"date-time"`
} // @name TenantUsage

// List returns every tenant with its usage (platform operator).
func (s *Service) List(ctx context.Context) ([]Usage, error) {
	var out []Usage
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		// The tenant's columns embedded by name: GORM fills no fields of an
		// unexported embedded type, and the list came back without names.
		var rows []struct {
			Tenant                            row `gorm:"embedded"`
			Users, Partnerships, Events30Days int64
			LastActivity                      *time.Time
		}
		err := s.db.WithContext(ctx).Raw(`SELECT t.*,
			(SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users,
			(SELECT count(*) FROM partnerships p WHERE p.tenant_id = t.id AND p.archived_at IS NULL) AS partnerships,
			(SELECT count(*) FROM audit_events e WHERE e.tenant_id = t.id AND e.occurred_at > now() - interval '30 days') AS events30_days,
			(SELECT max(occurred_at) FROM audit_events e WHERE e.tenant_id = t.id) AS last_activity
			FROM tenants t ORDER BY t.name, t.id`).Scan(&rows).Error
		for _, r := range rows {
			out = append(out, Usage{Tenant: toTenant(r.Tenant), Users: r.Users, Partnerships: r.Partnerships, Events30Days: r.Events30Days, LastActivity: r.LastActivity})
		}
		return err
	})
	if out == nil {
		out = []Usage{}
	}
	return out, err
}

// Current returns the caller's own tenant.
func (s *Service) Current(ctx context.Context, p auth.Principal) (Tenant, error) {
	if p.TenantID == "" {
		return Tenant{}, problem.NotFound("tenant")
	}
	var r row
	err := s.db.WithContext(ctx).Where("id = ?", p.TenantID).Take(&r).Error
	if database.IsNotFound(err) {
		return Tenant{}, problem.NotFound("tenant")
	}
	return toTenant(r), err
}

// Exists reports whether id names a tenant (of any: sharing names others).
func (s *Service) Exists(ctx context.Context, id string) (bool, error) {
	if !problem.IsUUID(id) {
		return false, nil
	}
	var ok bool
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		return s.db.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)", id).Scan(&ok).Error
	})
	return ok, err
}

// Names returns the names of tenants by id, for showing who a partnership
// is shared with or who granted aid (public facts).
func (s *Service) Names(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var rows []struct{ ID, Name string }
		if err := s.db.WithContext(ctx).Raw("SELECT id, name FROM tenants WHERE id = ANY(?::uuid[])", database.Strings(ids)).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out[r.ID] = r.Name
		}
		return nil
	})
	return out, err
}

// Update changes the caller's own tenant (its administrator).
func (s *Service) Update(ctx context.Context, p auth.Principal, version int, patch Patch) (Tenant, error) {
	before, err := s.Current(ctx, p)
	if err != nil {
		return Tenant{}, err
	}
	after := before
	if patch.Name != nil {
		after.Name = *patch.Name
	}
	if patch.Colour != nil {
		after.Colour = *patch.Colour
	}
	if patch.Host != nil {
		after.Host = *patch.Host
	}
	var f problem.Fields
	checkLook(&f, after.Name, after.Colour, after.Host)
	if err := f.Err(); err != nil {
		return Tenant{}, err
	}
	values := map[string]any{"name": after.Name, "colour": after.Colour, "host": nil}
	if after.Host != "" {
		values["host"] = after.Host
	}
	return s.change(ctx, p, version, "tenant.update", before, values)
}

// GrantOperator lets the platform operator read the tenant's records until
// the time given (nil: ends a grant).
func (s *Service) GrantOperator(ctx context.Context, p auth.Principal, version int, until *time.Time) (Tenant, error) {
	before, err := s.Current(ctx, p)
	if err != nil {
		return Tenant{}, err
	}
	if until != nil && (until.Before(time.Now()) || until.After(time.Now().Add(31*24*time.Hour))) {
		var f problem.Fields
		f.Add("until", "out_of_range", "must be within the coming 31 days")
		return Tenant{}, f.Err()
	}
	return s.change(ctx, p, version, "tenant.operator_access", before, map[string]any{"operator_access_until": until})
}

func (s *Service) change(ctx context.Context, p auth.Principal, version int, action string, before Tenant, values map[string]any) (Tenant, error) {
	var out Tenant
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := database.UpdateVersioned(tx.WithContext(ctx), "tenants", "tenant", before.ID, version, values); err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				var f problem.Fields
				f.Add("host", "taken", "another tenant has this address")
				return f.Err()
			}
			return err
		}
		var r row
		if err := tx.WithContext(ctx).Where("id = ?", before.ID).Take(&r).Error; err != nil {
			return err
		}
		out = toTenant(r)
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: action, EntityType: "tenant", EntityID: before.ID, Before: before, After: out})
	})
	return out, err
}

// OperatorToken lets the platform operator into a tenant that granted it:
// as a viewer of that tenant, until the grant ends, recorded in the
// tenant's audit trail and the platform's.
func (s *Service) OperatorAccess(ctx context.Context, p auth.Principal, tenantID string) (auth.Principal, error) {
	var r row
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		if !problem.IsUUID(tenantID) {
			return problem.NotFound("tenant")
		}
		err := s.db.WithContext(ctx).Where("id = ?", tenantID).Take(&r).Error
		if database.IsNotFound(err) {
			return problem.NotFound("tenant")
		}
		if err != nil {
			return err
		}
		if r.OperatorAccessUntil == nil || r.OperatorAccessUntil.Before(time.Now()) {
			return problem.Forbidden("this tenant has not granted the platform operator access")
		}
		return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
			return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "tenant.operator_entered", EntityType: "tenant", EntityID: r.ID,
				After: map[string]any{"until": r.OperatorAccessUntil}, TenantID: r.ID})
		})
	})
	if err != nil {
		return auth.Principal{}, err
	}
	return auth.Principal{Kind: auth.KindUser, ID: p.ID, TenantID: r.ID, Role: auth.RoleViewer, Scopes: auth.RoleScopes(auth.RoleViewer)}, nil
}

// Ensure returns the tenant with code, creating it (without users) when
// there is none: for the demo and the tests.
func (s *Service) Ensure(ctx context.Context, kind, code, name, orgNumber, colour string) (Tenant, error) {
	var out Tenant
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
			var r row
			err := tx.WithContext(ctx).Where("code = ?", code).Take(&r).Error
			if database.IsNotFound(err) {
				r = row{Kind: kind, Code: code, Name: name, Colour: colour}
				if orgNumber != "" {
					r.OrgNumber = &orgNumber
				}
				err = tx.WithContext(ctx).Create(&r).Error
			}
			out = toTenant(r)
			return err
		})
	})
	return out, err
}

// EnsureCode is Ensure for a kommunkod or a region's county code, named
// after the municipality when it is known.
func (s *Service) EnsureCode(ctx context.Context, code string) (Tenant, error) {
	kind, name := KindMunicipality, "Kommun "+code
	if len(code) == 2 {
		kind, name = KindRegion, "Region "+code
	}
	if !regexp.MustCompile(`^[0-9]{2}$|^[0-9]{4}$`).MatchString(code) {
		return Tenant{}, errors.New("a tenant's code is a kommunkod (four digits) or a county code (two)")
	}
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var known string
		if err := s.db.WithContext(ctx).Raw("SELECT name FROM municipalities WHERE code = ?", code).Scan(&known).Error; err != nil {
			return err
		}
		if known != "" {
			name = known
		}
		return nil
	})
	if err != nil {
		return Tenant{}, err
	}
	return s.Ensure(ctx, kind, code, name, "", "")
}
