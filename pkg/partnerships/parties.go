package partnerships

import (
	"time"

	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Party is an organisation's part in a partnership, with when it joined and
// left, so a partnership that grew from seven to nine parties shows it.
type Party struct {
	ID               string    `json:"id" format:"uuid"`
	PartnershipID    string    `json:"partnership_id" format:"uuid"`
	OrganisationID   string    `json:"organisation_id" format:"uuid"`
	OrganisationName string    `json:"organisation_name" example:"Friskvårdsklubben i Göteborg"`
	Role             string    `json:"role" enums:"lead,partner,funder,evaluator,participant"`
	JoinedOn         string    `json:"joined_on,omitempty" format:"date"`
	LeftOn           string    `json:"left_on,omitempty" format:"date"`
	Note             string    `json:"note,omitempty"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at" format:"date-time"`
	UpdatedAt        time.Time `json:"updated_at" format:"date-time"`
} // @name Party

// ETagVersion is the version behind the party's ETag.
func (p Party) ETagVersion() int { return p.Version }

// NewPartyRequest adds a party.
type NewPartyRequest struct {
	OrganisationID string `json:"organisation_id" format:"uuid" validate:"required,max=36"`
	Role           string `json:"role" validate:"required" enums:"lead,partner,funder,evaluator,participant"`
	JoinedOn       string `json:"joined_on,omitempty" format:"date" validate:"max=10"`
	LeftOn         string `json:"left_on,omitempty" format:"date" validate:"max=10"`
	Note           string `json:"note,omitempty" validate:"max=2000"`
} // @name NewParty

// UpdatePartyRequest changes a party; "" clears a date.
type UpdatePartyRequest struct {
	Role     *string `json:"role" enums:"lead,partner,funder,evaluator,participant"`
	JoinedOn *string `json:"joined_on" format:"date" validate:"max=10"`
	LeftOn   *string `json:"left_on" format:"date" validate:"max=10"`
	Note     *string `json:"note" validate:"max=2000"`
} // @name UpdateParty

type partyRow struct {
	ID             string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID  string
	OrganisationID string
	Role           string
	JoinedOn       *time.Time
	LeftOn         *time.Time
	Note           string
	Version        int `gorm:"default:1"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
	// OrganisationName is read by a join, never written.
	OrganisationName string `gorm:"->;-:migration"`
}

func (partyRow) TableName() string { return "partnership_parties" }

func toParty(r partyRow) Party {
	return Party{ID: r.ID, PartnershipID: r.PartnershipID, OrganisationID: r.OrganisationID, OrganisationName: r.OrganisationName,
		Role: r.Role, JoinedOn: dates.Format(r.JoinedOn), LeftOn: dates.Format(r.LeftOn), Note: r.Note,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func checkParty(f *problem.Fields, r partyRow) {
	f.OneOf("role", r.Role, codelists.PartyRoles.Codes())
	dates.Order(f, "left_on", r.JoinedOn, r.LeftOn)
	f.Text("note", r.Note, false, 2000)
}

// Commitment is one line of the contribution ledger: what a party commits
// to bring, or has delivered, with an optional valuation in öre so in-kind
// co-financing and each side's share are visible.
type Commitment struct {
	ID            string    `json:"id" format:"uuid"`
	PartnershipID string    `json:"partnership_id" format:"uuid"`
	PartyID       string    `json:"party_id" format:"uuid"`
	Direction     string    `json:"direction" enums:"committed,delivered"`
	Kind          string    `json:"kind" enums:"money,volunteer_hours,staff_hours,premises,competence,network,equipment,activities"`
	Description   string    `json:"description,omitempty" example:"Friskvårdsaktivitet i Väster"`
	Quantity      *float64  `json:"quantity,omitempty" example:"2"`
	Unit          string    `json:"unit,omitempty" example:"aktiviteter per vecka"`
	PeriodStart   string    `json:"period_start,omitempty" format:"date"`
	PeriodEnd     string    `json:"period_end,omitempty" format:"date"`
	DistrictID    string    `json:"district_id,omitempty" format:"uuid"`
	ValuationOre  *int64    `json:"valuation_ore,omitempty" example:"10000000"`
	Currency      string    `json:"currency" example:"SEK"`
	RecordedBy    string    `json:"recorded_by,omitempty" format:"uuid"` // the tenant that recorded it: the owner, or one the partnership is shared with
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at" format:"date-time"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time"`
} // @name Commitment

// ETagVersion is the version behind the commitment's ETag.
func (c Commitment) ETagVersion() int { return c.Version }

// NewCommitmentRequest adds a line to the ledger.
type NewCommitmentRequest struct {
	PartyID      string   `json:"party_id" format:"uuid" validate:"required,max=36"`
	Direction    string   `json:"direction" validate:"required" enums:"committed,delivered"`
	Kind         string   `json:"kind" validate:"required" enums:"money,volunteer_hours,staff_hours,premises,competence,network,equipment,activities"`
	Description  string   `json:"description,omitempty" validate:"max=2000"`
	Quantity     *float64 `json:"quantity,omitempty" minimum:"0" maximum:"999999999999.99"`
	Unit         string   `json:"unit,omitempty" validate:"max=100"`
	PeriodStart  string   `json:"period_start,omitempty" format:"date" validate:"max=10"`
	PeriodEnd    string   `json:"period_end,omitempty" format:"date" validate:"max=10"`
	DistrictID   string   `json:"district_id,omitempty" format:"uuid" validate:"max=36"`
	ValuationOre *int64   `json:"valuation_ore,omitempty" format:"int64" minimum:"0" maximum:"1000000000000000"`
	Currency     string   `json:"currency,omitempty" enums:"SEK,EUR" default:"SEK"`
} // @name NewCommitment

// UpdateCommitmentRequest changes a ledger line.
type UpdateCommitmentRequest struct {
	Direction    *string  `json:"direction" enums:"committed,delivered"`
	Kind         *string  `json:"kind" enums:"money,volunteer_hours,staff_hours,premises,competence,network,equipment,activities"`
	Description  *string  `json:"description" validate:"max=2000"`
	Quantity     *float64 `json:"quantity" minimum:"0" maximum:"999999999999.99"`
	Unit         *string  `json:"unit" validate:"max=100"`
	PeriodStart  *string  `json:"period_start" format:"date" validate:"max=10"`
	PeriodEnd    *string  `json:"period_end" format:"date" validate:"max=10"`
	DistrictID   *string  `json:"district_id" format:"uuid" validate:"max=36"`
	ValuationOre *int64   `json:"valuation_ore" format:"int64" minimum:"0" maximum:"1000000000000000"`
	Currency     *string  `json:"currency" enums:"SEK,EUR"`
} // @name UpdateCommitment

type commitmentRow struct {
	ID            string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID string
	PartyID       string
	Direction     string
	Kind          string
	Description   string
	Quantity      *float64
	Unit          string
	PeriodStart   *time.Time
	PeriodEnd     *time.Time
	DistrictID    *string
	ValuationOre  *int64
	Currency      string
	RecordedBy    *string `gorm:"->"` // the scope's tenant by default
	Version       int     `gorm:"default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

func (commitmentRow) TableName() string { return "commitments" }

func toCommitment(r commitmentRow) Commitment {
	return Commitment{ID: r.ID, PartnershipID: r.PartnershipID, PartyID: r.PartyID, Direction: r.Direction, Kind: r.Kind,
		Description: r.Description, Quantity: r.Quantity, Unit: r.Unit, PeriodStart: dates.Format(r.PeriodStart),
		PeriodEnd: dates.Format(r.PeriodEnd), DistrictID: deref(r.DistrictID), ValuationOre: r.ValuationOre,
		Currency: r.Currency, RecordedBy: deref(r.RecordedBy), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func checkCommitment(f *problem.Fields, r commitmentRow) {
	f.OneOf("direction", r.Direction, codelists.CommitmentDirections.Codes())
	f.OneOf("kind", r.Kind, codelists.CommitmentKinds.Codes())
	f.Text("description", r.Description, false, 2000)
	f.Text("unit", r.Unit, false, 100)
	if r.Quantity != nil {
		f.Decimal("quantity", *r.Quantity, 0)
	}
	if r.ValuationOre != nil {
		f.Minor("valuation_ore", *r.ValuationOre, 0)
	}
	f.OneOf("currency", r.Currency, codelists.Currencies.Codes())
	dates.Order(f, "period_end", r.PeriodStart, r.PeriodEnd)
	if r.DistrictID != nil {
		f.IDs("district_id", *r.DistrictID)
	}
}
