package auth

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// APIClientResponse is an API client as the API shows it; never its secret.
type APIClientResponse struct {
	ID          string   `json:"id" format:"uuid"`
	ClientID    string   `json:"client_id" format:"uuid"`
	Name        string   `json:"name" example:"Stadsdelsförvaltning Angered – ärendesystem"`
	Scopes      []string `json:"scopes" example:"partnerships:read,reports:read"`
	DistrictIDs []string `json:"district_ids"`
	Disabled    bool     `json:"disabled"`
	// RateLimitPerMinute is the client's own limit of requests a minute;
	// null: the service's default (SAMVERKAN_RATE_LIMIT).
	RateLimitPerMinute *int      `json:"rate_limit_per_minute" extensions:"x-nullable"`
	Version            int       `json:"version"`
	CreatedAt          time.Time `json:"created_at" format:"date-time"`
	UpdatedAt          time.Time `json:"updated_at" format:"date-time"`
} // @name APIClient

// APIClientWithSecret is the answer to creating a client or rotating its
// secret: the only time the secret is shown.
type APIClientWithSecret struct {
	APIClientResponse
	ClientSecret string `json:"client_secret"`
} // @name APIClientWithSecret

// NewAPIClientRequest creates an API client.
type NewAPIClientRequest struct {
	Name        string   `json:"name" validate:"required,max=200"`
	Scopes      []string `json:"scopes" validate:"required,min=1" enums:"partnerships:read,partnerships:write,funding:read,funding:write,evaluation:read,evaluation:write,reports:read"`
	DistrictIDs []string `json:"district_ids,omitempty" format:"uuid" maxLength:"36"`
	// RateLimitPerMinute gives the client a limit of its own (1–10,000,000
	// requests a minute); absent or 0: the service's default.
	RateLimitPerMinute int `json:"rate_limit_per_minute,omitempty" format:"int32" minimum:"0" maximum:"10000000"`
} // @name NewAPIClient

// UpdateAPIClientRequest changes an API client; absent fields stay.
type UpdateAPIClientRequest struct {
	Name        *string   `json:"name" validate:"max=200"`
	Scopes      *[]string `json:"scopes" validate:"min=1" enums:"partnerships:read,partnerships:write,funding:read,funding:write,evaluation:read,evaluation:write,reports:read"`
	DistrictIDs *[]string `json:"district_ids" format:"uuid" maxLength:"36"`
	Disabled    *bool     `json:"disabled"`
	// RateLimitPerMinute sets the client's own limit; 0 returns it to the default.
	RateLimitPerMinute *int `json:"rate_limit_per_minute" format:"int32" minimum:"0" maximum:"10000000"`
} // @name UpdateAPIClient

func toClientResponse(r clientRow) APIClientResponse {
	return APIClientResponse{ID: r.ID, ClientID: r.ID, Name: r.Name, Scopes: nonNil(r.Scopes), DistrictIDs: nonNil(r.DistrictIDs),
		Disabled: r.Disabled, RateLimitPerMinute: r.RateLimit, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// MaxRateLimit is the largest limit a client may be given, a minute.
const MaxRateLimit = 10_000_000

// rateLimit is a client's limit as stored: nil for the default.
func rateLimit(f *problem.Fields, n int) *int {
	if n < 0 || n > MaxRateLimit {
		f.Add("rate_limit_per_minute", "out_of_range", "must be from 1 to 10000000 requests a minute, or 0 for the default")
		return nil
	}
	if n == 0 {
		return nil
	}
	return &n
}

func checkClient(f *problem.Fields, name string, scopes, districts []string) {
	f.Text("name", name, true, 200)
	if len(scopes) == 0 {
		f.Add("scopes", "required", "give the client at least one scope")
	}
	for _, s := range scopes {
		if !containsString(Scopes, s) {
			f.OneOf("scopes", s, Scopes)
			break
		}
	}
	checkUUIDs(f, "district_ids", districts)
}

// CreateClient adds an API client and returns its secret, once.
func (s *Service) CreateClient(ctx context.Context, by Principal, req NewAPIClientRequest) (APIClientWithSecret, error) {
	var f problem.Fields
	checkClient(&f, req.Name, req.Scopes, req.DistrictIDs)
	limit := rateLimit(&f, req.RateLimitPerMinute)
	if len(f) == 0 {
		if err := checkReferences(ctx, s.refs, &f, req.DistrictIDs, ""); err != nil {
			return APIClientWithSecret{}, err
		}
	}
	if err := f.Err(); err != nil {
		return APIClientWithSecret{}, err
	}
	secret := newSecret()
	r := clientRow{Name: req.Name, SecretHash: hashSecretHex(secret), Scopes: req.Scopes, DistrictIDs: req.DistrictIDs, RateLimit: limit}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: by.Actor(), Action: "api_client.create", EntityType: "api_client",
			EntityID: r.ID, After: toClientResponse(r)})
	})
	return APIClientWithSecret{APIClientResponse: toClientResponse(r), ClientSecret: secret}, err
}

