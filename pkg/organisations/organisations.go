// Package organisations is the register of every party the municipalities
// and regions work with: associations, foundations, cooperatives, faith
// communities, businesses, universities and public bodies. The register is
// national, one record per organisationsnummer that every tenant finds and
// refers to; what a tenant keeps about an organisation (its classification,
// its notes and its contact persons) is that tenant's own.
package organisations

import (
	"regexp"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Sectors are the Pentahelix sectors.
var Sectors = []string{"public", "civil_society", "business", "academia", "citizens"}

// LegalForms are the legal forms an organisation can have.
var LegalForms = []string{"ideell_forening", "stiftelse", "ekonomisk_forening", "trossamfund", "aktiebolag",
	"handelsbolag", "enskild_firma", "kommun", "region", "statlig_myndighet", "larosate", "natverk", "ovrig"}

// Organisation is one party in the register as one tenant sees it: the
// national record and the tenant's own profile of it.
type Organisation struct {
	ID                 string
	Name               string
	OrgNumber          string // NNNNNN-NNNN or empty (informal networks)
	Sector             string
	LegalForm          string
	ParentID           string
	MunicipalityCode   string
	Description        string
	Website            string
	Email              string
	Phone              string
	RegisteredIdeburen bool
	Version            int // the national record's
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ArchivedAt         *time.Time

	// The tenant's profile: where it sees the organisation active, whom it
	// serves there, and its notes. Empty when the tenant keeps none.
	DistrictIDs    []string
	TargetGroups   []string
	Notes          string
	ProfileVersion int  // 0 when the tenant keeps none, or made it with the organisation
	profiled       bool // the tenant's profile row exists
}

// profileColumns are the columns of UpdateRequest that the tenant's
// profile holds; every other one is the national record's.
var profileColumns = []string{"district_ids", "target_groups", "notes"}

// Revision is the version the organisation's ETag names: the national
// record's version plus the tenant's profile's. Every write adds one to
// exactly one of them (the record's when it changes the record, else the
// profile's), so the sum grows by one with each change a tenant can see:
// another tenant's change of the record moves it too, another tenant's
// profile never does.
func (o Organisation) Revision() int { return o.Version + o.ProfileVersion }

// SoleTrader reports whether the organisation number is a personnummer.
func (o Organisation) SoleTrader() bool { return o.LegalForm == "enskild_firma" }

// Response is an organisation on the wire.
type Response struct {
	ID                 string     `json:"id" format:"uuid"`
	Name               string     `json:"name" example:"Friskvårdsklubben i Göteborg"`
	OrgNumber          string     `json:"org_number,omitempty" example:"802005-5847"`
	Sector             string     `json:"sector" enums:"public,civil_society,business,academia,citizens"`
	LegalForm          string     `json:"legal_form" enums:"ideell_forening,stiftelse,ekonomisk_forening,trossamfund,aktiebolag,handelsbolag,enskild_firma,kommun,region,statlig_myndighet,larosate,natverk,ovrig"`
	ParentID           string     `json:"parent_id,omitempty" format:"uuid"`
	MunicipalityCode   string     `json:"municipality_code,omitempty" example:"1480"`
	DistrictIDs        []string   `json:"district_ids"`                           // your tenant's: the districts where it sees the organisation active
	TargetGroups       []string   `json:"target_groups" example:"psykisk_ohalsa"` // your tenant's classification
	Notes              string     `json:"notes"`                                  // your tenant's own notes; no other tenant reads them
	Description        string     `json:"description"`
	Website            string     `json:"website,omitempty" example:"https://example.se"`
	Email              string     `json:"email,omitempty"`
	Phone              string     `json:"phone,omitempty"`
	RegisteredIdeburen bool       `json:"registered_ideburen"`
	Version            int        `json:"version"` // the national record's version plus your tenant's profile's; grows by one with each change you can see
	CreatedAt          time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt          time.Time  `json:"updated_at" format:"date-time"` // when the national record last changed
	Archived           bool       `json:"archived"`
	ArchivedAt         *time.Time `json:"archived_at,omitempty" format:"date-time"`
} // @name Organisation

// toResponse shows o; a sole trader's number only when showNumber.
func toResponse(o Organisation, showNumber bool) Response {
	r := Response{ID: o.ID, Name: o.Name, OrgNumber: o.OrgNumber, Sector: o.Sector, LegalForm: o.LegalForm,
		ParentID: o.ParentID, MunicipalityCode: o.MunicipalityCode, DistrictIDs: nonNil(o.DistrictIDs),
		TargetGroups: nonNil(o.TargetGroups), Notes: o.Notes, Description: o.Description, Website: o.Website, Email: o.Email,
		Phone: o.Phone, RegisteredIdeburen: o.RegisteredIdeburen, Version: o.Revision(), CreatedAt: o.CreatedAt,
		UpdatedAt: o.UpdatedAt, Archived: o.ArchivedAt != nil, ArchivedAt: o.ArchivedAt}
	if o.SoleTrader() && o.OrgNumber != "" && !showNumber {
		r.OrgNumber = maskedOrgNumber
	}
	return r
}

// NewRequest registers an organisation: the national record, and the
// caller's tenant's classification and notes.
type NewRequest struct {
	Name               string   `json:"name" validate:"required,min=1,max=300" example:"Friskvårdsklubben i Göteborg"`
	OrgNumber          string   `json:"org_number,omitempty" validate:"max=20" example:"802005-5847"`
	Sector             string   `json:"sector" validate:"required" enums:"public,civil_society,business,academia,citizens"`
	LegalForm          string   `json:"legal_form" validate:"required" enums:"ideell_forening,stiftelse,ekonomisk_forening,trossamfund,aktiebolag,handelsbolag,enskild_firma,kommun,region,statlig_myndighet,larosate,natverk,ovrig"`
	ParentID           string   `json:"parent_id,omitempty" format:"uuid" validate:"max=36"`
	MunicipalityCode   string   `json:"municipality_code,omitempty" validate:"max=4" example:"1480"` // a four-digit kommunkod from GET /municipalities
	DistrictIDs        []string `json:"district_ids,omitempty" format:"uuid" maxLength:"36" validate:"max=50"`
	TargetGroups       []string `json:"target_groups,omitempty" minLength:"1" maxLength:"64" validate:"max=50"` // each a code from GET /code-lists/target_groups (extendable, so not an enum)
	Notes              string   `json:"notes,omitempty" validate:"max=5000"`                                    // your tenant's own; no other tenant reads them
	Description        string   `json:"description,omitempty" validate:"max=5000"`
	Website            string   `json:"website,omitempty" validate:"max=500" example:"https://example.se"` // an http or https address
	Email              string   `json:"email,omitempty" validate:"max=254"`
	Phone              string   `json:"phone,omitempty" validate:"max=30"` // digits, spaces and + - ( ), at least five digits
	RegisteredIdeburen bool     `json:"registered_ideburen,omitempty"`
} // @name NewOrganisation

// UpdateRequest changes an organisation: absent fields stay, "" clears an
// optional text, [] clears a list.
type UpdateRequest struct {
	Name               *string   `json:"name" validate:"min=1,max=300"`
	OrgNumber          *string   `json:"org_number" validate:"max=20"`
	Sector             *string   `json:"sector" enums:"public,civil_society,business,academia,citizens"`
	LegalForm          *string   `json:"legal_form" enums:"ideell_forening,stiftelse,ekonomisk_forening,trossamfund,aktiebolag,handelsbolag,enskild_firma,kommun,region,statlig_myndighet,larosate,natverk,ovrig"`
	ParentID           *string   `json:"parent_id" format:"uuid" validate:"max=36"`
	MunicipalityCode   *string   `json:"municipality_code" validate:"max=4"` // a four-digit kommunkod from GET /municipalities
	DistrictIDs        *[]string `json:"district_ids" format:"uuid" maxLength:"36" validate:"max=50"`
	TargetGroups       *[]string `json:"target_groups" minLength:"1" maxLength:"64" validate:"max=50"` // each a code from GET /code-lists/target_groups (extendable, so not an enum)
	Notes              *string   `json:"notes" validate:"max=5000"`                                    // your tenant's own; no other tenant reads them
	Description        *string   `json:"description" validate:"max=5000"`
	Website            *string   `json:"website" validate:"max=500"` // an http or https address
	Email              *string   `json:"email" validate:"max=254"`
	Phone              *string   `json:"phone" validate:"max=30"` // digits, spaces and + - ( ), at least five digits
	RegisteredIdeburen *bool     `json:"registered_ideburen"`
} // @name UpdateOrganisation

func fromNew(r NewRequest) Organisation {
	return Organisation{Name: r.Name, OrgNumber: r.OrgNumber, Sector: r.Sector, LegalForm: r.LegalForm,
		ParentID: r.ParentID, MunicipalityCode: r.MunicipalityCode, DistrictIDs: r.DistrictIDs,
		TargetGroups: r.TargetGroups, Notes: r.Notes, Description: r.Description, Website: r.Website, Email: r.Email,
		Phone: r.Phone, RegisteredIdeburen: r.RegisteredIdeburen}
}

// apply sets the fields of r that were sent on o and names their columns.
func (r UpdateRequest) apply(o *Organisation) []string {
	var cols []string
	set := func(col string, dst *string, v *string) {
		if v != nil {
			*dst = *v
			cols = append(cols, col)
		}
	}
	set("name", &o.Name, r.Name)
	set("org_number", &o.OrgNumber, r.OrgNumber)
	set("sector", &o.Sector, r.Sector)
	set("legal_form", &o.LegalForm, r.LegalForm)
	set("parent_id", &o.ParentID, r.ParentID)
	set("municipality_code", &o.MunicipalityCode, r.MunicipalityCode)
	set("description", &o.Description, r.Description)
	set("website", &o.Website, r.Website)
	set("email", &o.Email, r.Email)
	set("phone", &o.Phone, r.Phone)
	set("notes", &o.Notes, r.Notes)
	if r.DistrictIDs != nil {
		o.DistrictIDs = *r.DistrictIDs
		cols = append(cols, "district_ids")
	}
	if r.TargetGroups != nil {
		o.TargetGroups = *r.TargetGroups
		cols = append(cols, "target_groups")
	}
	if r.RegisteredIdeburen != nil {
		o.RegisteredIdeburen = *r.RegisteredIdeburen
		cols = append(cols, "registered_ideburen")
	}
	return cols
}

var (
	targetGroupCode = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
)

// validate checks the rules of a whole organisation and normalises its
// organisation number. References to other rows are checked by the service.
func validate(o *Organisation) problem.Fields {
	var f problem.Fields
	f.Text("name", o.Name, true, 300)
	f.OneOf("sector", o.Sector, Sectors)
	f.OneOf("legal_form", o.LegalForm, LegalForms)
	if o.OrgNumber != "" {
		n, err := ParseOrgNumber(o.OrgNumber, o.SoleTrader())
		if err != nil {
			oe := err.(*OrgNumberError)
			f.Add("org_number", oe.Code, oe.Message)
		} else {
			o.OrgNumber = n
			if g, ok := groupOf[o.LegalForm]; ok && n[0] != g {
				f.Add("org_number", "group_mismatch", "an organisationsnummer of this legal form begins with "+string(g))
			}
		}
	}
	if slices.Contains([]string{"kommun", "region", "statlig_myndighet"}, o.LegalForm) && o.Sector != "public" {
		f.Add("sector", "mismatch", "a public body belongs to the public sector")
	}
	if o.ParentID != "" {
		if uuid.Validate(o.ParentID) != nil {
			f.Add("parent_id", "invalid_id", "must be a UUID")
		} else if o.ParentID == o.ID {
			f.Add("parent_id", "cycle", "an organisation cannot be its own parent")
		}
	}
	f.Kommunkod("municipality_code", o.MunicipalityCode, false)
	if len(o.DistrictIDs) > 50 {
		f.Add("district_ids", "too_many", "at most 50 districts")
	}
	for _, id := range o.DistrictIDs {
		if uuid.Validate(id) != nil {
			f.Add("district_ids", "invalid_id", "must hold UUIDs")
			break
		}
	}
	o.DistrictIDs = uniq(o.DistrictIDs)
	if len(o.TargetGroups) > 50 {
		f.Add("target_groups", "too_many", "at most 50 target groups")
	}
	for _, g := range o.TargetGroups {
		if !targetGroupCode.MatchString(g) {
			f.Add("target_groups", "invalid_code", "codes are lower-case letters, digits and _, e.g. unga_vuxna")
			break
		}
	}
	o.TargetGroups = uniq(o.TargetGroups)
	f.Text("description", o.Description, false, 5000)
	f.Text("notes", o.Notes, false, 5000)
	f.URL("website", o.Website)
	f.Email("email", o.Email)
	f.Phone("phone", o.Phone)
	return f
}

// mayRead is the object-level read rule: a reporter sees their own
// organisation; a district-restricted principal sees organisations their
// tenant places in one of their districts and those it places in none
// (city-wide ones, and those it keeps no profile of).
func mayRead(p auth.Principal, o Organisation) bool {
	switch {
	case p.IsReporter():
		return o.ID == p.OrganisationID
	case p.DistrictRestricted():
		return len(o.DistrictIDs) == 0 || p.InDistricts(o.DistrictIDs)
	}
	return true
}

// mayWrite is the object-level write rule: reporters change no
// organisation; district-restricted principals follow the shared district
// rule on their tenant's profile (only organisations it places in their
// districts, only their districts).
func mayWrite(p auth.Principal, before, after Organisation) bool {
	return !p.IsReporter() && p.MayWriteInDistricts(before.ID != "", before.DistrictIDs, after.DistrictIDs)
}

// mayWriteExisting tells whether p may change o at all (to show the full
// number of a sole trader to those who may edit it).
func mayWriteExisting(p auth.Principal, o Organisation) bool {
	return auth.Allows(p, auth.OrganisationsWrite) && mayWrite(p, o, o)
}

func uniq(s []string) []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ETagVersion is the version behind the organisation's ETag (Revision).
func (r Response) ETagVersion() int { return r.Version }
