package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Options tune sign-in.
type Options struct {
	Password           PasswordParams
	RefreshTTL         time.Duration
	MaxFailuresAccount int
	MaxFailuresAddress int
	FailureWindow      time.Duration
}

// Service is sign-in, tokens, users and API clients.
type Service struct {
	db     *gorm.DB
	store  store
	audit  *audit.Store
	tokens *Tokens
	refs   References
	opt    Options
	dummy  string // a hash to compare against when the account does not exist
}

// NewService builds the auth service.
func NewService(db *gorm.DB, tokens *Tokens, refs References, opt Options) *Service {
	dummy, _ := HashPassword("no such user, but take as long", opt.Password)
	return &Service{db: db, store: store{db: db}, audit: audit.NewStore(db), tokens: tokens, refs: refs, opt: opt, dummy: dummy}
}

// platform runs fn across tenants: sign-in and tokens find an account
// before its tenant is known.
func (s *Service) platform(ctx context.Context, fn func(ctx context.Context) error) error {
	return database.Within(ctx, s.db, database.PlatformScope, fn)
}

// TokenResponse is the answer of the token endpoint (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type" example:"Bearer"`
	ExpiresIn    int    `json:"expires_in" example:"900"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope" example:"partnerships:read reports:read"`
} // @name TokenResponse

const (
	actionSignIn       = "auth.sign_in"
	actionSignInFailed = "auth.sign_in_failed"
)

var errInvalidGrant = problem.New(400, "invalid_grant", "the e-mail address or password is wrong, or the account is disabled")

// SignIn checks a user's password and issues tokens. Too many failures for
// the account or from the address answer 429 before the password is checked.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (TokenResponse, error) {
	var out TokenResponse
	err := s.platform(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.signIn(ctx, email, password, ip)
		return err
	})
	return out, err
}

func (s *Service) signIn(ctx context.Context, email, password, ip string) (TokenResponse, error) {
	email = normaliseEmail(email)
	if email == "" || password == "" {
		return TokenResponse{}, problem.New(400, "invalid_request", "username and password are required")
	}
	if err := s.throttle(ctx, email, ip); err != nil {
		return TokenResponse{}, err
	}
	r, err := s.store.userByEmail(ctx, email)
	if err != nil && !database.IsNotFound(err) {
		return TokenResponse{}, err
	}
	hash := r.PasswordHash
	if hash == "" {
		hash = s.dummy
	}
	if !checkPassword(password, hash) || r.ID == "" || r.Disabled {
		failed := audit.Event{Actor: audit.Actor{Type: "anonymous"}, Action: actionSignInFailed, EntityType: "user", EntityID: email}
		if err := audit.Record(ctx, s.db, failed); err != nil {
			return TokenResponse{}, err
		}
		return TokenResponse{}, errInvalidGrant
	}
	u := toUser(r)
	var out TokenResponse
	err = database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		if out, err = s.issueUserTokens(ctx, s.store.with(tx), u, uuid.NewString()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: u.Principal().Actor(), Action: actionSignIn, EntityType: "user", EntityID: u.ID, TenantID: u.TenantID})
	})
	return out, err
}

func (s *Service) throttle(ctx context.Context, email, ip string) error {
	since := time.Now().UTC().Add(-s.opt.FailureWindow)
	checks := []struct {
		column, value string
		max           int
	}{{"entity_id", email, s.opt.MaxFailuresAccount}, {"ip", ip, s.opt.MaxFailuresAddress}}
	for _, c := range checks {
		if c.value == "" || c.max <= 0 {
			continue
		}
		n, oldest, err := s.audit.CountSince(ctx, actionSignInFailed, c.column, c.value, since)
		if err != nil {
			return err
		}
		if n >= c.max {
			wait := time.Until(oldest.Add(s.opt.FailureWindow))
			return problem.TooMany("too_many_sign_in_failures", "too many failed sign-ins; wait before trying again", wait)
		}
	}
	return nil
}