// Client returns one API client.
func (s *Service) Client(ctx context.Context, id string) (APIClientResponse, error) {
	if !validID(id) {
		return APIClientResponse{}, problem.NotFound("API client")
	}
	r, err := s.store.client(ctx, id)
	return toClientResponse(r), err
}

// Clients lists API clients.
func (s *Service) Clients(ctx context.Context, page listing.Page) ([]APIClientResponse, string, error) {
	rows, err := s.store.clients(ctx, page)
	if err != nil {
		return nil, "", err
	}
	rows, next := listing.Cut(page, rows, func(r clientRow) (string, string) {
		if page.Sort == "created_at" {
			return listing.TimeValue(r.CreatedAt), r.ID
		}
		return r.Name, r.ID
	})
	out := make([]APIClientResponse, len(rows))
	for i, r := range rows {
		out[i] = toClientResponse(r)
	}
	return out, next, nil
}

// UpdateClient changes the named fields of a client at version.
func (s *Service) UpdateClient(ctx context.Context, by Principal, id string, version int, req UpdateAPIClientRequest) (APIClientResponse, error) {
	return s.changeClient(ctx, by, id, version, "api_client.update", func(r *clientRow, values map[string]any) error {
		if req.Name != nil {
			r.Name, values["name"] = *req.Name, *req.Name
		}
		if req.Scopes != nil {
			r.Scopes, values["scopes"] = *req.Scopes, database.Strings(*req.Scopes)
		}
		if req.DistrictIDs != nil {
			r.DistrictIDs, values["district_ids"] = *req.DistrictIDs, database.Strings(*req.DistrictIDs)
		}
		if req.Disabled != nil {
			r.Disabled, values["disabled"] = *req.Disabled, *req.Disabled
		}
		var f problem.Fields
		if req.RateLimitPerMinute != nil {
			r.RateLimit = rateLimit(&f, *req.RateLimitPerMinute)
			values["rate_limit_per_minute"] = r.RateLimit
		}
		checkClient(&f, r.Name, r.Scopes, r.DistrictIDs)
		if len(f) == 0 && req.DistrictIDs != nil {
			if err := checkReferences(ctx, s.refs, &f, r.DistrictIDs, ""); err != nil {
				return err
			}
		}
		return f.Err()
	})
}

// RotateSecret gives a client a new secret, returned once; the old one stops
// working at once.
func (s *Service) RotateSecret(ctx context.Context, by Principal, id string, version int) (APIClientWithSecret, error) {
	secret := newSecret()
	c, err := s.changeClient(ctx, by, id, version, "api_client.rotate_secret", func(r *clientRow, values map[string]any) error {
		values["secret_hash"] = hashSecretHex(secret)
		return nil
	})
	return APIClientWithSecret{APIClientResponse: c, ClientSecret: secret}, err
}

func (s *Service) changeClient(ctx context.Context, by Principal, id string, version int, action string,
	apply func(r *clientRow, values map[string]any) error) (APIClientResponse, error) {
	if !validID(id) {
		return APIClientResponse{}, problem.NotFound("API client")
	}
	var out APIClientResponse
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		st := s.store.with(tx)
		r, err := st.client(ctx, id)
		if err != nil {
			return err
		}
		before := toClientResponse(r)
		values := map[string]any{}
		if err := apply(&r, values); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[APIClientResponse]{
			Table: "api_clients", Entity: "API client", ID: id, Version: version, Values: values,
			Load:  audit.Reload(tx, toClientResponse),
			Event: audit.Event{Actor: by.Actor(), Action: action, EntityType: "api_client", Before: before},
		})
	})
	return out, err
}

// ETagVersion is the version behind the client's ETag.
func (c APIClientResponse) ETagVersion() int { return c.Version }
