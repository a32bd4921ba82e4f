// Package opendata publishes the allocations of partnerships flagged public
// as open data in the 360Giving Data Standard (1.4.3), as JSON and CSV,
// without authentication: of every tenant, or of one.
package opendata

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Package is a 360Giving data package.
type Package struct {
	Version     string  `json:"version" example:"1.4"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	License     string  `json:"license,omitempty"`
	Grants      []Grant `json:"grants"`
} // @name GivingPackage

// Grant is one allocation as a 360Giving grant.
type Grant struct {
	ID                    string      `json:"id" example:"360G-samverkan-2c4f…"`
	Title                 string      `json:"title"`
	Description           string      `json:"description"`
	Currency              string      `json:"currency" example:"SEK"`
	AmountAppliedFor      *Amount     `json:"amountAppliedFor,omitempty" swaggertype:"number"`
	AmountAwarded         Amount      `json:"amountAwarded" swaggertype:"number" example:"300000"`
	AwardDate             string      `json:"awardDate" example:"2015-01-01"`
	PlannedDates          []Event     `json:"plannedDates,omitempty"`
	RecipientOrganization []Org       `json:"recipientOrganization"`
	FundingOrganization   []Org       `json:"fundingOrganization"`
	BeneficiaryLocation   []Location  `json:"beneficiaryLocation,omitempty"`
	GrantProgramme        []Programme `json:"grantProgramme,omitempty"`
	DateModified          string      `json:"dateModified"`
} // @name GivingGrant

// Org is an organisation in 360Giving, identified by its organisationsnummer
// (SE-BLV-…) where it has one.
type Org struct {
	ID   string `json:"id" example:"SE-BLV-2120001355"`
	Name string `json:"name" example:"Göteborgs Stad"`
} // @name GivingOrganization

// Event is a planned period.
type Event struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
} // @name GivingEvent

// Location is a beneficiary district.
type Location struct {
	Name        string `json:"name" example:"Västra Göteborg"`
	CountryCode string `json:"countryCode" example:"SE"`
} // @name GivingLocation

// Programme is the funding source a grant came from.
type Programme struct {
	Code  string `json:"code"`
	Title string `json:"title"`
} // @name GivingProgramme

// Service builds the open-data package.
type Service struct {
	db     *gorm.DB
	prefix string
}

// NewService returns the open-data service; prefix begins identifiers
// minted here (a registered 360Giving prefix in production).
func NewService(db *gorm.DB, prefix string) *Service {
	if prefix == "" {
		prefix = "360G-samverkan"
	}
	return &Service{db: db, prefix: prefix}
}

type row struct {
	ID              string
	Title           string
	Purpose         string
	Currency        string
	AppliedOre      *int64
	GrantedOre      int64
	DecisionDate    *time.Time
	FiscalYear      int
	PeriodStart     *time.Time
	PeriodEnd       *time.Time
	RecipientID     string
	RecipientName   string
	RecipientNumber *string
	RecipientForm   string
	FunderID        *string
	FunderName      *string
	FunderNumber    *string
	SourceID        string
	SourceName      string
	Districts       string
	UpdatedAt       time.Time
}

// Grants are the granted allocations of public partnerships, in one query:
// of every tenant, or of the tenant whose kommunkod or region code is
// tenant. The award date is the decision date; where none was recorded,
// the start of the period, else the first day of the fiscal year
// (docs/open-data.md).
//
// Open data belongs to no tenant: the query reads across tenants (the
// platform's scope), and its own conditions (public partnerships, granted
// allocations) are all that decides what is published.
func (s *Service) Grants(ctx context.Context, tenant string) ([]Grant, error) {
	var rows []row
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var of any // no tenant: every tenant's
		if tenant != "" {
			var id string
			if err := s.db.WithContext(ctx).Raw("SELECT id::text FROM tenants WHERE code = ?", tenant).Scan(&id).Error; err != nil {
				return err
			}
			if id == "" {
				var f problem.Fields
				f.Add("tenant", "unknown", "no tenant has this kommunkod or region code")
				return f.Err()
			}
			of = id
		}
		return s.db.WithContext(ctx).Raw(`
		SELECT a.id, p.title, p.purpose, a.currency, a.applied_ore, a.granted_ore, a.decision_date, a.fiscal_year,
		       coalesce(a.period_start, p.start_date) AS period_start, coalesce(a.period_end, p.end_date) AS period_end,
		       r.id AS recipient_id, r.name AS recipient_name, r.org_number AS recipient_number, r.legal_form AS recipient_form,
		       coalesce(fo.id, ow.id) AS funder_id, coalesce(fo.name, ow.name) AS funder_name, coalesce(fo.org_number, ow.org_number) AS funder_number,
		       fs.id AS source_id, fs.name AS source_name,
		       coalesce((SELECT string_agg(d.name, ';' ORDER BY d.name) FROM districts d WHERE d.id = ANY(p.district_ids)), '') AS districts,
		       a.updated_at
		FROM allocations a
		JOIN partnerships p ON p.id = a.partnership_id
		JOIN organisations r ON r.id = a.recipient_organisation_id
		JOIN funding_sources fs ON fs.id = a.source_id
		LEFT JOIN organisations fo ON fo.id = fs.provider_organisation_id
		LEFT JOIN organisations ow ON ow.id = p.owner_organisation_id
		WHERE p.public AND p.archived_at IS NULL AND a.archived_at IS NULL AND a.status = 'granted' AND a.granted_ore IS NOT NULL
		  AND (?::uuid IS NULL OR coalesce(a.recorded_by, a.tenant_id) = ?::uuid) -- the grantor: who recorded the grant
		ORDER BY a.fiscal_year, p.title, a.id`, of, of).Scan(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]Grant, 0, len(rows))
	for _, r := range rows {
		g := Grant{ID: s.prefix + "-" + r.ID, Title: r.Title, Description: r.Purpose, Currency: r.Currency,
			AmountAwarded: Amount(r.GrantedOre), DateModified: r.UpdatedAt.UTC().Format(time.RFC3339)}
		if g.Description == "" {
			g.Description = r.Title
		}
		if r.AppliedOre != nil {
			v := Amount(*r.AppliedOre)
			g.AmountAppliedFor = &v
		}
		switch {
		case r.DecisionDate != nil:
			g.AwardDate = r.DecisionDate.Format(time.DateOnly)
		case r.PeriodStart != nil:
			g.AwardDate = r.PeriodStart.Format(time.DateOnly)
		default:
			g.AwardDate = time.Date(r.FiscalYear, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		if r.PeriodStart != nil || r.PeriodEnd != nil {
			e := Event{}
			if r.PeriodStart != nil {
				e.StartDate = r.PeriodStart.Format(time.DateOnly)
			}
			if r.PeriodEnd != nil {
				e.EndDate = r.PeriodEnd.Format(time.DateOnly)
			}
			g.PlannedDates = []Event{e}
		}
		recipient := Org{ID: s.orgID(r.RecipientID, r.RecipientNumber, r.RecipientForm), Name: r.RecipientName}
		g.RecipientOrganization = []Org{recipient}
		funder := Org{ID: s.prefix + "-source-" + r.SourceID, Name: r.SourceName}
		if r.FunderID != nil {
			funder = Org{ID: s.orgID(*r.FunderID, r.FunderNumber, ""), Name: *r.FunderName}
		}
		g.FundingOrganization = []Org{funder}
		for _, d := range strings.Split(r.Districts, ";") {
			if d != "" {
				g.BeneficiaryLocation = append(g.BeneficiaryLocation, Location{Name: d, CountryCode: "SE"})
			}
		}
		g.GrantProgramme = []Programme{{Code: r.SourceID, Title: r.SourceName}}
		out = append(out, g)
	}
	return out, nil
}

// orgID identifies an organisation by organisationsnummer in the org-id.guide
// list SE-BLV; a sole trader's number is a personnummer and is never
// published, nor is the id of an organisation without one beyond our prefix.
func (s *Service) orgID(id string, number *string, legalForm string) string {
	if number != nil && *number != "" && legalForm != "enskild_firma" {
		return "SE-BLV-" + strings.ReplaceAll(*number, "-", "")
	}
	return s.prefix + "-org-" + id
}

// Package wraps the grants (of every tenant, or of tenant, as Grants has
// them) as a 360Giving data package.
func (s *Service) Package(ctx context.Context, tenant string) (Package, error) {
	grants, err := s.Grants(ctx, tenant)
	return Package{Version: "1.4", Title: "Samverkan: bidrag och ersättningar i offentliga samverkan",
		Description: "Tilldelningar till partnerskap som är markerade som offentliga, enligt 360Giving Data Standard 1.4.",
		License:     "https://creativecommons.org/licenses/by/4.0/", Grants: grants}, err
}

// SuppressSmall hides counts of people under five in anything public.
func SuppressSmall(n int) *int {
	if n < 5 {
		return nil
	}
	return &n
}

// Amount is money in öre, written in the currency's main unit as 360Giving
// wants it ("300000", "3000.5") with integer arithmetic only.
type Amount int64

func (a Amount) String() string {
	v, sign := int64(a), ""
	if v < 0 {
		v, sign = -v, "-"
	}
	if v%100 == 0 {
		return sign + strconv.FormatInt(v/100, 10)
	}
	return strings.TrimRight(fmt.Sprintf("%s%d.%02d", sign, v/100, v%100), "0")
}

// MarshalJSON writes the amount as a JSON number.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }
