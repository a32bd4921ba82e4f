package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// accessType is the token type claim of access tokens; nothing else is
// accepted as one.
const accessType = "access"

// Claims are the claims of an access token.
type Claims struct {
	jwt.RegisteredClaims
	Type        string   `json:"typ"`
	Role        string   `json:"role,omitempty"`
	TenantID    string   `json:"tid,omitempty"`
	Scope       string   `json:"scope"`
	DistrictIDs []string `json:"districts,omitempty"`
	OrgID       string   `json:"org,omitempty"`
	RateLimit   int      `json:"rl,omitempty"` // requests a minute, for a client with a limit of its own
}

// Tokens signs and verifies access tokens with one Ed25519 key (EdDSA).
type Tokens struct {
	key      ed25519.PrivateKey
	kid      string
	issuer   string
	audience string
	ttl      time.Duration
	parser   *jwt.Parser
	now      func() time.Time
	verified verifiedCache
}

// leeway is the clock skew tolerated on exp, nbf and iat.
const leeway = 30 * time.Second

// verifiedCache remembers access tokens whose signature and claims have been
// checked, until they expire. Checking an Ed25519 signature costs tens of
// microseconds on every request; a client sends the same token for minutes.
// It holds at most verifiedMax tokens and is emptied when full.
type verifiedCache struct {
	mu sync.Mutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	p       Principal
	expires time.Time
}

const verifiedMax = 4096

func (v *verifiedCache) get(raw string, now time.Time) (Principal, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.m[raw]
	if !ok || !now.Before(e.expires) {
		return Principal{}, false
	}
	return e.p, true
}

func (v *verifiedCache) put(raw string, p Principal, expires time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= verifiedMax {
		v.m = make(map[string]verifiedToken, 64)
	}
	v.m[raw] = verifiedToken{p: p, expires: expires}
}

// NewTokens returns a signer for key with the given issuer, audience and
// access-token lifetime.
func NewTokens(key ed25519.PrivateKey, issuer, audience string, ttl time.Duration) *Tokens {
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	return &Tokens{
		key: key, kid: hex.EncodeToString(sum[:8]), issuer: issuer, audience: audience, ttl: ttl,
		now: time.Now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(leeway),
		),
	}
}

// TTL is how long an access token lives.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs an access token for p.
func (t *Tokens) Issue(p Principal) (string, error) {
	now := t.now().UTC()
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   string(p.Kind) + ":" + p.ID,
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		Type:        accessType,
		Role:        string(p.Role),
		TenantID:    p.TenantID,
		Scope:       strings.Join(p.Scopes, " "),
		DistrictIDs: p.DistrictIDs,
		OrgID:       p.OrganisationID,
		RateLimit:   p.RateLimit,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = t.kid
	return tok.SignedString(t.key)
}

// Verify checks an access token and returns its principal. Every failure is
// a 401 problem; the detail says which rule failed, never more.
func (t *Tokens) Verify(raw string) (Principal, error) {
	if p, ok := t.verified.get(raw, t.now()); ok {
		return p, nil
	}
	var c Claims
	_, err := t.parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		if kid, _ := tok.Header["kid"].(string); kid != t.kid {
			return nil, errors.New("unknown key id")
		}
		return t.key.Public(), nil
	})
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Principal{}, problem.Unauthenticated("token_expired", "the access token has expired; refresh it or sign in again")
	case err != nil:
		return Principal{}, problem.Unauthenticated("invalid_token", "the access token is not valid")
	case c.Type != accessType:
		return Principal{}, problem.Unauthenticated("invalid_token", "this is not an access token")
	}
	kind, id, ok := strings.Cut(c.Subject, ":")
	if !ok || (Kind(kind) != KindUser && Kind(kind) != KindClient) || uuid.Validate(id) != nil {
		return Principal{}, problem.Unauthenticated("invalid_token", "the access token has no valid subject")
	}
	if c.TenantID != "" && uuid.Validate(c.TenantID) != nil {
		return Principal{}, problem.Unauthenticated("invalid_token", "the access token has no valid tenant")
	}
	p := Principal{Kind: Kind(kind), ID: id, TenantID: c.TenantID, Role: Role(c.Role), DistrictIDs: c.DistrictIDs, OrganisationID: c.OrgID, RateLimit: c.RateLimit}
	if c.Scope != "" {
		p.Scopes = strings.Fields(c.Scope)
	}
	t.verified.put(raw, p, c.ExpiresAt.Add(leeway))
	return p, nil
}

// LoadOrCreateKey reads the Ed25519 signing key (PKCS #8 PEM) at path,
// creating it on first use.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, key, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
		if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
			return nil, fmt.Errorf("write signing key: %w", err)
		}
		return key, nil
	}
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s: not a PEM file", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: the signing key must be Ed25519", path)
	}
	return key, nil
}
