package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// TestTenMebibytesIsRefused: a body ten times the limit is refused before
// it is read, as 413 problem+json.
func TestTenMebibytesIsRefused(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	body := `{"name":"` + strings.Repeat("x", 10<<20) + `"}`
	for _, path := range []string{"/api/v1/organisations", "/api/v1/partnerships", "/api/v1/auth/token"} {
		res := env.Do("POST", path, admin, body)
		if res.Code != http.StatusRequestEntityTooLarge || res.Problem(t).Code != "body_too_large" {
			t.Errorf("POST %s with 10 MiB: %d %s", path, res.Code, res.Body[:min(len(res.Body), 200)])
		}
	}
}

// TestOneClientIsRateLimited sends 1,000 requests in well under a minute as
// one API client, against the default limit of 600 a minute.
func TestOneClientIsRateLimited(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.RateLimit = config.Default().RateLimit })
	_, _, client := env.NewClient([]string{auth.ScopePartnershipsRead})
	_, _, other := env.NewClient([]string{auth.ScopePartnershipsRead})
	ok, limited := 0, 0
	for range 1000 {
		res := env.Do("GET", "/api/v1/organisations?limit=1", client, nil)
		switch res.Code {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
			p := res.Problem(t)
			wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if p.Code != "rate_limited" || err != nil || wait < 1 || wait > 60 {
				t.Fatalf("429 without a usable Retry-After (%q) or code %q", res.Header.Get("Retry-After"), p.Code)
			}
		default:
			t.Fatalf("status %d: %s", res.Code, res.Body)
		}
	}
	// The limit is per fixed minute; a test that starts late in a minute
	// may see the next one begin and its count start again.
	if ok < 600 || ok > 1000 || limited == 0 {
		t.Fatalf("%d answered, %d limited; want 600 answered and the rest 429 (one minute)", ok, limited)
	}
	if ok == 600 && limited != 400 {
		t.Errorf("%d limited, want 400", limited)
	}
	if res := env.Do("GET", "/api/v1/organisations?limit=1", other, nil); res.Code != http.StatusOK {
		t.Errorf("another client is limited by the first: %d", res.Code)
	}
	for _, probe := range []string{"/healthz", "/readyz", "/metrics"} {
		for range 700 {
			if res := env.Do("GET", probe, "", nil); res.Code != http.StatusOK {
				t.Fatalf("GET %s was limited: %d", probe, res.Code)
			}
		}
	}
}

// TestAClientsOwnLimit: an administrator gives an integration a limit of
// its own; it travels in the client's access tokens.
func TestAClientsOwnLimit(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.RateLimit = 600 })
	_, admin := env.NewUser(auth.RoleAdmin)
	var created auth.APIClientWithSecret
	res := env.Do("POST", "/api/v1/api-clients", admin, auth.NewAPIClientRequest{Name: apptest.Unique("Ärendesystem"),
		Scopes: []string{auth.ScopePartnershipsRead}, RateLimitPerMinute: 5})
	res.JSON(t, &created)
	if created.RateLimitPerMinute == nil || *created.RateLimitPerMinute != 5 {
		t.Fatalf("created %d %s", res.Code, res.Body)
	}
	tok := env.ClientToken(created.ClientID, created.ClientSecret)
	for i := range 6 {
		res := env.Do("GET", "/api/v1/organisations?limit=1", tok, nil)
		if want := map[bool]int{true: 200, false: 429}[i < 5]; res.Code != want {
			t.Fatalf("request %d: %d, want %d", i+1, res.Code, want)
		}
	}
	if res := env.Do("POST", "/api/v1/api-clients", admin, map[string]any{"name": "x", "scopes": []string{auth.ScopeReportsRead},
		"rate_limit_per_minute": -1}); res.Code != http.StatusUnprocessableEntity {
		t.Errorf("a negative limit: %d", res.Code)
	}
}

// TestASlowQueryIsCutByTheStatementTimeout: a write waiting on a row lock
// longer than the statement timeout is stopped by PostgreSQL and answered
// 503 with Retry-After; the pool is none the worse for it.
func TestASlowQueryIsCutByTheStatementTimeout(t *testing.T) {
	seeded := apptest.New(t)
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.URL(t), database.Options{MaxConns: 4, StatementTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	env := apptest.Over(t, db)
	env.Districts = seeded.Districts
	_, editor := env.NewUser(auth.RoleEditor)
	var org organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: apptest.Unique("Låst förening"), Sector: "civil_society",
		LegalForm: "ideell_forening"}).JSON(t, &org)

	tx := seeded.DB.Begin()
	if err := tx.Exec("SELECT 1 FROM organisations WHERE id = ? FOR UPDATE", org.ID).Error; err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := env.Do("PATCH", "/api/v1/organisations/"+org.ID, editor, map[string]string{"website": "https://x.example"}, apptest.H("If-Match", `"1"`))
	took := time.Since(start)
	tx.Rollback()
	if res.Code != http.StatusServiceUnavailable || res.Problem(t).Code != "timeout" || res.Header.Get("Retry-After") == "" {
		t.Fatalf("%d %s (Retry-After %q)", res.Code, res.Body, res.Header.Get("Retry-After"))
	}
	if took > 3*time.Second {
		t.Errorf("answered after %v; the statement timeout is 300 ms", took)
	}
	if res := env.Do("PATCH", "/api/v1/organisations/"+org.ID, editor, map[string]string{"website": "https://x.example"}, apptest.H("If-Match", `"1"`)); res.Code != http.StatusOK {
		t.Errorf("after the lock: %d %s", res.Code, res.Body)
	}
}
