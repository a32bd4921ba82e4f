// Package partnerships is the heart of Samverkan: partnerships (IOPs, grants,
// procurements, EU projects, agreements, networks) with their parties, the
// ledger of what each party commits and delivers, and their status history.
package partnerships

import (
	"slices"
	"time"

	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Partnership is one collaboration.
type Partnership struct {
	ID                  string
	TenantID            string // the owner: only its writers change the partnership
	Reference           string
	Diarienummer        string
	Title               string
	Purpose             string
	Form                string
	Status              string
	StartDate           *time.Time
	EndDate             *time.Time
	OwnerOrganisationID string
	MunicipalityCode    string
	DistrictIDs         []string
	TargetGroups        []string
	PolicyGoals         []string
	ParticipationLevel  string
	DecisionStep        string
	Principles          map[string]PrincipleAssessment
	Public              bool
	PredecessorID       string
	TotalBudgetOre      *int64
	BudgetCurrency      string
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
}

// PrincipleAssessment is how well a partnership lives up to one of the six
// principles of the local agreement.
type PrincipleAssessment struct {
	Score   int    `json:"score" validate:"required" format:"int32" minimum:"1" maximum:"5" example:"4"`
	Comment string `json:"comment,omitempty" validate:"max=2000"`
} // @name PrincipleAssessment

// transitions are the allowed status changes. A partnership may skip ahead
// before it starts (a grant decided without negotiation), but once active it
// can only be completed or ended early, and the final statuses are final.
var transitions = map[string][]string{
	"idea":        {"dialogue", "negotiation", "active", "cancelled"},
	"dialogue":    {"negotiation", "active", "cancelled"},
	"negotiation": {"dialogue", "active", "cancelled"},
	"active":      {"completed", "terminated"},
	"completed":   {},
	"terminated":  {},
	"cancelled":   {},
}

// AllowedNext lists the statuses a partnership in status may move to.
func AllowedNext(status string) []string { return slices.Clone(transitions[status]) }

// formCodes are the form part of reference codes.
var formCodes = map[string]string{
	"iop": "IOP", "operating_grant": "VB", "project_grant": "PB", "procurement": "LOU", "direct_award": "DU",
	"choice_system": "LOV", "reserved_contract": "RU", "eu_project": "EU", "agreement": "OK", "network": "NET",
}

// Response is a partnership on the wire.
type Response struct {
	ID                  string                         `json:"id" format:"uuid"`
	Reference           string                         `json:"reference" example:"GBG-IOP-2015-001"`
	Diarienummer        string                         `json:"diarienummer,omitempty" example:"SRF 2015/123"`
	Title               string                         `json:"title" example:"Friskvårdsklubben – fysisk aktivitet vid psykisk ohälsa"`
	Purpose             string                         `json:"purpose"`
	Form                string                         `json:"form" enums:"iop,operating_grant,project_grant,procurement,direct_award,choice_system,reserved_contract,eu_project,agreement,network"`
	Status              string                         `json:"status" enums:"idea,dialogue,negotiation,active,completed,terminated,cancelled"`
	StartDate           string                         `json:"start_date,omitempty" format:"date" example:"2015-01-01"`
	EndDate             string                         `json:"end_date,omitempty" format:"date" example:"2015-12-31"`
	OwnerOrganisationID string                         `json:"owner_organisation_id,omitempty" format:"uuid"`
	MunicipalityCode    string                         `json:"municipality_code" example:"1480"`
	DistrictIDs         []string                       `json:"district_ids"`
	TargetGroups        []string                       `json:"target_groups" example:"psykisk_ohalsa"`
	PolicyGoals         []string                       `json:"policy_goals" example:"sdg_3"`
	ParticipationLevel  string                         `json:"participation_level,omitempty" enums:"information,consultation,dialogue,partnership"`
	DecisionStep        string                         `json:"decision_step,omitempty" enums:"agenda_setting,drafting,decision,implementation,monitoring,reformulation"`
	Principles          map[string]PrincipleAssessment `json:"principles"`
	Public              bool                           `json:"public"`
	PredecessorID       string                         `json:"predecessor_id,omitempty" format:"uuid"`
	TotalBudgetOre      *int64                         `json:"total_budget_ore,omitempty" example:"40000000"`
	BudgetCurrency      string                         `json:"budget_currency" example:"SEK"`
	Version             int                            `json:"version"`
	CreatedAt           time.Time                      `json:"created_at" format:"date-time"`
	UpdatedAt           time.Time                      `json:"updated_at" format:"date-time"`
	Archived            bool                           `json:"archived"`
	// OwnerTenant is the municipality or region that owns the partnership:
	// its writers change it.
	OwnerTenant TenantRef `json:"owner_tenant"`
	// Tenants are the other municipalities and regions it is shared with:
	// they read it and record their own contributions and allocations on it.
	Tenants []TenantRef `json:"tenants"`
} // @name Partnership

// TenantRef names a tenant: public facts, shown to every tenant that shares
// a partnership.
type TenantRef struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name" example:"Region Skåne"`
} // @name TenantRef