func (s *Service) issueUserTokens(ctx context.Context, st store, u User, familyID string) (TokenResponse, error) {
	p := u.Principal()
	access, err := s.tokens.Issue(p)
	if err != nil {
		return TokenResponse{}, err
	}
	refresh := newSecret()
	if err := st.insertRefresh(ctx, familyID, u, hashSecret(refresh), s.opt.RefreshTTL); err != nil {
		return TokenResponse{}, err
	}
	return TokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds()),
		RefreshToken: refresh, Scope: strings.Join(p.Scopes, " ")}, nil
}

var errInvalidRefresh = problem.New(400, "invalid_grant", "the refresh token is not valid; sign in again")

// Refresh rotates a refresh token. A token presented a second time revokes
// its whole family: whoever holds a copy can no longer use any of it.
func (s *Service) Refresh(ctx context.Context, token string) (TokenResponse, error) {
	var out TokenResponse
	err := s.platform(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.refresh(ctx, token)
		return err
	})
	return out, err
}

func (s *Service) refresh(ctx context.Context, token string) (TokenResponse, error) {
	if token == "" {
		return TokenResponse{}, problem.New(400, "invalid_request", "refresh_token is required")
	}
	hash := hashSecret(token)
	var out TokenResponse
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		st := s.store.with(tx)
		r, ok, err := st.useRefresh(ctx, hash)
		if err != nil {
			return err
		}
		if !ok {
			return errReuse
		}
		ur, err := st.user(ctx, r.UserID)
		if err != nil {
			return err
		}
		if ur.Disabled {
			return errInvalidRefresh
		}
		out, err = s.issueUserTokens(ctx, st, toUser(ur), r.FamilyID)
		return err
	})
	if errors.Is(err, errReuse) {
		// Outside the failed transaction: a used or revoked token revokes its family.
		if r, err := s.store.refreshByHash(ctx, hash); err == nil && r.UsedAt != nil {
			if err := s.store.revokeFamily(ctx, r.FamilyID); err != nil {
				return TokenResponse{}, err
			}
		}
		return TokenResponse{}, errInvalidRefresh
	}
	return out, err
}

var errReuse = errors.New("refresh token not live")

// Revoke ends the family of a refresh token (RFC 7009: unknown tokens are
// not an error).
func (s *Service) Revoke(ctx context.Context, token string) error {
	return s.platform(ctx, func(ctx context.Context) error { return s.revoke(ctx, token) })
}

func (s *Service) revoke(ctx context.Context, token string) error {
	r, err := s.store.refreshByHash(ctx, hashSecret(token))
	if database.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.revokeFamily(ctx, r.FamilyID)
}

var errInvalidClient = problem.Unauthenticated("invalid_client", "the client id or secret is wrong, or the client is disabled")

// ClientToken issues an access token to an API client (client credentials).
// scope, if given, narrows the client's scopes.
func (s *Service) ClientToken(ctx context.Context, clientID, secret, scope string) (TokenResponse, error) {
	var out TokenResponse
	err := s.platform(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.clientToken(ctx, clientID, secret, scope)
		return err
	})
	return out, err
}

func (s *Service) clientToken(ctx context.Context, clientID, secret, scope string) (TokenResponse, error) {
	if uuid.Validate(clientID) != nil || secret == "" {
		return TokenResponse{}, errInvalidClient
	}
	r, err := s.store.client(ctx, clientID)
	var nf *problem.Error
	if errors.As(err, &nf) {
		return TokenResponse{}, errInvalidClient
	}
	if err != nil {
		return TokenResponse{}, err
	}
	if r.Disabled || !secretMatches(secret, r.SecretHash) {
		return TokenResponse{}, errInvalidClient
	}
	scopes := []string(r.Scopes)
	if scope != "" {
		scopes = nil
		for _, sc := range strings.Fields(scope) {
			if !containsString(r.Scopes, sc) {
				return TokenResponse{}, problem.New(400, "invalid_scope", "the client does not hold the scope "+sc)
			}
			scopes = append(scopes, sc)
		}
	}
	p := Principal{Kind: KindClient, ID: r.ID, TenantID: r.TenantID, Scopes: scopes, DistrictIDs: r.DistrictIDs}
	if r.RateLimit != nil {
		p.RateLimit = *r.RateLimit
	}
	access, err := s.tokens.Issue(p)
	if err != nil {
		return TokenResponse{}, err
	}
	return TokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds()),
		Scope: strings.Join(scopes, " ")}, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
