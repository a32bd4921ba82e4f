// Package demo loads the demo dataset: the real cases of the seed documents
// (Gothenburg's districts and partners, the Skåne ESF pre-study, Borås), so a
// new user sees their own world. Where the documents give no figure, the
// field is left empty rather than invented. Contact persons are fictitious
// roles, not the people named in the documents.
//
// Göteborg, Borås, Malmö and Region Skåne are tenants, each with its own
// sign-ins and its own cases; Region Skåne shares the ESF pre-study with
// Malmö, the Skåne municipality among them.
package demo

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/documents"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// Password is the password of every demo user. Demo data is for trying
// Samverkan out on one's own machine, never for production.
const Password = "samverkan-demo"

// Tenant is a demo tenant: a municipality or region (huvudman).
type Tenant struct {
	Kind, Code, Name, OrgNumber, Colour string
}

// Tenants are the huvudmän of the seed documents' cases, Göteborg first
// (the tests' tenant). Organisation numbers are given only where public and
// certain.
var Tenants = []Tenant{
	{tenants.KindMunicipality, "1480", "Göteborgs Stad", "212000-1355", "#0076bc"},
	{tenants.KindMunicipality, "1490", "Borås Stad", "", "#00665e"},
	{tenants.KindMunicipality, "1280", "Malmö stad", "212000-1124", "#b5121b"},
	{tenants.KindRegion, "12", "Region Skåne", "", "#1d5e3b"},
}

// User is a demo sign-in.
type User struct {
	Email, Role, Note string
	Tenant            string // the tenant's code; "" for the platform operator
}

// Users are the demo sign-ins: Göteborg's, one per role, then an
// administrator and an editor of each other tenant, then the platform
// operator.
var Users = []User{
	{"admin@demo.samverkan.se", "admin", "administratör", "1480"},
	{"redaktor@demo.samverkan.se", "editor", "redaktör, hela staden", "1480"},
	{"vastra@demo.samverkan.se", "district_editor", "redaktör, Västra Göteborg", "1480"},
	{"lasare@demo.samverkan.se", "viewer", "läsare", "1480"},
	{"friskvard@demo.samverkan.se", "reporter", "rapportör för Friskvårdsklubben", "1480"},
	{"admin.boras@demo.samverkan.se", "admin", "administratör, Borås", "1490"},
	{"redaktor.boras@demo.samverkan.se", "editor", "redaktör, Borås", "1490"},
	{"admin.malmo@demo.samverkan.se", "admin", "administratör, Malmö", "1280"},
	{"redaktor.malmo@demo.samverkan.se", "editor", "redaktör, Malmö", "1280"},
	{"admin.skane@demo.samverkan.se", "admin", "administratör, Region Skåne", "12"},
	{"redaktor.skane@demo.samverkan.se", "editor", "redaktör, Region Skåne", "12"},
	{"operator@demo.samverkan.se", "operator", "plattformsoperatör", ""},
}

// Services are what the loader writes through, so the demo obeys every rule
// real data does and leaves an audit trail.
type Services struct {
	Auth         *auth.Service
	Geo          *geography.Service
	Orgs         *organisations.Service
	Codes        *codelists.Service
	Partnerships *partnerships.Service
	Funding      *funding.Service
	Evaluation   *evaluation.Service
	Documents    *documents.Service
	// Collaboration is action plans and meetings.
	Collaboration *collaboration.Service
	Tenants       *tenants.Service
}

// part is what one tenant loads in its own scope, before its users.
type part struct {
	tenant string // its code
	steps  []func(*loader)
}

var parts = []part{
	{"1480", []func(*loader){(*loader).gothenburgGeography, (*loader).policyGoals, (*loader).organisations, (*loader).gothenburgSources,
		(*loader).definitions, (*loader).gothenburgCases, (*loader).collaborationCases}},
	{"1490", []func(*loader){(*loader).organisations, (*loader).borasCases}},
	{"1280", []func(*loader){(*loader).organisations}},
	{"12", []func(*loader){(*loader).organisations, (*loader).skaneSources, (*loader).skaneCases}},
}

