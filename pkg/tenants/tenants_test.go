package tenants_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The platform operator creates a tenant with its first administrator,
// who signs in and runs it; the operator sees counts, never records,
// until the tenant lets them in, which the trail records.
func TestTheOperatorCreatesATenantAndSeesOnlyUsage(t *testing.T) {
	env := apptest.New(t)
	_, operator := env.NewUser(auth.RoleOperator)
	_, admin := env.NewUser(auth.RoleAdmin)
	env.Within("", func(ctx context.Context) error {
		_, err := env.App.Geo.CreateMunicipality(ctx, auth.System.Actor(), geography.NewMunicipalityRequest{Code: "1280", Name: "Malmö", CountyCode: "12"})
		return err
	})

	admin1280 := auth.NewUserRequest{Email: apptest.Unique("admin") + "@malmo.example.se", Name: "Administratör Malmö", Password: apptest.Password}
	for name, tc := range map[string]struct {
		body  tenants.NewRequest
		token string
		code  int
		field string
	}{
		"not the operator":   {tenants.NewRequest{Kind: "municipality", Code: "1280", Name: "Malmö stad", Admin: admin1280}, admin, http.StatusForbidden, ""},
		"unknown kommunkod":  {tenants.NewRequest{Kind: "municipality", Code: "1299", Name: "Ingenstans", Admin: admin1280}, operator, 422, "code"},
		"unknown region":     {tenants.NewRequest{Kind: "region", Code: "02", Name: "Region Ingen", Admin: admin1280}, operator, 422, "code"},
		"unknown kind":       {tenants.NewRequest{Kind: "county", Code: "1280", Name: "Malmö stad", Admin: admin1280}, operator, 422, "kind"},
		"bad colour":         {tenants.NewRequest{Kind: "municipality", Code: "1280", Name: "Malmö stad", Colour: "red", Admin: admin1280}, operator, 422, "colour"},
		"admin without mail": {tenants.NewRequest{Kind: "municipality", Code: "1280", Name: "Malmö stad", Admin: auth.NewUserRequest{Name: "X", Password: apptest.Password}}, operator, 422, "admin.email"},
	} {
		res := env.Do("POST", "/api/v1/tenants", tc.token, tc.body)
		if res.Code != tc.code {
			t.Errorf("%s: %d %s", name, res.Code, res.Body)
			continue
		}
		if tc.field != "" {
			if p := res.Problem(t); len(p.Errors) == 0 || p.Errors[0].Field != tc.field {
				t.Errorf("%s: %+v, want the field %s", name, p.Errors, tc.field)
			}
		}
	}

	var malmo tenants.Tenant
	res := env.Do("POST", "/api/v1/tenants", operator, tenants.NewRequest{Kind: "municipality", Code: "1280", OrgNumber: "212000-1124",
		Name: "Malmö stad", Colour: "#005aa0", Host: "malmo.example.se", Admin: admin1280})
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	res.JSON(t, &malmo)
	if res := env.Do("POST", "/api/v1/tenants", operator, tenants.NewRequest{Kind: "municipality", Code: "1280", Name: "Malmö igen", Admin: admin1280}); res.Code != 422 {
		t.Errorf("the same code again: %d %s", res.Code, res.Body)
	}

	// The new administrator signs in into Malmö and sees Malmö.
	tok := signIn(t, env, admin1280.Email)
	var own tenants.Tenant
	env.Do("GET", "/api/v1/tenant", tok, nil).JSON(t, &own)
	if own.ID != malmo.ID || own.Name != "Malmö stad" || own.Colour != "#005aa0" {
		t.Errorf("Malmö's administrator sees %+v", own)
	}
	// and nothing of Göteborg's: its users.
	var users struct{ Items []auth.UserResponse }
	env.Do("GET", "/api/v1/users?limit=200", tok, nil).JSON(t, &users)
	if len(users.Items) != 1 {
		t.Errorf("Malmö's administrator lists %d users, want only themselves", len(users.Items))
	}

	// The operator: usage figures of every tenant, no records.
	var usage tenants.UsageList
	env.Do("GET", "/api/v1/tenants", operator, nil).JSON(t, &usage)
	found := false
	for _, u := range usage.Items {
		if u.Tenant.ID == malmo.ID {
			found = u.Users == 1
		}
	}
	if !found {
		t.Errorf("usage does not count Malmö's one user: %+v", usage.Items)
	}
	for _, path := range []string{"/api/v1/partnerships", "/api/v1/organisations", "/api/v1/users", "/api/v1/audit-events", "/api/v1/reports/funding"} {
		if res := env.Do("GET", path, operator, nil); res.Code != http.StatusForbidden {
			t.Errorf("the operator reads %s: %d", path, res.Code)
		}
	}
	if res := env.Do("POST", "/api/v1/tenants/"+malmo.ID+"/operator-token", operator, nil); res.Code != http.StatusForbidden {
		t.Errorf("entering without a grant: %d %s", res.Code, res.Body)
	}

	// Malmö grants a day; the operator enters as a viewer of Malmö only.
	until := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	if res := env.Do("PUT", "/api/v1/tenant/operator-access", tok, map[string]string{"until": "tomorrow"}, apptest.H("If-Match", `"1"`)); res.Code != 422 {
		t.Errorf("a grant that is no time: %d", res.Code)
	}
	if res := env.Do("PUT", "/api/v1/tenant/operator-access", tok, map[string]string{"until": until}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Fatalf("grant: %d %s", res.Code, res.Body)
	}
	var entry struct {
		AccessToken string `json:"access_token"`
	}
	env.Do("POST", "/api/v1/tenants/"+malmo.ID+"/operator-token", operator, nil).JSON(t, &entry)
	var me auth.MeResponse
	env.Do("GET", "/api/v1/me", entry.AccessToken, nil).JSON(t, &me)
	if me.TenantID != malmo.ID || me.Role != "viewer" {
		t.Errorf("the operator entered as %+v", me)
	}
	if res := env.Do("GET", "/api/v1/partnerships", entry.AccessToken, nil); res.Code != 200 {
		t.Errorf("the operator reads Malmö's partnerships: %d", res.Code)
	}
	if res := env.Do("POST", "/api/v1/organisations", entry.AccessToken, map[string]string{"name": "x"}); res.Code != http.StatusForbidden {
		t.Errorf("the operator writes in Malmö: %d", res.Code)
	}
	var n int
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE action = 'tenant.operator_entered' AND tenant_id = ?", malmo.ID).Scan(&n)
	if n != 1 {
		t.Errorf("%d entries of the operator in Malmö's trail, want 1", n)
	}
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE action = 'tenant.operator_access' AND tenant_id = ?", malmo.ID).Scan(&n)
	if n != 1 {
		t.Errorf("%d grants in Malmö's trail, want 1", n)
	}
}

