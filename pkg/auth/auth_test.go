package auth_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// form posts a form to the token endpoint.
func form(env *apptest.Env, path string, v url.Values, headers ...apptest.Header) apptest.Response {
	req := httptest.NewRequest("POST", path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	rec := httptest.NewRecorder()
	env.App.Server.Echo.ServeHTTP(rec, req)
	return apptest.Response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

func signIn(t *testing.T, env *apptest.Env, email, password string) (apptest.Response, auth.TokenResponse) {
	t.Helper()
	res := form(env, "/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {email}, "password": {password}})
	var tok auth.TokenResponse
	if res.Code == 200 {
		res.JSON(t, &tok)
	}
	return res, tok
}

func TestPasswordGrant(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleEditor)
	res, tok := signIn(t, env, strings.ToUpper(u.Email), apptest.Password)
	if res.Code != 200 || tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.ExpiresIn != 900 {
		t.Fatalf("sign-in: %d %s", res.Code, res.Body)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("token answer may be cached")
	}
	me := env.Do("GET", "/api/v1/me", tok.AccessToken, nil)
	var m auth.MeResponse
	me.JSON(t, &m)
	if m.ID != u.ID || m.Role != "editor" || m.User == nil || m.User.Email != u.Email {
		t.Fatalf("me: %s", me.Body)
	}
	// JSON is accepted too.
	res = env.Do("POST", "/api/v1/auth/token", "", map[string]string{"grant_type": "password", "username": u.Email, "password": apptest.Password})
	if res.Code != 200 {
		t.Fatalf("JSON sign-in: %d %s", res.Code, res.Body)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in' AND entity_id = ?", u.ID).Scan(&n)
	if n != 2 {
		t.Errorf("%d sign-in audit events, want 2", n)
	}
}

func TestPasswordGrantRefusals(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	disabled, _ := env.NewUser(auth.RoleViewer)
	off := true
	if _, err := env.App.Auth.UpdateUser(env.Context(), auth.System, disabled.ID, 1, auth.UpdateUserRequest{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		v      url.Values
		status int
		code   string
	}{
		{"wrong password", url.Values{"grant_type": {"password"}, "username": {u.Email}, "password": {"wrong-password-1"}}, 400, "invalid_grant"},
		{"unknown user", url.Values{"grant_type": {"password"}, "username": {"nobody@example.se"}, "password": {"whatever-123456"}}, 400, "invalid_grant"},
		{"disabled user", url.Values{"grant_type": {"password"}, "username": {disabled.Email}, "password": {apptest.Password}}, 400, "invalid_grant"},
		{"no password", url.Values{"grant_type": {"password"}, "username": {u.Email}}, 400, "invalid_request"},
		{"no grant", url.Values{}, 400, "invalid_request"},
		{"unknown grant", url.Values{"grant_type": {"implicit"}}, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		res := form(env, "/api/v1/auth/token", tt.v)
		if res.Code != tt.status || res.Problem(t).Code != tt.code {
			t.Errorf("%s: %d %s", tt.name, res.Code, res.Body)
		}
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE action = 'auth.sign_in_failed' AND entity_id IN (?, ?)", u.Email, "nobody@example.se").Scan(&n)
	if n != 2 {
		t.Errorf("%d failed sign-ins audited, want 2", n)
	}
}

func TestRepeatedFailuresAreThrottled(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	for i := 0; i < 5; i++ {
		if res, _ := signIn(t, env, u.Email, "wrong-password-1"); res.Code != 400 {
			t.Fatalf("attempt %d: %d", i, res.Code)
		}
	}
	res, _ := signIn(t, env, u.Email, apptest.Password) // even the right password now waits
	if res.Code != 429 || res.Header.Get("Retry-After") == "" || res.Problem(t).Code != "too_many_sign_in_failures" {
		t.Fatalf("after 5 failures: %d %s (Retry-After %q)", res.Code, res.Body, res.Header.Get("Retry-After"))
	}

	byAddress := apptest.New(t, func(c *config.Config) {
		c.SignInMaxFailuresPerAddress = 3
		c.TrustedProxies = []string{"192.0.2.0/24"} // httptest's peer address
	})
	for i := 0; i < 3; i++ {
		form(byAddress, "/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {apptest.Unique("x") + "@example.se"}, "password": {"wrong-password-1"}},
			apptest.H("X-Forwarded-For", "198.51.100.7"))
	}
	res = form(byAddress, "/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {"other@example.se"}, "password": {"wrong-password-1"}},
		apptest.H("X-Forwarded-For", "198.51.100.7"))
	if res.Code != 429 {
		t.Fatalf("after 3 failures from one address: %d", res.Code)
	}
}

func refresh(env *apptest.Env, token string) apptest.Response {
	return form(env, "/api/v1/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}})
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleEditor)
	_, first := signIn(t, env, u.Email, apptest.Password)
	res := refresh(env, first.RefreshToken)
	var second auth.TokenResponse
	res.JSON(t, &second)
	if res.Code != 200 || second.RefreshToken == first.RefreshToken {
		t.Fatalf("refresh: %d %s", res.Code, res.Body)
	}
	// The first token again: refused, and the whole family with it.
	if res := refresh(env, first.RefreshToken); res.Code != 400 || res.Problem(t).Code != "invalid_grant" {
		t.Fatalf("reuse: %d %s", res.Code, res.Body)
	}
	if res := refresh(env, second.RefreshToken); res.Code != 400 {
		t.Fatalf("the family survived reuse: %d", res.Code)
	}
	// An unrelated sign-in is untouched.
	_, other := signIn(t, env, u.Email, apptest.Password)
	if res := refresh(env, other.RefreshToken); res.Code != 200 {
		t.Fatalf("another sign-in's token: %d", res.Code)
	}
}

func TestParallelRefreshesAtMostOneSucceeds(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	_, tok := signIn(t, env, u.Email, apptest.Password)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = refresh(env, tok.RefreshToken).Code }()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		}
	}
	if ok > 1 {
		t.Fatalf("both parallel refreshes succeeded: %v", codes)
	}
}

func TestDisabledUserCannotRefresh(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	_, tok := signIn(t, env, u.Email, apptest.Password)
	off := true
	if _, err := env.App.Auth.UpdateUser(env.Context(), auth.System, u.ID, 1, auth.UpdateUserRequest{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if res := refresh(env, tok.RefreshToken); res.Code != 400 {
		t.Fatalf("refresh of a disabled user: %d", res.Code)
	}
}

func TestRevoke(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	_, tok := signIn(t, env, u.Email, apptest.Password)
	if res := form(env, "/api/v1/auth/revoke", url.Values{"token": {tok.RefreshToken}}); res.Code != 204 {
		t.Fatalf("revoke: %d %s", res.Code, res.Body)
	}
	if res := refresh(env, tok.RefreshToken); res.Code != 400 {
		t.Fatalf("refresh after revoke: %d", res.Code)
	}
	if res := form(env, "/api/v1/auth/revoke", url.Values{"token": {"unknown"}}); res.Code != 204 {
		t.Fatalf("revoke of an unknown token: %d", res.Code)
	}
	if res := form(env, "/api/v1/auth/revoke", url.Values{}); res.Code != 400 {
		t.Fatalf("revoke without token: %d", res.Code)
	}
}

func TestClientCredentials(t *testing.T) {
	env := apptest.New(t)
	id, secret, _ := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeReportsRead}, env.Districts["Lundby"])
	res := form(env, "/api/v1/auth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	var tok auth.TokenResponse
	res.JSON(t, &tok)
	if res.Code != 200 || tok.RefreshToken != "" || tok.Scope != "partnerships:read reports:read" {
		t.Fatalf("client token: %d %s", res.Code, res.Body)
	}
	me := env.Do("GET", "/api/v1/me", tok.AccessToken, nil)
	var m auth.MeResponse
	me.JSON(t, &m)
	if m.Kind != "api_client" || len(m.DistrictIDs) != 1 {
		t.Fatalf("me as client: %s", me.Body)
	}
	basic := httptest.NewRequest("POST", "/", nil)
	basic.SetBasicAuth(id, secret)
	res = form(env, "/api/v1/auth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"reports:read"}}, apptest.H("Authorization", basic.Header.Get("Authorization")))
	res.JSON(t, &tok)
	if res.Code != 200 || tok.Scope != "reports:read" {
		t.Fatalf("basic auth, narrowed: %d %s", res.Code, res.Body)
	}
	for name, v := range map[string]url.Values{
		"wrong secret":   {"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"nope"}},
		"unknown id":     {"grant_type": {"client_credentials"}, "client_id": {uuid.NewString()}, "client_secret": {secret}},
		"malformed id":   {"grant_type": {"client_credentials"}, "client_id": {"x' OR 1=1"}, "client_secret": {secret}},
		"scope it lacks": {"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"funding:write"}},
	} {
		res := form(env, "/api/v1/auth/token", v)
		if res.Code != 401 && !(name == "scope it lacks" && res.Code == 400) {
			t.Errorf("%s: %d %s", name, res.Code, res.Body)
		}
	}
	// A disabled client is refused at once.
	off := true
	if _, err := env.App.Auth.UpdateClient(env.Context(), auth.System, id, 1, auth.UpdateAPIClientRequest{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if res := form(env, "/api/v1/auth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}); res.Code != 401 {
		t.Fatalf("disabled client: %d", res.Code)
	}
}

func TestBadAccessTokensAre401(t *testing.T) {
	env := apptest.New(t)
	u, good := env.NewUser(auth.RoleAdmin)
	if res := env.Do("GET", "/api/v1/me", good, nil); res.Code != 200 {
		t.Fatalf("good token: %d", res.Code)
	}
	parsed, _, _ := jwt.NewParser().ParseUnverified(good, &auth.Claims{})
	kid := parsed.Header["kid"].(string)
	now := time.Now()
	claims := func(mod func(*auth.Claims)) *auth.Claims {
		c := &auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: env.Cfg.JWTIssuer, Subject: "user:" + u.ID,
			Audience: jwt.ClaimStrings{env.Cfg.JWTAudience}, ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now)}, Type: "access", Role: "admin"}
		mod(c)
		return c
	}
	sign := func(c *auth.Claims, method jwt.SigningMethod, key any, kid string) string {
		tok := jwt.NewWithClaims(method, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	pub := env.Key.Public().(ed25519.PublicKey)
	_, session := signIn(t, env, u.Email, apptest.Password)
	tests := map[string]string{
		"expired":          sign(claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour)) }), jwt.SigningMethodEdDSA, env.Key, kid),
		"past the leeway":  sign(claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-31 * time.Second)) }), jwt.SigningMethodEdDSA, env.Key, kid),
		"iat in future":    sign(claims(func(c *auth.Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) }), jwt.SigningMethodEdDSA, env.Key, kid),
		"wrong audience":   sign(claims(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"someone-else"} }), jwt.SigningMethodEdDSA, env.Key, kid),
		"wrong issuer":     sign(claims(func(c *auth.Claims) { c.Issuer = "evil" }), jwt.SigningMethodEdDSA, env.Key, kid),
		"no exp":           sign(claims(func(c *auth.Claims) { c.ExpiresAt = nil }), jwt.SigningMethodEdDSA, env.Key, kid),
		"nbf in future":    sign(claims(func(c *auth.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }), jwt.SigningMethodEdDSA, env.Key, kid),
		"not access type":  sign(claims(func(c *auth.Claims) { c.Type = "refresh" }), jwt.SigningMethodEdDSA, env.Key, kid),
		"no subject":       sign(claims(func(c *auth.Claims) { c.Subject = "" }), jwt.SigningMethodEdDSA, env.Key, kid),
		"unknown kid":      sign(claims(func(*auth.Claims) {}), jwt.SigningMethodEdDSA, env.Key, "other"),
		"other key":        sign(claims(func(*auth.Claims) {}), jwt.SigningMethodEdDSA, otherKey, kid),
		"HS256 public key": sign(claims(func(*auth.Claims) {}), jwt.SigningMethodHS256, []byte(pub), kid),
		"alg none":         sign(claims(func(*auth.Claims) {}), jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid),
		"refresh token":    session.RefreshToken,
	}
	for name, tok := range tests {
		res := env.Do("GET", "/api/v1/me", tok, nil)
		if res.Code != 401 {
			t.Errorf("%s: %d, want 401", name, res.Code)
			continue
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" || res.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: Content-Type %q, WWW-Authenticate %q", name, ct, res.Header.Get("WWW-Authenticate"))
		}
		if p := res.Problem(t); p.Code != "invalid_token" && p.Code != "token_expired" {
			t.Errorf("%s: code %s", name, p.Code)
		}
	}
	// Within the leeway (clock skew between replicas) a token still counts.
	if res := env.Do("GET", "/api/v1/me", sign(claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-10 * time.Second)) }),
		jwt.SigningMethodEdDSA, env.Key, kid), nil); res.Code != 200 {
		t.Errorf("expired ten seconds ago, inside the leeway: %d", res.Code)
	}
	res := env.Do("GET", "/api/v1/me", "", nil, apptest.H("Authorization", "Basic Zm9vOmJhcg=="))
	if res.Code != http.StatusUnauthorized {
		t.Errorf("basic auth on the API: %d", res.Code)
	}
}