// Load fills an empty database with the demo data. It does nothing (and
// says so) when any organisation exists already. services builds the
// services over a transaction.
//
// The tenants are made first; then what all share (municipalities,
// exchange rates) and the platform operator, in the platform's scope; then
// each tenant's part in the tenant's own scope (database.Within), so that
// row-level security checks that every row it writes is that tenant's. The
// organisation register is one: each tenant registers the organisations
// of its cases. Each of these is one transaction: should one fail, what
// was loaded before it stays, and Load then does nothing; start again from
// an empty database.
func Load(ctx context.Context, db *gorm.DB, services func(tx *gorm.DB) Services) (bool, error) {
	l := loader{districts: map[string]string{}, orgs: map[string]string{}, sources: map[string]string{}, defs: map[string]string{},
		tenants: map[string]string{}}
	var empty bool
	if err := l.in(ctx, db, services, database.PlatformScope, func() { empty = l.empty() }); err != nil || !empty {
		return false, err
	}
	register := services(db).Tenants
	for _, t := range Tenants {
		tenant, err := register.Ensure(ctx, t.Kind, t.Code, t.Name, t.OrgNumber, t.Colour)
		if err != nil {
			return false, fmt.Errorf("demo tenant %s: %w", t.Name, err)
		}
		l.tenants[t.Code] = tenant.ID
	}
	err := l.in(ctx, db, services, database.PlatformScope, func() {
		l.geography()
		l.exchangeRates()
		l.users("")
	})
	if err != nil {
		return false, err
	}
	for _, p := range parts {
		err := l.in(ctx, db, services, database.Scope{Tenant: l.tenants[p.tenant]}, func() {
			l.tenant = p.tenant
			for _, step := range p.steps {
				if step(&l); l.err != nil {
					return
				}
			}
			l.users(p.tenant)
		})
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

type loader struct {
	ctx       context.Context
	s         Services
	tx        *gorm.DB
	tenant    string            // the code of the tenant whose part is loading
	tenants   map[string]string // code → id
	districts map[string]string // name → id
	orgs      map[string]string // name → id
	sources   map[string]string // key → id
	defs      map[string]string // indicator definition code → id
	err       error
}

// in runs load in a transaction of its own in scope, with the services
// over it; it returns the first error load met.
func (l *loader) in(ctx context.Context, db *gorm.DB, services func(tx *gorm.DB) Services, sc database.Scope, load func()) error {
	return database.Within(ctx, db, sc, func(ctx context.Context) error {
		return database.InTx(ctx, db, func(tx *gorm.DB) error {
			l.ctx, l.s, l.tx = ctx, services(tx), tx
			load()
			return l.err
		})
	})
}

// empty reports whether the organisation register is empty.
func (l *loader) empty() bool {
	page, _ := listing.Parse(nil, map[string]listing.SortKey{"name": {Column: "name"}}, "name")
	page.Limit = 1
	existing, _, err := l.s.Orgs.List(l.ctx, auth.System, organisations.Filter{IncludeArchived: true}, page)
	l.fail("organisations", err)
	return l.err == nil && len(existing) == 0
}

// fail keeps the first error; it reports whether loading has failed.
func (l *loader) fail(what string, err error) bool {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("demo %s: %w", what, err)
	}
	return l.err != nil
}

// geography registers the municipalities, which every tenant shares.
func (l *loader) geography() {
	for _, m := range municipalities {
		_, err := l.s.Geo.CreateMunicipality(l.ctx, auth.System.Actor(), geography.NewMunicipalityRequest{Code: m.code, Name: m.name, CountyCode: m.code[:2]})
		l.fail("municipality "+m.name, err)
	}
}

// gothenburgGeography is Göteborg's districts, in its tenant.
func (l *loader) gothenburgGeography() {
	for _, name := range gothenburgDistricts {
		d, err := l.s.Geo.CreateDistrict(l.ctx, auth.System.Actor(), geography.NewDistrictRequest{
			MunicipalityCode: "1480", Name: name, ValidTo: "2020-12-31"})
		l.fail("district "+name, err)
		l.districts[name] = d.ID
	}
}

// organisations registers the organisations of the tenant's cases in the
// shared register, with the tenant's own contact persons.
func (l *loader) organisations() {
	for _, o := range organisationList {
		if l.err != nil {
			return
		}
		if o.registeredBy() != l.tenant {
			continue
		}
		req := organisations.NewRequest{Name: o.name, OrgNumber: o.orgNumber, Sector: o.sector, LegalForm: o.legalForm,
			MunicipalityCode: o.municipality, TargetGroups: o.targetGroups, Description: o.description, Website: o.website}
		if o.parent != "" {
			req.ParentID = l.orgs[o.parent]
		}
		for _, d := range o.districts {
			req.DistrictIDs = append(req.DistrictIDs, l.districts[d])
		}
		created, err := l.s.Orgs.Create(l.ctx, auth.System, req)
		l.fail("organisation "+o.name, err)
		l.orgs[o.name] = created.ID
		for _, c := range o.contacts {
			_, err := l.s.Orgs.AddContact(l.ctx, auth.System, created.ID, organisations.NewContactRequest{Name: c, Title: c})
			l.fail("contact of "+o.name, err)
		}
	}
}

// users are the sign-ins of tenant (its code; "" for the platform).
func (l *loader) users(tenant string) {
	for _, u := range Users {
		if u.Tenant != tenant || l.err != nil {
			continue
		}
		req := auth.NewUserRequest{Email: u.Email, Name: "Demo: " + u.Note, Role: u.Role, Password: Password}
		switch u.Role {
		case "district_editor":
			req.DistrictIDs = []string{l.districts["Västra Göteborg"]}
		case "reporter":
			req.OrganisationID = l.orgs["Friskvårdsklubben i Göteborg"]
		}
		create := l.s.Auth.CreateUser
		if u.Role == "operator" {
			create = l.s.Auth.CreateOperator
		}
		_, err := create(l.ctx, auth.System, req)
		l.fail("user "+u.Email, err)
	}
}