// A tenant's administrator names and colours the tenant; nobody else.
func TestATenantChangesItsOwnNameAndColour(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	_, editor := env.NewUser(auth.RoleEditor)
	res := env.Do("GET", "/api/v1/tenant", editor, nil)
	var before tenants.Tenant
	res.JSON(t, &before)
	etag := res.Header.Get("ETag")
	if res := env.Do("PATCH", "/api/v1/tenant", editor, map[string]string{"colour": "#123456"}, apptest.H("If-Match", etag)); res.Code != http.StatusForbidden {
		t.Errorf("an editor recolours the tenant: %d", res.Code)
	}
	if res := env.Do("PATCH", "/api/v1/tenant", admin, map[string]string{"colour": "blue"}, apptest.H("If-Match", etag)); res.Code != 422 {
		t.Errorf("a colour that is none: %d", res.Code)
	}
	res = env.Do("PATCH", "/api/v1/tenant", admin, map[string]string{"colour": "#123456"}, apptest.H("If-Match", etag))
	if res.Code != 200 {
		t.Fatalf("recolour: %d %s", res.Code, res.Body)
	}
	var after tenants.Tenant
	res.JSON(t, &after)
	if after.Colour != "#123456" || after.Version != before.Version+1 {
		t.Errorf("after: %+v", after)
	}
	// Back, for the other tests of the package.
	env.Do("PATCH", "/api/v1/tenant", admin, map[string]string{"colour": before.Colour}, apptest.H("If-Match", res.Header.Get("ETag")))
}

func signIn(t *testing.T, env *apptest.Env, email string) string {
	t.Helper()
	var tok auth.TokenResponse
	res := env.Do("POST", "/api/v1/auth/token", "", map[string]string{"grant_type": "password", "username": email, "password": apptest.Password})
	res.JSON(t, &tok)
	if tok.AccessToken == "" {
		t.Fatalf("sign in as %s: %d %s", email, res.Code, res.Body)
	}
	return tok.AccessToken
}

