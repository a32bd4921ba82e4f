package auth

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// User is a person who signs in to Samverkan.
type User struct {
	ID             string
	TenantID       string // "" for a platform operator
	Email          string
	Name           string
	Role           Role
	OrganisationID string
	DistrictIDs    []string
	Disabled       bool
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Principal is the user as an access token describes them.
func (u User) Principal() Principal {
	return Principal{Kind: KindUser, ID: u.ID, TenantID: u.TenantID, Role: u.Role, Scopes: RoleScopes(u.Role),
		DistrictIDs: u.DistrictIDs, OrganisationID: u.OrganisationID}
}

// UserResponse is a user as the API shows it.
type UserResponse struct {
	ID             string    `json:"id" format:"uuid"`
	Email          string    `json:"email" example:"utvecklingsledare@example.se"`
	Name           string    `json:"name" example:"Utvecklingsledare Västra Göteborg"`
	Role           string    `json:"role" enums:"admin,editor,district_editor,viewer,reporter"`
	OrganisationID string    `json:"organisation_id,omitempty" format:"uuid"`
	DistrictIDs    []string  `json:"district_ids"`
	Disabled       bool      `json:"disabled"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at" format:"date-time"`
	UpdatedAt      time.Time `json:"updated_at" format:"date-time"`
} // @name User

func toUserResponse(u User) UserResponse {
	return UserResponse{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), OrganisationID: u.OrganisationID,
		DistrictIDs: nonNil(u.DistrictIDs), Disabled: u.Disabled, Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// NewUserRequest creates a user.
type NewUserRequest struct {
	Email    string `json:"email" example:"controller@example.se" format:"email" validate:"required,max=254"`
	Name     string `json:"name" example:"Controller Angered" validate:"required,max=200"`
	Role     string `json:"role" enums:"admin,editor,district_editor,viewer,reporter" validate:"required"`
	Password string `json:"password" example:"minst-tolv-tecken" validate:"required,min=12,max=256"`
	// OrganisationID is required for a reporter, and only allowed for one.
	OrganisationID string `json:"organisation_id,omitempty" format:"uuid" maxLength:"36"`
	// DistrictIDs must name at least one district for a district editor.
	DistrictIDs []string `json:"district_ids,omitempty" format:"uuid" maxLength:"36"`
} // @name NewUser

// UpdateUserRequest changes a user; absent fields stay as they are.
type UpdateUserRequest struct {
	Name           *string   `json:"name" validate:"max=200"`
	Role           *string   `json:"role" enums:"admin,editor,district_editor,viewer,reporter"`
	Password       *string   `json:"password" validate:"min=12,max=256"`
	OrganisationID *string   `json:"organisation_id" format:"uuid" maxLength:"36"`
	DistrictIDs    *[]string `json:"district_ids" format:"uuid" maxLength:"36"`
	Disabled       *bool     `json:"disabled"`
} // @name UpdateUser

// MinPasswordLength is the shortest password accepted (NIST SP 800-63B asks
// for at least 8; we ask for more since there is no second factor yet).
const MinPasswordLength = 12

func checkPasswordRule(f *problem.Fields, pw string) {
	if n := len([]rune(pw)); n < MinPasswordLength || n > 256 {
		f.Add("password", "weak_password", "must be 12 to 256 characters")
	}
}

func roleNames() []string {
	out := make([]string, len(Roles))
	for i, r := range Roles {
		out[i] = string(r)
	}
	return out
}

// checkUser checks the rules a whole user must satisfy.
func checkUser(f *problem.Fields, u User) {
	f.Text("name", u.Name, true, 200)
	f.OneOf("role", string(u.Role), roleNames())
	if u.Role == RoleReporter && u.OrganisationID == "" {
		f.Add("organisation_id", "required", "a reporter speaks for one organisation")
	}
	if u.Role != RoleReporter && u.OrganisationID != "" {
		f.Add("organisation_id", "not_allowed", "only reporters are bound to an organisation")
	}
	if u.Role == RoleDistrictEditor && len(u.DistrictIDs) == 0 {
		f.Add("district_ids", "required", "a district editor works in at least one district")
	}
	checkUUIDs(f, "district_ids", u.DistrictIDs)
	if u.OrganisationID != "" && uuid.Validate(u.OrganisationID) != nil {
		f.Add("organisation_id", "invalid_id", "must be a UUID")
	}
}

func checkUUIDs(f *problem.Fields, field string, ids []string) {
	for _, id := range ids {
		if uuid.Validate(id) != nil {
			f.Add(field, "invalid_id", "must hold UUIDs")
			return
		}
	}
}

// References checks that ids named by users and clients exist elsewhere.
type References interface {
	// MissingDistricts returns those of ids that name no district.
	MissingDistricts(ctx context.Context, ids []string) ([]string, error)
	// OrganisationExists reports whether id names an organisation.
	OrganisationExists(ctx context.Context, id string) (bool, error)
}

func checkReferences(ctx context.Context, refs References, f *problem.Fields, districtIDs []string, orgID string) error {
	if len(districtIDs) > 0 {
		missing, err := refs.MissingDistricts(ctx, districtIDs)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			f.Add("district_ids", "not_found", "no such district: "+strings.Join(missing, ", "))
		}
	}
	if orgID != "" {
		ok, err := refs.OrganisationExists(ctx, orgID)
		if err != nil {
			return err
		}
		if !ok {
			f.Add("organisation_id", "not_found", "no such organisation")
		}
	}
	return nil
}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// ETagVersion is the version behind the user's ETag.
func (u UserResponse) ETagVersion() int { return u.Version }