func TestForwardedForIsIgnoredFromUntrustedPeers(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.SignInMaxFailuresPerAddress = 2 })
	for i := 0; i < 2; i++ {
		form(env, "/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {apptest.Unique("y") + "@example.se"}, "password": {"wrong-password-1"}},
			apptest.H("X-Forwarded-For", apptest.Unique("203.0.113.")))
	}
	// Spoofing a new address per attempt does not escape the limit.
	res := form(env, "/api/v1/auth/token", url.Values{"grant_type": {"password"}, "username": {"z@example.se"}, "password": {"wrong-password-1"}},
		apptest.H("X-Forwarded-For", "203.0.113.250"))
	if res.Code != 429 {
		t.Fatalf("spoofed X-Forwarded-For escaped throttling: %d", res.Code)
	}
}

// TestAccessTokensLiveAtMostFifteenMinutes: a disabled user or client is
// refused at once at the token endpoint (the tests above) and loses access
// when their last access token runs out, which is never more than fifteen
// minutes after it was issued.
func TestAccessTokensLiveAtMostFifteenMinutes(t *testing.T) {
	env := apptest.New(t)
	u, _ := env.NewUser(auth.RoleViewer)
	_, session := signIn(t, env, u.Email, apptest.Password)
	id, secret, _ := env.NewClient([]string{auth.ScopeReportsRead})
	for name, tok := range map[string]string{"user": session.AccessToken, "client": env.ClientToken(id, secret)} {
		var c auth.Claims
		if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
			t.Fatal(err)
		}
		if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life <= 0 || life > 15*time.Minute {
			t.Errorf("%s's access token lives %v", name, life)
		}
	}
	if _, err := config.Load(func(k string) string { return map[string]string{"SAMVERKAN_ACCESS_TOKEN_TTL": "16m"}[k] }, nil, nil); err == nil {
		t.Error("an access-token lifetime over fifteen minutes was accepted")
	}
}
