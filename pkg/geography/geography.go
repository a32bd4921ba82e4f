// Package geography holds municipalities (by SCB kommunkod) and their
// districts, the places every other area is filtered by.
package geography

import (
	"regexp"
	"strings"
	"time"

	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Municipality is a Swedish kommun.
type Municipality struct {
	Code       string `json:"code" example:"1480"`
	Name       string `json:"name" example:"Göteborg"`
	CountyCode string `json:"county_code" example:"14"`
	// Abbreviation begins the municipality's partnership reference codes
	// (GBG-IOP-2016-004); without one, the first letters of the name are used.
	Abbreviation *string   `json:"abbreviation,omitempty" example:"GBG"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at" format:"date-time"`
	UpdatedAt    time.Time `json:"updated_at" format:"date-time"`
} // @name Municipality

// District is a stadsdel or stadsområde of a municipality.
type District struct {
	ID               string     `json:"id" format:"uuid" gorm:"primaryKey;default:gen_random_uuid()"`
	MunicipalityCode string     `json:"municipality_code" example:"1480"`
	Name             string     `json:"name" example:"Västra Göteborg"`
	ValidFrom        *time.Time `json:"-"`
	ValidTo          *time.Time `json:"-"`
	Version          int        `json:"version"`
	CreatedAt        time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt        time.Time  `json:"updated_at" format:"date-time"`
}

// TableName is the districts table.
func (District) TableName() string { return "districts" }

// TableName is the municipalities table.
func (Municipality) TableName() string { return "municipalities" }

// DistrictResponse is a district on the wire.
type DistrictResponse struct {
	ID               string    `json:"id" format:"uuid"`
	MunicipalityCode string    `json:"municipality_code" example:"1480"`
	Name             string    `json:"name" example:"Västra Göteborg"`
	ValidFrom        string    `json:"valid_from,omitempty" format:"date" example:"1990-01-01"`
	ValidTo          string    `json:"valid_to,omitempty" format:"date" example:"2020-12-31"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at" format:"date-time"`
	UpdatedAt        time.Time `json:"updated_at" format:"date-time"`
} // @name District

func toDistrictResponse(d District) DistrictResponse {
	return DistrictResponse{ID: d.ID, MunicipalityCode: d.MunicipalityCode, Name: d.Name,
		ValidFrom: dates.Format(d.ValidFrom), ValidTo: dates.Format(d.ValidTo),
		Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// NewMunicipalityRequest adds a municipality.
type NewMunicipalityRequest struct {
	// Code is the four-digit kommunkod; it begins with the county's code.
	Code string `json:"code" example:"1480" validate:"required,min=4,max=4"`
	Name string `json:"name" example:"Göteborg" validate:"required,max=200"`
	// CountyCode is the two-digit länskod.
	CountyCode string `json:"county_code" example:"14" validate:"required,min=2,max=2"`
	// Abbreviation is 2–5 capital letters A–Z.
	Abbreviation string `json:"abbreviation,omitempty" example:"GBG" validate:"max=5"`
} // @name NewMunicipality

// UpdateMunicipalityRequest renames a municipality or moves it to a county.
type UpdateMunicipalityRequest struct {
	Name *string `json:"name" validate:"max=200"`
	// CountyCode is the two-digit länskod.
	CountyCode *string `json:"county_code" example:"14" validate:"min=2,max=2"`
	// Abbreviation is 2–5 capital letters A–Z; "" removes it.
	Abbreviation *string `json:"abbreviation" example:"GBG" validate:"max=5"`
} // @name UpdateMunicipality

// NewDistrictRequest adds a district.
type NewDistrictRequest struct {
	MunicipalityCode string `json:"municipality_code" example:"1480" validate:"required,min=4,max=4"`
	Name             string `json:"name" example:"Lundby" validate:"required,max=200"`
	ValidFrom        string `json:"valid_from,omitempty" format:"date" maxLength:"10"`
	ValidTo          string `json:"valid_to,omitempty" format:"date" maxLength:"10"`
} // @name NewDistrict

// UpdateDistrictRequest changes a district; "" clears a date.
type UpdateDistrictRequest struct {
	Name      *string `json:"name" validate:"max=200"`
	ValidFrom *string `json:"valid_from" format:"date" maxLength:"10"`
	ValidTo   *string `json:"valid_to" format:"date" maxLength:"10"`
} // @name UpdateDistrict

var (
	abbrev  = regexp.MustCompile(`^[A-Z]{2,5}$`)
	lanskod = regexp.MustCompile(`^[0-9]{2}$`)
)

func checkMunicipality(f *problem.Fields, m Municipality) {
	f.Kommunkod("code", m.Code, true)
	f.Text("name", m.Name, true, 200)
	if !lanskod.MatchString(m.CountyCode) {
		f.Add("county_code", "invalid_code", "must be the two-digit länskod, e.g. 14")
	} else if len(m.Code) == 4 && m.Code[:2] != m.CountyCode {
		f.Add("county_code", "mismatch", "a kommunkod begins with its county's code")
	}
	if m.Abbreviation != nil && !abbrev.MatchString(*m.Abbreviation) {
		f.Add("abbreviation", "invalid_code", "must be 2–5 capital letters A–Z, e.g. GBG")
	}
}

func checkDistrict(f *problem.Fields, d District) {
	f.Text("name", d.Name, true, 200)
	if d.ValidFrom != nil && d.ValidTo != nil && d.ValidTo.Before(*d.ValidFrom) {
		f.Add("valid_to", "before_start", "must not be before valid_from")
	}
}

// ETagVersion is the version behind the municipality's ETag.
func (m Municipality) ETagVersion() int { return m.Version }

// ETagVersion is the version behind the district's ETag.
func (d DistrictResponse) ETagVersion() int { return d.Version }

// ReferencePrefix begins the municipality's reference codes: its
// abbreviation, or the first three letters of its name in capitals A–Z.
func (m Municipality) ReferencePrefix() string {
	if m.Abbreviation != nil {
		return *m.Abbreviation
	}
	var out []rune
	for _, r := range strings.ToUpper(m.Name) {
		switch r {
		case 'Å', 'Ä':
			r = 'A'
		case 'Ö':
			r = 'O'
		case 'É':
			r = 'E'
		}
		if r >= 'A' && r <= 'Z' {
			out = append(out, r)
		}
		if len(out) == 3 {
			break
		}
	}
	return string(out)
}
