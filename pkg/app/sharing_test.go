package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// onPartnership are the first path segments of routes whose object hangs
// on a partnership: what sharing a partnership shares.
var onPartnership = map[string]bool{"partnerships": true, "allocations": true, "indicators": true, "measurements": true,
	"follow-ups": true, "evaluations": true, "assessments": true, "lessons": true, "documents": true}

// ledgerRoutes are the writes a tenant a partnership is shared with may
// make: its own contributions (allocations are made on POST /allocations,
// which names no object).
var ledgerRoutes = map[string]bool{"POST /api/v1/partnerships/:id/commitments": true}

// otherTenant makes the tenant of a kommunkod and returns principals of
// it: an editor, a viewer and an API client with every scope.
func otherTenant(t *testing.T, env *apptest.Env, code, name string) (string, map[string]auth.Principal) {
	t.Helper()
	ten, err := env.App.Tenants.Ensure(context.Background(), tenants.KindMunicipality, code, name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]auth.Principal{}
	env.Within(ten.ID, func(ctx context.Context) error {
		for _, role := range []auth.Role{auth.RoleEditor, auth.RoleViewer} {
			u, err := env.App.Auth.CreateUser(ctx, auth.System, auth.NewUserRequest{Email: apptest.Unique(string(role)) + "@test.samverkan.se",
				Name: string(role) + " i " + name, Role: string(role), Password: apptest.Password})
			if err != nil {
				return err
			}
			out[name+" "+string(role)] = u.Principal()
		}
		c, err := env.App.Auth.CreateClient(ctx, auth.System, auth.NewAPIClientRequest{Name: apptest.Unique("client"), Scopes: auth.Scopes})
		out[name+" client"] = auth.Principal{Kind: auth.KindClient, ID: c.ID, TenantID: ten.ID, Scopes: auth.Scopes}
		return err
	})
	return ten.ID, out
}

// TestSharedPartnershipAcrossTenants shares Göteborg's partnership, with
// one of everything on it, with Borås, and calls every route that names
// an object on it. Borås's principals read each (200) and are refused
// every change (403) but recording their own contributions; Malmö's, a
// third tenant's, get 404 for each (403 only where their role may not call
// the route at all), and none of its ids or texts in any list, report or
// export. Nothing changes in the database.
func TestSharedPartnershipAcrossTenants(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	_, owner := env.NewUser(auth.RoleEditor)
	boras, participants := otherTenant(t, env, "1490", "Borås")
	_, third := otherTenant(t, env, "1280", "Malmö")
	if res := env.Do("POST", "/api/v1/partnerships/"+w.ids["partnerships:id"]+"/tenants", owner, map[string]string{"tenant_id": boras}); res.Code != 200 {
		t.Fatalf("share: %d %s", res.Code, res.Body)
	}
	w.ids["tenant_id"] = boras
	tokens := map[string]string{}
	for name, p := range participants {
		tokens[name] = env.Token(p)
	}
	for name, p := range third {
		tokens[name] = env.Token(p)
	}

	before := snapshot(t, env)
	tried := 0
	for _, r := range env.App.Router.Routes() {
		if !strings.Contains(r.Path, ":") || r.Permission == auth.Public || !onPartnership[strings.Split(strings.TrimPrefix(r.Path, "/api/v1/"), "/")[0]] {
			continue
		}
		path, ok := fill(r.Path, w.ids)
		if !ok {
			continue
		}
		for name, p := range participants {
			if ledgerRoutes[r.Method+" "+r.Path] {
				continue
			}
			want := http.StatusForbidden
			if r.Method == "GET" && auth.Allows(p, r.Permission) {
				want = http.StatusOK
			}
			if res := env.Do(r.Method, path, tokens[name], "{}", apptest.H("If-Match", `"1"`)); res.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %s", r.Method, r.Path, name, res.Code, want, res.Body[:min(len(res.Body), 160)])
			}
			tried++
		}
		for name, p := range third {
			want := http.StatusNotFound
			if !auth.Allows(p, r.Permission) {
				want = http.StatusForbidden
			}
			if res := env.Do(r.Method, path, tokens[name], "{}", apptest.H("If-Match", `"1"`)); res.Code != want {
				t.Errorf("%s %s as %s: %d, want %d: %s", r.Method, r.Path, name, res.Code, want, res.Body[:min(len(res.Body), 160)])
			}
			tried++
		}
	}
	after := snapshot(t, env)
	for table, digest := range before {
		if after[table] != digest && table != "service_instances" { // the instance's heartbeat
			t.Errorf("table %s changed under the refused requests", table)
		}
	}
	t.Logf("%d requests at objects on the shared partnership", tried)

	// The partnership's own ids and texts (the register's organisations
	// are national, so not among them).
	var secrets []string
	for _, key := range []string{"partnerships:id", "party_id", "commitment_id", "allocations:id", "disbursement_id", "indicators:id",
		"measurements:id", "follow-ups:id", "evaluations:id", "assessments:id", "lessons:id", "documents:id"} {
		secrets = append(secrets, w.ids[key])
	}
	for _, s := range w.secrets {
		for _, prefix := range []string{"Samverkan ", "Syftet ", "Åtagandet ", "Dnr ", "Indikatorn ", "Uppföljningen ", "Utvärderingen ",
			"Bedömningen ", "Lärdomen ", "Avtalet "} {
			if strings.HasPrefix(s, prefix) {
				secrets = append(secrets, s)
			}
		}
	}
	lists := 0
	for _, r := range env.App.Router.Routes() {
		if r.Method != "GET" || strings.Contains(r.Path, ":") || r.Permission == auth.Public || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		for name := range third {
			for _, f := range []string{"", "?partnership=" + w.ids["partnerships:id"], "?partnership_id=" + w.ids["partnerships:id"], "?limit=200", "?format=csv"} {
				res := env.Do("GET", r.Path+f, tokens[name], nil)
				lists++
				if res.Code >= 500 {
					t.Errorf("GET %s%s as %s: %d", r.Path, f, name, res.Code)
				}
				for _, s := range secrets {
					if strings.Contains(string(res.Body), s) {
						t.Errorf("GET %s%s as %s shows %q", r.Path, f, name, s)
					}
				}
			}
		}
	}
	t.Logf("%d list, report and export requests by the third tenant, none showing any of the partnership's %d ids and texts", lists, len(secrets))
}
