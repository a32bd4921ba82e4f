// Package auth is identity and access: users and API clients, sign-in and
// tokens, and the one policy that decides who may call what. Object-level
// rules (districts, organisations) are asked of the Principal by each area's
// service.
package auth

import (
	"context"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
)

// Role is what a signed-in person may do.
type Role string

// The roles, from most to least powerful.
const (
	RoleOperator       Role = "operator" // runs the platform: tenants and their first administrator, no tenant's records
	RoleAdmin          Role = "admin"
	RoleEditor         Role = "editor"
	RoleDistrictEditor Role = "district_editor"
	RoleViewer         Role = "viewer"
	RoleReporter       Role = "reporter"
)

// Roles lists every role within a tenant.
var Roles = []Role{RoleAdmin, RoleEditor, RoleDistrictEditor, RoleViewer, RoleReporter}

// The scopes an API client can hold (DESIGN §3).
const (
	ScopePartnershipsRead  = "partnerships:read"
	ScopePartnershipsWrite = "partnerships:write"
	ScopeFundingRead       = "funding:read"
	ScopeFundingWrite      = "funding:write"
	ScopeEvaluationRead    = "evaluation:read"
	ScopeEvaluationWrite   = "evaluation:write"
	ScopeReportsRead       = "reports:read"
)

// Scopes lists every scope.
var Scopes = []string{ScopePartnershipsRead, ScopePartnershipsWrite, ScopeFundingRead, ScopeFundingWrite,
	ScopeEvaluationRead, ScopeEvaluationWrite, ScopeReportsRead}

// Kind tells a person from a machine.
type Kind string

// The kinds of principal.
const (
	KindUser   Kind = "user"
	KindClient Kind = "api_client"
)

// Principal is who is calling: a signed-in user or an API client, with what
// the access token says about them.
type Principal struct {
	Kind           Kind
	ID             string
	TenantID       string   // the tenant the principal belongs to; "" for the platform operator
	Role           Role     // users only
	Scopes         []string // API clients; for users, derived from the role
	DistrictIDs    []string // non-empty: limited to these districts
	OrganisationID string   // reporters: the organisation they speak for
	RateLimit      int      // requests a minute, when the client has a limit of its own; 0: the default
}

// Actor is the principal as the audit trail names it.
func (p Principal) Actor() audit.Actor { return audit.Actor{Type: string(p.Kind), ID: p.ID} }

// Scope is the database scope the principal's requests run in: their
// tenant, and for a reporter the organisation they speak for.
func (p Principal) Scope() database.Scope {
	sc := database.Scope{Tenant: p.TenantID}
	if p.IsReporter() {
		sc.Organisation = p.OrganisationID
	}
	return sc
}

// IsOperator reports whether the principal runs the platform.
func (p Principal) IsOperator() bool { return p.Kind == KindUser && p.Role == RoleOperator }

// Key identifies the principal across kinds, e.g. for idempotency keys.
func (p Principal) Key() string { return string(p.Kind) + ":" + p.ID }

// DistrictRestricted reports whether the principal sees only some districts.
func (p Principal) DistrictRestricted() bool { return len(p.DistrictIDs) > 0 }

// InDistricts reports whether any of ids is one of the principal's districts.
func (p Principal) InDistricts(ids []string) bool {
	for _, id := range ids {
		if slices.Contains(p.DistrictIDs, id) {
			return true
		}
	}
	return false
}

// IsReporter reports whether the principal speaks for one organisation only.
func (p Principal) IsReporter() bool { return p.Kind == KindUser && p.Role == RoleReporter }

// IsAdmin reports whether the principal is an administrator.
func (p Principal) IsAdmin() bool { return p.Kind == KindUser && p.Role == RoleAdmin }

// HasScope reports whether an API client holds scope; users hold their role's.
func (p Principal) HasScope(scope string) bool { return slices.Contains(p.Scopes, scope) }

// RoleScopes are the scopes a user's access token carries, for clients that
// read them; the policy itself decides users by role.
func RoleScopes(r Role) []string {
	switch r {
	case RoleAdmin, RoleEditor, RoleDistrictEditor:
		return Scopes
	case RoleViewer:
		return []string{ScopePartnershipsRead, ScopeFundingRead, ScopeEvaluationRead, ScopeReportsRead}
	case RoleReporter:
		return []string{ScopePartnershipsRead, ScopeEvaluationRead, ScopeEvaluationWrite}
	}
	return nil
}

const principalKey = "samverkan.principal"

type ctxKey struct{}

// PrincipalOf returns the authenticated caller of a request. Routes behind
// Authenticate always have one.
func PrincipalOf(c echo.Context) Principal {
	p, _ := c.Get(principalKey).(Principal)
	return p
}

// FromContext returns the principal stored in a request context.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// System is the principal of work Samverkan does by itself: bootstrap and
// demo data. It is never issued a token.
var System = Principal{Kind: "system", ID: "samverkan"}

// MayWriteInDistricts is the district rule for writes that every area
// shares: a district-restricted principal changes only objects in one of
// their districts, keeps them there, and adds or removes only their own
// districts. exists tells an existing object (before) from a new one.
func (p Principal) MayWriteInDistricts(exists bool, before, after []string) bool {
	if !p.DistrictRestricted() {
		return true
	}
	if exists && !p.InDistricts(before) {
		return false
	}
	if !p.InDistricts(after) {
		return false
	}
	for _, id := range before {
		if !slices.Contains(after, id) && !slices.Contains(p.DistrictIDs, id) {
			return false
		}
	}
	for _, id := range after {
		if !slices.Contains(before, id) && !slices.Contains(p.DistrictIDs, id) {
			return false
		}
	}
	return true
}