// A reporter speaks for an organisation of the national register: they see
// the partnerships of every tenant their organisation is a party to, report
// on them, and see nothing else.
func TestAReporterSeesTheirOrganisationsPartnershipsInEveryTenant(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	env.Within("", func(ctx context.Context) error {
		_, err := env.App.Geo.CreateMunicipality(ctx, auth.System.Actor(), geography.NewMunicipalityRequest{Code: "1281", Name: "Lund", CountyCode: "12"})
		return err
	})
	lund, err := env.App.Tenants.Ensure(context.Background(), tenants.KindMunicipality, "1281", "Lunds kommun", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var lundEditor auth.User
	env.Within(lund.ID, func(ctx context.Context) (err error) {
		lundEditor, err = env.App.Auth.CreateUser(ctx, auth.System, auth.NewUserRequest{Email: apptest.Unique("redaktor") + "@lund.example.se",
			Name: "Redaktör Lund", Role: string(auth.RoleEditor), Password: apptest.Password})
		return err
	})
	inLund := env.Token(lundEditor.Principal())

	var org struct{ ID string }
	env.Do("POST", "/api/v1/organisations", editor, map[string]any{"name": apptest.Unique("Föreningen Över Gränsen"), "sector": "civil_society",
		"legal_form": "ideell_forening", "org_number": apptest.OrgNumber('8')}).JSON(t, &org)
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(org.ID))

	create := func(token, municipality, title string, party bool) string {
		var p struct{ ID string }
		res := env.Do("POST", "/api/v1/partnerships", token, map[string]any{"title": title, "form": "iop", "status": "active", "municipality_code": municipality, "start_date": "2026-01-01"})
		res.JSON(t, &p)
		if p.ID == "" {
			t.Fatalf("create in %s: %d %s", municipality, res.Code, res.Body)
		}
		if party {
			if res := env.Do("POST", "/api/v1/partnerships/"+p.ID+"/parties", token, map[string]any{"organisation_id": org.ID, "role": "partner"}); res.Code != 201 {
				t.Fatalf("party: %d %s", res.Code, res.Body)
			}
		}
		return p.ID
	}
	home := create(editor, "1480", apptest.Unique("Göteborgs samverkan"), true)
	away := create(inLund, "1281", apptest.Unique("Lunds samverkan"), true)
	other := create(inLund, "1281", apptest.Unique("Lunds andra samverkan"), false)

	var list struct{ Items []struct{ ID string } }
	env.Do("GET", "/api/v1/partnerships?limit=200", reporter, nil).JSON(t, &list)
	seen := map[string]bool{}
	for _, p := range list.Items {
		seen[p.ID] = true
	}
	if !seen[home] || !seen[away] || seen[other] || len(list.Items) != 2 {
		t.Errorf("the reporter lists %v; want Göteborg's and Lund's where their organisation is a party, only", list.Items)
	}
	if res := env.Do("GET", "/api/v1/partnerships/"+away, reporter, nil); res.Code != 200 {
		t.Errorf("the reporter reads Lund's partnership: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/partnerships/"+other, reporter, nil); res.Code != 404 {
		t.Errorf("the reporter reads Lund's other partnership: %d", res.Code)
	}

	// They report on Lund's indicator, and Lund sees it waiting.
	var ind struct{ ID string }
	env.Do("POST", "/api/v1/partnerships/"+away+"/indicators", inLund, map[string]any{"name": "Deltagare", "unit": "personer", "result_level": "output"}).JSON(t, &ind)
	res := env.Do("POST", "/api/v1/indicators/"+ind.ID+"/measurements", reporter, map[string]any{"period_start": "2026-01-01", "period_end": "2026-03-31", "value": 12})
	if res.Code != 201 {
		t.Fatalf("the reporter reports in Lund: %d %s", res.Code, res.Body)
	}
	var m struct{ ID string }
	res.JSON(t, &m)
	var queue struct{ Items []struct{ ID string } }
	env.Do("GET", "/api/v1/measurements", inLund, nil).JSON(t, &queue)
	waiting := false
	for _, q := range queue.Items {
		waiting = waiting || q.ID == m.ID
	}
	if !waiting {
		t.Errorf("Lund does not see the reporter's measurement waiting")
	}
	// Göteborg's editor sees nothing of Lund's.
	if res := env.Do("GET", "/api/v1/partnerships/"+away, editor, nil); res.Code != 404 {
		t.Errorf("Göteborg reads Lund's partnership: %d", res.Code)
	}
	if res := env.Do("POST", "/api/v1/measurements/"+m.ID+"/approve", editor, nil); res.Code != 404 {
		t.Errorf("Göteborg approves Lund's measurement: %d", res.Code)
	}
}
