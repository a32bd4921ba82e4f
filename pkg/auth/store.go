package auth

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

type userRow struct {
	ID             string  `gorm:"primaryKey;default:gen_random_uuid()"`
	TenantID       *string `gorm:"default:samverkan_tenant()"`
	Email          string
	Name           string
	PasswordHash   string
	Role           string
	OrganisationID *string
	DistrictIDs    database.Strings `gorm:"type:uuid[]"`
	Disabled       bool
	Version        int `gorm:"default:1"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (userRow) TableName() string { return "users" }

func toUser(r userRow) User {
	u := User{ID: r.ID, TenantID: deref(r.TenantID), Email: r.Email, Name: r.Name, Role: Role(r.Role), DistrictIDs: r.DistrictIDs,
		Disabled: r.Disabled, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.OrganisationID != nil {
		u.OrganisationID = *r.OrganisationID
	}
	return u
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type clientRow struct {
	ID          string `gorm:"primaryKey;default:gen_random_uuid()"`
	TenantID    string `gorm:"->"`
	Name        string
	SecretHash  string
	Scopes      database.Strings `gorm:"type:text[]"`
	DistrictIDs database.Strings `gorm:"type:uuid[]"`
	Disabled    bool
	RateLimit   *int `gorm:"column:rate_limit_per_minute"`
	Version     int  `gorm:"default:1"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (clientRow) TableName() string { return "api_clients" }

type refreshRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	FamilyID  string
	TokenHash []byte
	UserID    string
	TenantID  *string
	IssuedAt  time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

// store is the auth area's access to PostgreSQL.
type store struct{ db *gorm.DB }

func (s store) with(tx *gorm.DB) store { return store{db: tx} }

func (s store) userByEmail(ctx context.Context, email string) (userRow, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&r).Error
	return r, err
}

// user loads a user of the tenant (of any, in the platform's scope:
// sign-in and tokens).
func (s store) user(ctx context.Context, id string) (userRow, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Where(database.OfTenant(ctx, "tenant_id")).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("user")
	}
	return r, err
}

var userSorts = map[string]listing.SortKey{
	"email":      {Column: "email"},
	"name":       {Column: "name"},
	"created_at": {Column: "created_at", Cast: "timestamptz"},
}

func (s store) users(ctx context.Context, page listing.Page, role string) ([]userRow, error) {
	q := s.db.WithContext(ctx).Model(&userRow{}).Where(database.OfTenant(ctx, "tenant_id"))
	if role != "" {
		q = q.Where("role = ?", role)
	}
	var rows []userRow
	err := page.Apply(q, "id").Find(&rows).Error
	return rows, err
}

func (s store) countUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Count(&n).Error
	return n, err
}

// client loads an API client of the tenant (of any, in the platform's
// scope: tokens).
func (s store) client(ctx context.Context, id string) (clientRow, error) {
	var r clientRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Where(database.OfTenant(ctx, "tenant_id")).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("API client")
	}
	return r, err
}

var clientSorts = map[string]listing.SortKey{
	"name":       {Column: "name"},
	"created_at": {Column: "created_at", Cast: "timestamptz"},
}

func (s store) clients(ctx context.Context, page listing.Page) ([]clientRow, error) {
	var rows []clientRow
	err := page.Apply(s.db.WithContext(ctx).Model(&clientRow{}).Where(database.OfTenant(ctx, "tenant_id")), "id").Find(&rows).Error
	return rows, err
}

func (s store) insertRefresh(ctx context.Context, familyID string, u User, hash []byte, ttl time.Duration) error {
	now := time.Now().UTC()
	r := refreshRow{FamilyID: familyID, UserID: u.ID, TokenHash: hash, IssuedAt: now, ExpiresAt: now.Add(ttl)}
	if u.TenantID != "" {
		r.TenantID = &u.TenantID
	}
	return s.db.WithContext(ctx).Create(&r).Error
}

// useRefresh marks a live refresh token used, atomically: of two parallel
// uses, one gets the row and the other none.
func (s store) useRefresh(ctx context.Context, hash []byte) (refreshRow, bool, error) {
	var r refreshRow
	res := s.db.WithContext(ctx).Raw(`UPDATE refresh_tokens SET used_at = now()
		WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
		RETURNING *`, hash).Scan(&r)
	return r, res.RowsAffected == 1, res.Error
}

func (s store) refreshByHash(ctx context.Context, hash []byte) (refreshRow, error) {
	var r refreshRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", hash).Take(&r).Error
	return r, err
}

func (s store) revokeFamily(ctx context.Context, familyID string) error {
	return s.db.WithContext(ctx).Exec(
		"UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL", familyID).Error
}

func (s store) revokeUserTokens(ctx context.Context, userID string) error {
	return s.db.WithContext(ctx).Exec(
		"UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ? AND revoked_at IS NULL", userID).Error
}
