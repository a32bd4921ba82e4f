package auth

import "slices"

// Permission names one thing a route does. Every route is registered with
// exactly one; the policy below says who holds it. Deny by default: a
// permission missing here is held by no one.
type Permission string

// The permissions.
const (
	Public        Permission = "public"        // no sign-in
	Authenticated Permission = "authenticated" // anyone signed in

	GeographyRead  Permission = "geography.read"
	GeographyWrite Permission = "geography.write" // a tenant's districts
	// MunicipalitiesWrite is the national list of municipalities: the platform's.
	MunicipalitiesWrite Permission = "municipalities.write"

	OrganisationsRead  Permission = "organisations.read"
	OrganisationsWrite Permission = "organisations.write"
	RecordsRestore     Permission = "records.restore"
	ContactsRead       Permission = "contacts.read"
	ContactsWrite      Permission = "contacts.write"

	CodeListsWrite Permission = "code_lists.write"

	PartnershipsRead  Permission = "partnerships.read"
	PartnershipsWrite Permission = "partnerships.write"

	FundingRead  Permission = "funding.read"
	FundingWrite Permission = "funding.write"
	RulesWrite   Permission = "rules.write"

	EvaluationRead     Permission = "evaluation.read"
	EvaluationWrite    Permission = "evaluation.write"
	MeasurementsSubmit Permission = "measurements.submit"
	AssessmentsSubmit  Permission = "assessments.submit"

	ReportsRead Permission = "reports.read"

	CollaborationRead  Permission = "collaboration.read"
	CollaborationWrite Permission = "collaboration.write"

	Notifications Permission = "notifications" // a person's own reminders

	DocumentsRead  Permission = "documents.read"
	DocumentsWrite Permission = "documents.write"

	UsersManage      Permission = "users.manage"
	APIClientsManage Permission = "api_clients.manage"
	AuditRead        Permission = "audit.read"
	WebhooksManage   Permission = "webhooks.manage"

	TenantsManage Permission = "tenants.manage" // the platform operator: tenants, usage
	TenantRead    Permission = "tenant.read"    // one's own tenant
	TenantWrite   Permission = "tenant.write"   // one's own tenant's name, colour, operator access
)

// Rule says which roles hold a permission, and which scopes give it to an
// API client (any one of them suffices). No scopes: no API client may.
type Rule struct {
	Roles  []Role
	Scopes []string
}

var staff = []Role{RoleAdmin, RoleEditor, RoleDistrictEditor, RoleViewer}
var writers = []Role{RoleAdmin, RoleEditor, RoleDistrictEditor}
var everyone = []Role{RoleAdmin, RoleEditor, RoleDistrictEditor, RoleViewer, RoleReporter}

// reporting are the roles that report outcomes: staff who write, and the
// organisations themselves.
var reporting = []Role{RoleAdmin, RoleEditor, RoleDistrictEditor, RoleReporter}

// Policy is the whole access policy. The role × route matrix test checks the
// router against it.
var Policy = map[Permission]Rule{
	Authenticated: {Roles: append([]Role{RoleOperator}, everyone...), Scopes: Scopes},

	GeographyRead:       {Roles: append([]Role{RoleOperator}, everyone...), Scopes: Scopes},
	GeographyWrite:      {Roles: []Role{RoleAdmin}},
	MunicipalitiesWrite: {Roles: []Role{RoleOperator}},

	TenantsManage: {Roles: []Role{RoleOperator}},
	TenantRead:    {Roles: everyone, Scopes: Scopes},
	TenantWrite:   {Roles: []Role{RoleAdmin}},

	OrganisationsRead:  {Roles: everyone, Scopes: []string{ScopePartnershipsRead, ScopePartnershipsWrite, ScopeFundingRead, ScopeReportsRead}},
	OrganisationsWrite: {Roles: writers, Scopes: []string{ScopePartnershipsWrite}},
	RecordsRestore:     {Roles: []Role{RoleAdmin}},
	ContactsRead:       {Roles: staff, Scopes: []string{ScopePartnershipsRead, ScopePartnershipsWrite}},
	ContactsWrite:      {Roles: writers, Scopes: []string{ScopePartnershipsWrite}},

	CodeListsWrite: {Roles: []Role{RoleAdmin}},

	PartnershipsRead:  {Roles: everyone, Scopes: []string{ScopePartnershipsRead, ScopePartnershipsWrite, ScopeReportsRead}},
	PartnershipsWrite: {Roles: writers, Scopes: []string{ScopePartnershipsWrite}},

	FundingRead:  {Roles: staff, Scopes: []string{ScopeFundingRead, ScopeFundingWrite, ScopeReportsRead}},
	FundingWrite: {Roles: writers, Scopes: []string{ScopeFundingWrite}},
	RulesWrite:   {Roles: []Role{RoleOperator}}, // law and rates: the same for every tenant

	EvaluationRead:     {Roles: everyone, Scopes: []string{ScopeEvaluationRead, ScopeEvaluationWrite, ScopeReportsRead}},
	EvaluationWrite:    {Roles: writers, Scopes: []string{ScopeEvaluationWrite}},
	MeasurementsSubmit: {Roles: reporting, Scopes: []string{ScopeEvaluationWrite}},
	AssessmentsSubmit:  {Roles: reporting, Scopes: []string{ScopeEvaluationWrite}},

	ReportsRead: {Roles: staff, Scopes: []string{ScopeReportsRead}},

	CollaborationRead:  {Roles: staff, Scopes: []string{ScopePartnershipsRead, ScopePartnershipsWrite, ScopeReportsRead}},
	CollaborationWrite: {Roles: writers, Scopes: []string{ScopePartnershipsWrite}},

	Notifications: {Roles: everyone},

	DocumentsRead:  {Roles: everyone, Scopes: []string{ScopePartnershipsRead, ScopePartnershipsWrite, ScopeEvaluationRead, ScopeEvaluationWrite}},
	DocumentsWrite: {Roles: writers, Scopes: []string{ScopePartnershipsWrite, ScopeEvaluationWrite}},

	UsersManage:      {Roles: []Role{RoleAdmin}},
	APIClientsManage: {Roles: []Role{RoleAdmin}},
	AuditRead:        {Roles: []Role{RoleAdmin}},
	WebhooksManage:   {Roles: []Role{RoleAdmin}},
}

// Allows decides whether p holds perm.
func Allows(p Principal, perm Permission) bool {
	if perm == Public || p.Kind == System.Kind {
		return true // the system itself: background work such as webhook dispatch
	}
	rule, ok := Policy[perm]
	if !ok {
		return false
	}
	switch p.Kind {
	case KindUser:
		return slices.Contains(rule.Roles, p.Role)
	case KindClient:
		for _, s := range rule.Scopes {
			if p.HasScope(s) {
				return true
			}
		}
	}
	return false
}
