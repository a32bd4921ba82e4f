// Package demo loads the demo dataset: the real cases of the seed documents
// (Gothenburg's districts and partners, the Skåne ESF pre-study, Borås), so a
// new user sees their own world. Where the documents give no figure, the
// field is left empty rather than invented. Contact persons are fictitious
// roles, not the people named in the documents.
package demo

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/documents"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// Password is the password of every demo user. Demo data is for trying
// Samverkan out on one's own machine, never for production.
const Password = "samverkan-demo"

// User is a demo sign-in.
type User struct {
	Email, Role, Note string
}

// Users are the demo sign-ins, one per role.
var Users = []User{
	{"admin@demo.samverkan.se", "admin", "administratör"},
	{"redaktor@demo.samverkan.se", "editor", "redaktör, hela staden"},
	{"vastra@demo.samverkan.se", "district_editor", "redaktör, Västra Göteborg"},
	{"lasare@demo.samverkan.se", "viewer", "läsare"},
	{"friskvard@demo.samverkan.se", "reporter", "rapportör för Friskvårdsklubben"},
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

// Load fills an empty database with the demo data. It does nothing (and
// says so) when any organisation exists already.
func Load(ctx context.Context, s Services) (bool, error) {
	page, _ := listing.Parse(nil, map[string]listing.SortKey{"name": {Column: "name"}}, "name")
	page.Limit = 1
	existing, _, err := s.Orgs.List(ctx, auth.System, organisations.Filter{IncludeArchived: true}, page)
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	l := loader{ctx: ctx, s: s, districts: map[string]string{}, orgs: map[string]string{}, sources: map[string]string{}, defs: map[string]string{}}
	for _, step := range []func(){l.geography, l.policyGoals, l.organisations, l.fundingData, l.definitions, l.cases, l.collaborationCases, l.users} {
		if step(); l.err != nil {
			return false, l.err
		}
	}
	return true, nil
}

type loader struct {
	ctx       context.Context
	s         Services
	districts map[string]string // name → id
	orgs      map[string]string // name → id
	sources   map[string]string // key → id
	defs      map[string]string // indicator definition code → id
	err       error
}

// fail keeps the first error; it reports whether loading has failed.
func (l *loader) fail(what string, err error) bool {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("demo %s: %w", what, err)
	}
	return l.err != nil
}

func (l *loader) geography() {
	for _, m := range municipalities {
		_, err := l.s.Geo.CreateMunicipality(l.ctx, auth.System.Actor(), geography.NewMunicipalityRequest{Code: m.code, Name: m.name, CountyCode: m.code[:2]})
		l.fail("municipality "+m.name, err)
	}
	for _, name := range gothenburgDistricts {
		d, err := l.s.Geo.CreateDistrict(l.ctx, auth.System.Actor(), geography.NewDistrictRequest{
			MunicipalityCode: "1480", Name: name, ValidTo: "2020-12-31"})
		l.fail("district "+name, err)
		l.districts[name] = d.ID
	}
}

func (l *loader) organisations() {
	for _, o := range organisationList {
		if l.err != nil {
			return
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

func (l *loader) users() {
	for _, u := range Users {
		req := auth.NewUserRequest{Email: u.Email, Name: "Demo: " + u.Note, Role: u.Role, Password: Password}
		switch u.Role {
		case "district_editor":
			req.DistrictIDs = []string{l.districts["Västra Göteborg"]}
		case "reporter":
			req.OrganisationID = l.orgs["Friskvårdsklubben i Göteborg"]
		}
		_, err := l.s.Auth.CreateUser(l.ctx, auth.System, req)
		l.fail("user "+u.Email, err)
	}
}
