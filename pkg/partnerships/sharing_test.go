package partnerships_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// tenantUser returns the tenant of code (made when missing) and a token of
// a new user of role in it.
func tenantUser(t *testing.T, env *apptest.Env, code, name string, role auth.Role) (string, string) {
	t.Helper()
	kind := tenants.KindMunicipality
	if len(code) == 2 {
		kind = tenants.KindRegion
	}
	ten, err := env.App.Tenants.Ensure(context.Background(), kind, code, name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var u auth.User
	env.Within(ten.ID, func(ctx context.Context) (err error) {
		u, err = env.App.Auth.CreateUser(ctx, auth.System, auth.NewUserRequest{Email: apptest.Unique(string(role)) + "@test.samverkan.se",
			Name: "Test " + name, Role: string(role), Password: apptest.Password})
		return err
	})
	return ten.ID, env.Token(u.Principal())
}

func tenantIDs(refs []partnerships.TenantRef) []string {
	out := []string{}
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}

// TestSharingAPartnership shares a Göteborg partnership with Region Skåne:
// the region reads it and all on it, records its own commitments and
// changes only those, and changes nothing else; Malmö, a third tenant,
// sees nothing of it; bad tenant ids are 422 naming tenant_id.
func TestSharingAPartnership(t *testing.T) {
	fx := setup(t)
	env := fx.env
	club := fx.org("Klubben " + apptest.Unique("s"))
	pt := fx.create(t, fx.editor, partnerships.NewRequest{Title: "Gemensam IOP " + apptest.Unique("p"), Status: "active"})
	var party partnerships.Party
	env.Do("POST", "/api/v1/partnerships/"+pt.ID+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: club, Role: "lead"}).JSON(t, &party)
	region, regionEditor := tenantUser(t, env, "12", "Region Skåne", auth.RoleEditor)
	_, regionViewer := tenantUser(t, env, "12", "Region Skåne", auth.RoleViewer)
	malmo, malmoEditor := tenantUser(t, env, "1280", "Malmö stad", auth.RoleEditor)
	_, viewer := env.NewUser(auth.RoleViewer)
	base := "/api/v1/partnerships/" + pt.ID

	if pt.OwnerTenant.ID != env.Tenant || pt.OwnerTenant.Name != "Göteborgs Stad" || len(pt.Tenants) != 0 {
		t.Fatalf("a new partnership: owner %+v, tenants %+v", pt.OwnerTenant, pt.Tenants)
	}
	for _, tc := range []struct {
		name, token, tenant string
		status              int
		field, code         string
	}{
		{"another tenant's partnership", regionEditor, malmo, 404, "", ""},
		{"a viewer", viewer, region, 403, "", ""},
		{"no tenant", fx.editor, uuid.NewString(), 422, "tenant_id", "not_found"},
		{"not an id", fx.editor, "Region Skåne", 422, "tenant_id", "invalid_id"},
		{"its own tenant", fx.editor, env.Tenant, 422, "tenant_id", "own_tenant"},
		{"the region", fx.editor, region, 200, "", ""},
		{"the region again", fx.editor, region, 200, "", ""},
	} {
		t.Run("share/"+tc.name, func(t *testing.T) {
			res := env.Do("POST", base+"/tenants", tc.token, partnerships.ShareRequest{TenantID: tc.tenant})
			if res.Code != tc.status {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			if tc.field != "" {
				if p := res.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != tc.code {
					t.Fatalf("problem %+v, want %s %s", p, tc.field, tc.code)
				}
			}
			if tc.status == 200 {
				var got partnerships.Response
				res.JSON(t, &got)
				if want := (partnerships.TenantRef{ID: region, Name: "Region Skåne"}); len(got.Tenants) != 1 || got.Tenants[0] != want {
					t.Fatalf("tenants %+v", got.Tenants)
				}
			}
		})
	}

	t.Run("the region reads it", func(t *testing.T) {
		var d partnerships.Detail
		res := env.Do("GET", base, regionViewer, nil)
		res.JSON(t, &d)
		if res.Code != 200 || d.OwnerTenant != (partnerships.TenantRef{ID: env.Tenant, Name: "Göteborgs Stad"}) ||
			!slices.Equal(tenantIDs(d.Tenants), []string{region}) || len(d.Parties) != 1 {
			t.Fatalf("detail as the region: %d %+v", res.Code, d)
		}
		var l partnerships.List
		env.Do("GET", "/api/v1/partnerships?limit=200", regionViewer, nil).JSON(t, &l)
		if !slices.ContainsFunc(l.Items, func(r partnerships.Response) bool { return r.ID == pt.ID && r.OwnerTenant.Name == "Göteborgs Stad" }) {
			t.Fatalf("the region's list lacks the shared partnership: %+v", l.Items)
		}
		for _, path := range []string{"/parties", "/commitments", "/history", "/indicators", "/evaluations", "/follow-ups", "/documents"} {
			if res := env.Do("GET", base+path, regionViewer, nil); res.Code != 200 {
				t.Errorf("GET %s as the region: %d %s", path, res.Code, res.Body)
			}
		}
	})

	commit := func(token string) partnerships.Commitment {
		t.Helper()
		var c partnerships.Commitment
		res := env.Do("POST", base+"/commitments", token, partnerships.NewCommitmentRequest{PartyID: party.ID, Direction: "committed",
			Kind: "staff_hours", Quantity: ptr(100.0), Unit: "timmar"})
		res.JSON(t, &c)
		if res.Code != 201 {
			t.Fatalf("commitment: %d %s", res.Code, res.Body)
		}
		return c
	}
	theirs, ours := commit(regionEditor), commit(fx.editor)
	if theirs.RecordedBy != region || ours.RecordedBy != env.Tenant {
		t.Fatalf("recorded by %q and %q", theirs.RecordedBy, ours.RecordedBy)
	}
	etag := apptest.H("If-Match", `"1"`)
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"the region changes the partnership", "PATCH", base, regionEditor, map[string]string{"purpose": "x"}, 403},
		{"the region moves it on", "POST", base + "/transitions", regionEditor, partnerships.TransitionRequest{To: "completed"}, 403},
		{"the region archives it", "DELETE", base, regionEditor, nil, 403},
		{"the region adds a party", "POST", base + "/parties", regionEditor, partnerships.NewPartyRequest{OrganisationID: club, Role: "partner"}, 403},
		{"the region changes a party", "PATCH", base + "/parties/" + party.ID, regionEditor, map[string]string{"note": "x"}, 403},
		{"the region adds an indicator", "POST", base + "/indicators", regionEditor, map[string]string{"name": "x", "unit": "st", "result_level": "output"}, 403},
		{"the region shares it on", "POST", base + "/tenants", regionEditor, partnerships.ShareRequest{TenantID: malmo}, 403},
		{"the region unshares it", "DELETE", base + "/tenants/" + region, regionEditor, nil, 403},
		{"the region changes Göteborg's commitment", "PATCH", base + "/commitments/" + ours.ID, regionEditor, map[string]string{"unit": "x"}, 403},
		{"the region removes Göteborg's commitment", "DELETE", base + "/commitments/" + ours.ID, regionEditor, nil, 403},
		{"Malmö reads it", "GET", base, malmoEditor, nil, 404},
		{"Malmö reads the region's commitment", "GET", base + "/commitments/" + theirs.ID, malmoEditor, nil, 404},
		{"Malmö records on it", "POST", base + "/commitments", malmoEditor, partnerships.NewCommitmentRequest{PartyID: party.ID, Direction: "committed", Kind: "premises"}, 404},
		{"Malmö changes the region's commitment", "PATCH", base + "/commitments/" + theirs.ID, malmoEditor, map[string]string{"unit": "x"}, 404},
		{"the region changes its own commitment", "PATCH", base + "/commitments/" + theirs.ID, regionEditor, map[string]string{"unit": "dagar"}, 200},
		{"Göteborg changes the region's commitment", "PATCH", base + "/commitments/" + theirs.ID, fx.editor, map[string]string{"unit": "veckor"}, 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if res := env.Do(tc.method, tc.path, tc.token, tc.body, etag); res.Code != tc.status {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.path, res.Code, tc.status, res.Body)
			}
		})
	}
	t.Run("the owner changes the region's record", func(t *testing.T) {
		if res := env.Do("PATCH", base+"/commitments/"+theirs.ID, fx.editor, map[string]string{"unit": "veckor"}, apptest.H("If-Match", `"2"`)); res.Code != 200 {
			t.Fatalf("%d %s", res.Code, res.Body)
		}
	})
	t.Run("Malmö's list", func(t *testing.T) {
		var l partnerships.List
		env.Do("GET", "/api/v1/partnerships?limit=200", malmoEditor, nil).JSON(t, &l)
		if slices.ContainsFunc(l.Items, func(r partnerships.Response) bool { return r.ID == pt.ID }) {
			t.Fatal("Malmö lists the partnership")
		}
	})

	for _, tc := range []struct {
		name, token, tenant string
		status              int
		field               string
	}{
		{"not shared with", fx.editor, malmo, 404, ""},
		{"no tenant", fx.editor, uuid.NewString(), 422, "tenant_id"},
		{"its own tenant", fx.editor, env.Tenant, 422, "tenant_id"},
		{"a third tenant", malmoEditor, region, 404, ""},
		{"the region", fx.editor, region, 204, ""},
		{"the region again", fx.editor, region, 404, ""},
	} {
		t.Run("unshare/"+tc.name, func(t *testing.T) {
			res := env.Do("DELETE", base+"/tenants/"+tc.tenant, tc.token, nil)
			if res.Code != tc.status {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			if tc.field != "" && res.Problem(t).Errors[0].Field != tc.field {
				t.Fatalf("problem %s", res.Body)
			}
		})
	}
	if res := env.Do("GET", base, regionViewer, nil); res.Code != http.StatusNotFound {
		t.Fatalf("the region reads it after unsharing: %d", res.Code)
	}
}

func ptr[T any](v T) *T { return &v }