// ETagVersion is the version behind the partnership's ETag.
func (r Response) ETagVersion() int { return r.Version }

// noPrinciples is the principles of a partnership that has none assessed:
// shared by every such response, which only reads it.
var noPrinciples = map[string]PrincipleAssessment{}

func toResponse(p Partnership) Response {
	pr := p.Principles
	if pr == nil {
		pr = noPrinciples
	}
	return Response{ID: p.ID, Reference: p.Reference, Diarienummer: p.Diarienummer, Title: p.Title, Purpose: p.Purpose,
		Form: p.Form, Status: p.Status, StartDate: dates.Format(p.StartDate), EndDate: dates.Format(p.EndDate),
		OwnerOrganisationID: p.OwnerOrganisationID, MunicipalityCode: p.MunicipalityCode, DistrictIDs: nonNil(p.DistrictIDs),
		TargetGroups: nonNil(p.TargetGroups), PolicyGoals: nonNil(p.PolicyGoals), ParticipationLevel: p.ParticipationLevel,
		DecisionStep: p.DecisionStep, Principles: pr, Public: p.Public, PredecessorID: p.PredecessorID,
		TotalBudgetOre: p.TotalBudgetOre, BudgetCurrency: p.BudgetCurrency, Version: p.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Archived: p.ArchivedAt != nil,
		OwnerTenant: TenantRef{ID: p.TenantID}, Tenants: []TenantRef{}}
}

// NewRequest registers a partnership. The reference code is generated.
type NewRequest struct {
	Diarienummer        string                         `json:"diarienummer,omitempty" validate:"max=100"`
	Title               string                         `json:"title" validate:"required,min=1,max=300"`
	Purpose             string                         `json:"purpose,omitempty" validate:"max=10000"`
	Form                string                         `json:"form" validate:"required" enums:"iop,operating_grant,project_grant,procurement,direct_award,choice_system,reserved_contract,eu_project,agreement,network"`
	Status              string                         `json:"status,omitempty" enums:"idea,dialogue,negotiation,active,completed,terminated,cancelled" default:"idea"`
	StartDate           string                         `json:"start_date,omitempty" format:"date" validate:"max=10"`
	EndDate             string                         `json:"end_date,omitempty" format:"date" validate:"max=10"`
	OwnerOrganisationID string                         `json:"owner_organisation_id,omitempty" format:"uuid" validate:"max=36"`
	MunicipalityCode    string                         `json:"municipality_code" validate:"required,min=4,max=4" example:"1480"` // a kommunkod from GET /municipalities
	DistrictIDs         []string                       `json:"district_ids,omitempty" format:"uuid" maxLength:"36" validate:"max=50"`
	TargetGroups        []string                       `json:"target_groups,omitempty" minLength:"1" maxLength:"64" validate:"max=50"` // each a code from GET /code-lists/target_groups (extendable, so not an enum)
	PolicyGoals         []string                       `json:"policy_goals,omitempty" minLength:"1" maxLength:"64" validate:"max=50"`  // each a code from GET /code-lists/policy_goals (extendable, so not an enum)
	ParticipationLevel  string                         `json:"participation_level,omitempty" enums:"information,consultation,dialogue,partnership"`
	DecisionStep        string                         `json:"decision_step,omitempty" enums:"agenda_setting,drafting,decision,implementation,monitoring,reformulation"`
	Principles          map[string]PrincipleAssessment `json:"principles,omitempty"` // keyed by a code from GET /code-lists/principles
	Public              bool                           `json:"public,omitempty"`
	TotalBudgetOre      *int64                         `json:"total_budget_ore,omitempty" format:"int64" minimum:"0" maximum:"1000000000000000"`
	BudgetCurrency      string                         `json:"budget_currency,omitempty" enums:"SEK,EUR" default:"SEK"`
} // @name NewPartnership

