package funding

import (
	"regexp"
	"time"

	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// ExchangeRate is what one unit of a currency was worth in SEK in a year
// (the annual average), used to compare amounts with ceilings in EUR.
type ExchangeRate struct {
	Year       int       `json:"year" example:"2015"`
	Currency   string    `json:"currency" example:"EUR"`
	SEKPerUnit string    `json:"sek_per_unit" example:"9.3535"`
	Source     string    `json:"source,omitempty" example:"Riksbanken, årsgenomsnitt"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at" format:"date-time"`
	UpdatedAt  time.Time `json:"updated_at" format:"date-time"`
} // @name ExchangeRate

// TableName is the rates table.
func (ExchangeRate) TableName() string { return "exchange_rates" }

// ETagVersion is the version behind the rate's ETag.
func (r ExchangeRate) ETagVersion() int { return r.Version }

// ExchangeRateRequest sets a year's rate.
type ExchangeRateRequest struct {
	Year     int    `json:"year" example:"2015" validate:"required" format:"int32" minimum:"1990" maximum:"2100"`
	Currency string `json:"currency" example:"EUR" validate:"required" enums:"EUR"`
	// SEKPerUnit is a positive decimal: 1–6 digits, optionally a point and
	// 1–6 decimals.
	SEKPerUnit string `json:"sek_per_unit" example:"9.3535" validate:"required,min=1,max=13"`
	Source     string `json:"source,omitempty" validate:"max=200"`
} // @name ExchangeRateRequest

var decimalRate = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,6})?$`)

func checkRate(f *problem.Fields, r ExchangeRate) {
	if r.Year < 1990 || r.Year > 2100 {
		f.Add("year", "out_of_range", "must be a year from 1990 to 2100")
	}
	f.OneOf("currency", r.Currency, []string{"EUR"})
	if !decimalRate.MatchString(r.SEKPerUnit) || r.SEKPerUnit == "0" || r.SEKPerUnit == "0.0" {
		f.Add("sek_per_unit", "invalid_decimal", "must be a positive decimal as a string, such as \"11.4765\"")
	}
	f.Text("source", r.Source, false, 200)
}

// Rule is a ceiling or threshold with the dates it applies between. Amounts
// are in cents of Currency (EUR).
type Rule struct {
	ID            string    `json:"id" format:"uuid"`
	Code          string    `json:"code" example:"sgei_de_minimis"`
	Name          string    `json:"name" example:"SGEI de minimis"`
	AmountCents   int64     `json:"amount_cents" example:"75000000"`
	Currency      string    `json:"currency" example:"EUR"`
	WindowYears   int       `json:"window_years" example:"3"`
	WindowKind    string    `json:"window_kind" enums:"rolling,fiscal_years,none"`
	WarnAtPercent int       `json:"warn_at_percent" example:"80"`
	Block         bool      `json:"block"`
	LegalBasis    string    `json:"legal_basis,omitempty" example:"Regulation (EU) 2023/2832"`
	EffectiveFrom string    `json:"effective_from" format:"date" example:"2024-01-01"`
	EffectiveTo   string    `json:"effective_to,omitempty" format:"date"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at" format:"date-time"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time"`
} // @name Rule

// ETagVersion is the version behind the rule's ETag.
func (r Rule) ETagVersion() int { return r.Version }

type ruleRow struct {
	ID            string `gorm:"primaryKey;default:gen_random_uuid()"`
	Code          string
	Name          string
	AmountCents   int64
	Currency      string
	WindowYears   int
	WindowKind    string
	WarnAtPercent int
	Block         bool
	LegalBasis    string
	EffectiveFrom time.Time
	EffectiveTo   *time.Time
	Version       int `gorm:"default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (ruleRow) TableName() string { return "rules" }

func toRule(r ruleRow) Rule {
	return Rule{ID: r.ID, Code: r.Code, Name: r.Name, AmountCents: r.AmountCents, Currency: r.Currency, WindowYears: r.WindowYears,
		WindowKind: r.WindowKind, WarnAtPercent: r.WarnAtPercent, Block: r.Block, LegalBasis: r.LegalBasis,
		EffectiveFrom: r.EffectiveFrom.Format(time.DateOnly), EffectiveTo: dates.Format(r.EffectiveTo),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// RuleRequest creates a rule, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type RuleRequest struct {
	// Code is lower-case letters, digits and _.
	Code          *string `json:"code" example:"sgei_de_minimis" validate:"required,min=1,max=64"`
	Name          *string `json:"name" validate:"required,max=200"`
	AmountCents   *int64  `json:"amount_cents" validate:"required" format:"int64" minimum:"1" maximum:"1000000000000000"`
	WindowYears   *int    `json:"window_years" format:"int32" minimum:"1" maximum:"10"`
	WindowKind    *string `json:"window_kind" enums:"rolling,fiscal_years,none"`
	WarnAtPercent *int    `json:"warn_at_percent" format:"int32" minimum:"1" maximum:"100"`
	Block         *bool   `json:"block"`
	LegalBasis    *string `json:"legal_basis" validate:"max=500"`
	EffectiveFrom *string `json:"effective_from" format:"date" validate:"required,max=10"`
	EffectiveTo   *string `json:"effective_to" format:"date" validate:"max=10"`
} // @name RuleRequest

var ruleCode = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

func checkRule(f *problem.Fields, r ruleRow) {
	if !ruleCode.MatchString(r.Code) {
		f.Add("code", "invalid_code", "lower-case letters, digits and _")
	}
	f.Text("name", r.Name, true, 200)
	f.Minor("amount_cents", r.AmountCents, 1)
	if r.WindowYears < 1 || r.WindowYears > 10 {
		f.Add("window_years", "out_of_range", "must be 1 to 10")
	}
	f.OneOf("window_kind", r.WindowKind, []string{"rolling", "fiscal_years", "none"})
	if r.WarnAtPercent < 1 || r.WarnAtPercent > 100 {
		f.Add("warn_at_percent", "out_of_range", "must be 1 to 100")
	}
	f.Text("legal_basis", r.LegalBasis, false, 500)
	if r.EffectiveFrom.IsZero() {
		f.Add("effective_from", "required", "is required")
	}
	if r.EffectiveTo != nil && r.EffectiveTo.Before(r.EffectiveFrom) {
		f.Add("effective_to", "before_start", "must not be before effective_from")
	}
}
