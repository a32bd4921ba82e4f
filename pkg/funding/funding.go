// Package funding is the money: funding sources, allocations from a source to
// a partnership's recipient, their disbursements, yearly exchange rates, and
// the rules (state-aid ceilings, thresholds) that are data with effective
// dates. Amounts are integers in the currency's minor unit (öre for SEK,
// cent for EUR), never floats.
package funding

import (
	"strconv"
	"time"

	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Source is where money comes from: a budget line, a state grant, an EU
// fund programme, a foundation.
type Source struct {
	ID                     string    `json:"id" format:"uuid"`
	Name                   string    `json:"name" example:"PRIO – psykisk ohälsa 2012–2016"`
	Kind                   string    `json:"kind" enums:"municipal_budget,state_grant,eu_fund,foundation,business,own_funds"`
	ProviderOrganisationID *string   `json:"provider_organisation_id,omitempty" format:"uuid"`
	Programme              string    `json:"programme,omitempty" example:"Programområde 2 Ökat arbetskraftsutbud"`
	ValidFrom              *string   `json:"valid_from,omitempty" format:"date"`
	ValidTo                *string   `json:"valid_to,omitempty" format:"date"`
	Version                int       `json:"version"`
	CreatedAt              time.Time `json:"created_at" format:"date-time"`
	UpdatedAt              time.Time `json:"updated_at" format:"date-time"`
} // @name FundingSource

// ETagVersion is the version behind the source's ETag.
func (s Source) ETagVersion() int { return s.Version }

type sourceRow struct {
	ID                     string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name                   string
	Kind                   string
	ProviderOrganisationID *string
	Programme              string
	ValidFrom              *time.Time
	ValidTo                *time.Time
	Version                int `gorm:"default:1"`
	CreatedAt              time.Time
	UpdatedAt              time.Time
	ArchivedAt             *time.Time
}

func (sourceRow) TableName() string { return "funding_sources" }

func toSource(r sourceRow) Source {
	s := Source{ID: r.ID, Name: r.Name, Kind: r.Kind, ProviderOrganisationID: r.ProviderOrganisationID, Programme: r.Programme,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.ValidFrom != nil {
		v := dates.Format(r.ValidFrom)
		s.ValidFrom = &v
	}
	if r.ValidTo != nil {
		v := dates.Format(r.ValidTo)
		s.ValidTo = &v
	}
	return s
}

// SourceRequest creates a source, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type SourceRequest struct {
	Name                   *string `json:"name" validate:"required,max=300"`
	Kind                   *string `json:"kind" validate:"required" enums:"municipal_budget,state_grant,eu_fund,foundation,business,own_funds"`
	ProviderOrganisationID *string `json:"provider_organisation_id" format:"uuid" validate:"max=36"`
	Programme              *string `json:"programme" validate:"max=300"`
	ValidFrom              *string `json:"valid_from" format:"date" validate:"max=10"`
	ValidTo                *string `json:"valid_to" format:"date" validate:"max=10"`
} // @name FundingSourceRequest

func checkSource(f *problem.Fields, r sourceRow) {
	f.Text("name", r.Name, true, 300)
	f.OneOf("kind", r.Kind, codelists.SourceKinds.Codes())
	f.Text("programme", r.Programme, false, 300)
	if r.ProviderOrganisationID != nil {
		f.IDs("provider_organisation_id", *r.ProviderOrganisationID)
	}
	dates.Order(f, "valid_to", r.ValidFrom, r.ValidTo)
}

// Allocation ties a source to a partnership and the organisation that
// receives the money.
type Allocation struct {
	ID                      string    `json:"id" format:"uuid"`
	SourceID                string    `json:"source_id" format:"uuid"`
	PartnershipID           string    `json:"partnership_id" format:"uuid"`
	RecipientOrganisationID string    `json:"recipient_organisation_id" format:"uuid"`
	AppliedOre              *int64    `json:"applied_ore,omitempty" example:"30000000"`
	GrantedOre              *int64    `json:"granted_ore,omitempty" example:"30000000"`
	DisbursedOre            int64     `json:"disbursed_ore" example:"0"`
	Currency                string    `json:"currency" enums:"SEK,EUR" example:"SEK"`
	FiscalYear              int       `json:"fiscal_year" example:"2015"`
	DecisionDate            string    `json:"decision_date,omitempty" format:"date"`
	DecisionReference       string    `json:"decision_reference,omitempty" example:"SLK 2015/77"`
	Status                  string    `json:"status" enums:"applied,granted,rejected,withdrawn"`
	StateAid                string    `json:"state_aid" enums:"sgei_de_minimis,general_de_minimis,none"`
	PeriodStart             string    `json:"period_start,omitempty" format:"date"`
	PeriodEnd               string    `json:"period_end,omitempty" format:"date"`
	RecordedBy              string    `json:"recorded_by,omitempty" format:"uuid"` // the tenant that recorded it: the owner, or one the partnership is shared with
	Version                 int       `json:"version"`
	CreatedAt               time.Time `json:"created_at" format:"date-time"`
	UpdatedAt               time.Time `json:"updated_at" format:"date-time"`
	// Warnings are set on answers to writes: a ceiling neared or passed.
	Warnings []Warning `json:"warnings,omitempty"`
} // @name Allocation

// ETagVersion is the version behind the allocation's ETag.
func (a Allocation) ETagVersion() int { return a.Version }

// Warning is a rule a person should look at.
type Warning struct {
	Code    string   `json:"code" example:"state_aid_ceiling_passed"`
	Message string   `json:"message"`
	Refs    []string `json:"refs,omitempty"`
} // @name FundingWarning

type allocationRow struct {
	ID                      string `gorm:"primaryKey;default:gen_random_uuid()"`
	SourceID                string
	PartnershipID           string
	RecipientOrganisationID string
	AppliedOre              *int64
	GrantedOre              *int64
	Currency                string
	FiscalYear              int
	DecisionDate            *time.Time
	DecisionReference       string
	Status                  string
	StateAid                string
	PeriodStart             *time.Time
	PeriodEnd               *time.Time
	RecordedBy              *string `gorm:"->"` // the scope's tenant by default
	Version                 int     `gorm:"default:1"`
	CreatedAt               time.Time
	UpdatedAt               time.Time
	ArchivedAt              *time.Time
	DisbursedOre            int64 `gorm:"->;-:migration"`
}

func (allocationRow) TableName() string { return "allocations" }

func toAllocation(r allocationRow) Allocation {
	return Allocation{ID: r.ID, SourceID: r.SourceID, PartnershipID: r.PartnershipID, RecipientOrganisationID: r.RecipientOrganisationID,
		AppliedOre: r.AppliedOre, GrantedOre: r.GrantedOre, DisbursedOre: r.DisbursedOre, Currency: r.Currency, FiscalYear: r.FiscalYear,
		DecisionDate: dates.Format(r.DecisionDate), DecisionReference: r.DecisionReference, Status: r.Status, StateAid: r.StateAid,
		PeriodStart: dates.Format(r.PeriodStart), PeriodEnd: dates.Format(r.PeriodEnd), RecordedBy: deref(r.RecordedBy), Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// AllocationRequest creates an allocation, or with PATCH changes the fields
// sent. The partnership of an allocation never changes. Required marks what
// a POST needs; a PATCH sends any of the fields.
type AllocationRequest struct {
	SourceID                *string `json:"source_id" format:"uuid" validate:"required,max=36"`
	PartnershipID           *string `json:"partnership_id" format:"uuid" validate:"required,max=36"`
	RecipientOrganisationID *string `json:"recipient_organisation_id" format:"uuid" validate:"required,max=36"`
	AppliedOre              *int64  `json:"applied_ore" format:"int64" minimum:"0" maximum:"1000000000000000"`
	// GrantedOre is required when status is granted.
	GrantedOre        *int64  `json:"granted_ore" format:"int64" minimum:"0" maximum:"1000000000000000"`
	Currency          *string `json:"currency" enums:"SEK,EUR"`
	FiscalYear        *int    `json:"fiscal_year" validate:"required" format:"int32" minimum:"1990" maximum:"2100"`
	DecisionDate      *string `json:"decision_date" format:"date" validate:"max=10"`
	DecisionReference *string `json:"decision_reference" validate:"max=100"`
	Status            *string `json:"status" enums:"applied,granted,rejected,withdrawn"`
	StateAid          *string `json:"state_aid" enums:"sgei_de_minimis,general_de_minimis,none"`
	PeriodStart       *string `json:"period_start" format:"date" validate:"max=10"`
	PeriodEnd         *string `json:"period_end" format:"date" validate:"max=10"`
} // @name AllocationRequest

func checkAllocation(f *problem.Fields, r allocationRow) {
	f.IDs("source_id", r.SourceID)
	f.IDs("partnership_id", r.PartnershipID)
	f.IDs("recipient_organisation_id", r.RecipientOrganisationID)
	for field, v := range map[string]*int64{"applied_ore": r.AppliedOre, "granted_ore": r.GrantedOre} {
		if v != nil {
			f.Minor(field, *v, 0)
		}
	}
	f.OneOf("currency", r.Currency, codelists.Currencies.Codes())
	if r.FiscalYear < 1990 || r.FiscalYear > 2100 {
		f.Add("fiscal_year", "out_of_range", "must be a year from 1990 to 2100")
	}
	f.OneOf("status", r.Status, codelists.AllocationStatuses.Codes())
	f.OneOf("state_aid", r.StateAid, codelists.StateAidKinds.Codes())
	f.Text("decision_reference", r.DecisionReference, false, 100)
	if r.Status == "granted" && r.GrantedOre == nil {
		f.Add("granted_ore", "required", "a granted allocation needs its granted amount")
	}
	dates.Order(f, "period_end", r.PeriodStart, r.PeriodEnd)
}

// Disbursement is a planned or paid instalment of an allocation.
type Disbursement struct {
	ID           string    `json:"id" format:"uuid"`
	AllocationID string    `json:"allocation_id" format:"uuid"`
	AmountOre    int64     `json:"amount_ore" example:"15000000"`
	PlannedOn    string    `json:"planned_on,omitempty" format:"date"`
	PaidOn       string    `json:"paid_on,omitempty" format:"date"`
	Note         string    `json:"note,omitempty"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at" format:"date-time"`
	UpdatedAt    time.Time `json:"updated_at" format:"date-time"`
} // @name Disbursement

// ETagVersion is the version behind the disbursement's ETag.
func (d Disbursement) ETagVersion() int { return d.Version }

type disbursementRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	AllocationID string
	AmountOre    int64
	PlannedOn    *time.Time
	PaidOn       *time.Time
	Note         string
	Version      int `gorm:"default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ArchivedAt   *time.Time
}

func (disbursementRow) TableName() string { return "disbursements" }

func toDisbursement(r disbursementRow) Disbursement {
	return Disbursement{ID: r.ID, AllocationID: r.AllocationID, AmountOre: r.AmountOre, PlannedOn: dates.Format(r.PlannedOn),
		PaidOn: dates.Format(r.PaidOn), Note: r.Note, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// DisbursementRequest creates or changes an instalment. Required marks what
// a POST needs; a PATCH sends any of the fields. An instalment needs
// planned_on or paid_on, or both.
type DisbursementRequest struct {
	AmountOre *int64  `json:"amount_ore" validate:"required" format:"int64" minimum:"1" maximum:"1000000000000000"`
	PlannedOn *string `json:"planned_on" format:"date" validate:"max=10"`
	PaidOn    *string `json:"paid_on" format:"date" validate:"max=10"`
	Note      *string `json:"note" validate:"max=1000"`
} // @name DisbursementRequest

// stringArray scans a text[] column.
type stringArray = database.Strings

// AllocationCSVHeader is the export (and import) format of allocations.
var AllocationCSVHeader = []string{"id", "source_id", "partnership_id", "recipient_organisation_id", "applied_ore", "granted_ore",
	"currency", "fiscal_year", "decision_date", "decision_reference", "status", "state_aid", "period_start", "period_end",
	"version", "created_at", "updated_at"}

// CSV is the allocation as a row of AllocationCSVHeader.
func (a Allocation) CSV() []string {
	minor := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	return []string{a.ID, a.SourceID, a.PartnershipID, a.RecipientOrganisationID, minor(a.AppliedOre), minor(a.GrantedOre),
		a.Currency, strconv.Itoa(a.FiscalYear), a.DecisionDate, a.DecisionReference, a.Status, a.StateAid, a.PeriodStart, a.PeriodEnd,
		strconv.Itoa(a.Version), a.CreatedAt.UTC().Format(time.RFC3339), a.UpdatedAt.UTC().Format(time.RFC3339)}
}