// UpdateRequest changes a partnership. Status changes go through
// transitions; the reference, predecessor and version are not fields to set.
type UpdateRequest struct {
	Diarienummer        *string                         `json:"diarienummer" validate:"max=100"`
	Title               *string                         `json:"title" validate:"min=1,max=300"`
	Purpose             *string                         `json:"purpose" validate:"max=10000"`
	Form                *string                         `json:"form" enums:"iop,operating_grant,project_grant,procurement,direct_award,choice_system,reserved_contract,eu_project,agreement,network"`
	StartDate           *string                         `json:"start_date" format:"date" validate:"max=10"`
	EndDate             *string                         `json:"end_date" format:"date" validate:"max=10"`
	OwnerOrganisationID *string                         `json:"owner_organisation_id" format:"uuid" validate:"max=36"`
	DistrictIDs         *[]string                       `json:"district_ids" format:"uuid" maxLength:"36" validate:"max=50"`
	TargetGroups        *[]string                       `json:"target_groups" minLength:"1" maxLength:"64" validate:"max=50"`                                    // each a code from GET /code-lists/target_groups (extendable, so not an enum)
	PolicyGoals         *[]string                       `json:"policy_goals" minLength:"1" maxLength:"64" validate:"max=50"`                                     // each a code from GET /code-lists/policy_goals (extendable, so not an enum)
	ParticipationLevel  *string                         `json:"participation_level" enums:",information,consultation,dialogue,partnership"`                      // "" clears the level
	DecisionStep        *string                         `json:"decision_step" enums:",agenda_setting,drafting,decision,implementation,monitoring,reformulation"` // "" clears the step
	Principles          *map[string]PrincipleAssessment `json:"principles"`                                                                                      // keyed by a code from GET /code-lists/principles
	Public              *bool                           `json:"public"`
	TotalBudgetOre      *int64                          `json:"total_budget_ore" format:"int64" minimum:"0" maximum:"1000000000000000"`
	BudgetCurrency      *string                         `json:"budget_currency" enums:"SEK,EUR"`
} // @name UpdatePartnership

// TransitionRequest moves a partnership to another status.
type TransitionRequest struct {
	To     string `json:"to" validate:"required" enums:"idea,dialogue,negotiation,active,completed,terminated,cancelled" example:"active"`
	Reason string `json:"reason,omitempty" validate:"max=2000" example:"Avtalet undertecknat"`
	On     string `json:"on,omitempty" format:"date" validate:"max=10" example:"2015-01-01"`
} // @name TransitionRequest

// ExtendRequest creates the successor of a partnership.
type ExtendRequest struct {
	StartDate string `json:"start_date" format:"date" validate:"required,max=10" example:"2016-01-01"`
	EndDate   string `json:"end_date,omitempty" format:"date" validate:"max=10" example:"2016-12-31"`
	Title     string `json:"title,omitempty" validate:"max=300"` // the predecessor's title when absent
	Status    string `json:"status,omitempty" enums:"idea,dialogue,negotiation,active" default:"negotiation"`
} // @name ExtendRequest

// fields collects field errors of a partnership as it would be stored; the
// service checks references to other rows.
func (p *Partnership) fields(startRaw, endRaw string) problem.Fields {
	var f problem.Fields
	f.Text("title", p.Title, true, 300)
	f.Text("purpose", p.Purpose, false, 10000)
	f.Text("diarienummer", p.Diarienummer, false, 100)
	f.Kommunkod("municipality_code", p.MunicipalityCode, true)
	f.OneOf("form", p.Form, codelists.Forms.Codes())
	f.OneOf("status", p.Status, codelists.Statuses.Codes())
	if p.ParticipationLevel != "" {
		f.OneOf("participation_level", p.ParticipationLevel, codelists.ParticipationLevels.Codes())
	}
	if p.DecisionStep != "" {
		f.OneOf("decision_step", p.DecisionStep, codelists.DecisionSteps.Codes())
	}
	dates.Order(&f, "end_date", p.StartDate, p.EndDate)
	for code, a := range p.Principles {
		if !codelists.Principles.Has(code) {
			f.Add("principles", "unknown_principle", "the principles are "+joinCodes(codelists.Principles))
			break
		}
		if a.Score < 1 || a.Score > 5 {
			f.Add("principles."+code+".score", "out_of_range", "must be 1 to 5")
		}
		f.Text("principles."+code+".comment", a.Comment, false, 2000)
	}
	if p.TotalBudgetOre != nil {
		f.Minor("total_budget_ore", *p.TotalBudgetOre, 0)
	}
	f.OneOf("budget_currency", p.BudgetCurrency, codelists.Currencies.Codes())
	f.IDs("district_ids", p.DistrictIDs...)
	f.IDs("owner_organisation_id", nonEmpty(p.OwnerOrganisationID)...)
	if len(p.TargetGroups) > 50 || len(p.PolicyGoals) > 50 || len(p.DistrictIDs) > 50 {
		f.Add("target_groups", "too_many", "at most 50 of each")
	}
	return f
}

func joinCodes(l codelists.List) string {
	out := ""
	for i, c := range l.Codes() {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
