package organisations_test

import (
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
)

// TestDistrictAndOrganisationLimits checks the object-level rules: a district
// editor and a district-restricted client see only their districts' and the
// city-wide organisations; a reporter only their own.
func TestDistrictAndOrganisationLimits(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	tag := strings.ReplaceAll(apptest.Unique("atk"), "-", "_")
	mk := func(name string, districts ...string) organisations.Response {
		var ids []string
		for _, d := range districts {
			ids = append(ids, env.Districts[d])
		}
		return create(t, env, editor, organisations.NewRequest{Name: name, Sector: "civil_society", LegalForm: "ovrig",
			MunicipalityCode: "1480", DistrictIDs: ids, TargetGroups: []string{tag}})
	}
	vast := mk("I Västra", "Västra Göteborg")
	angered := mk("I Angered", "Angered")
	both := mk("I Angered och Västra", "Angered", "Västra Göteborg")
	citywide := mk("Hela staden")

	_, districtEditor := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Västra Göteborg"]))
	_, _, client := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopePartnershipsWrite}, env.Districts["Västra Göteborg"])
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(vast.ID))

	listed := func(token string) map[string]bool {
		var l organisations.List
		env.Do("GET", "/api/v1/organisations?limit=200&target_group="+tag, token, nil).JSON(t, &l)
		out := map[string]bool{}
		for _, o := range l.Items {
			out[o.Name] = true
		}
		return out
	}
	for name, tc := range map[string]struct {
		token string
		sees  []organisations.Response
		hides []organisations.Response
	}{
		"district editor": {districtEditor, []organisations.Response{vast, both, citywide}, []organisations.Response{angered}},
		"district client": {client, []organisations.Response{vast, both, citywide}, []organisations.Response{angered}},
		"reporter":        {reporter, []organisations.Response{vast}, []organisations.Response{angered, both, citywide}},
	} {
		got := listed(tc.token)
		for _, o := range tc.sees {
			if !got[o.Name] {
				t.Errorf("%s does not list %q", name, o.Name)
			}
			if res := env.Do("GET", "/api/v1/organisations/"+o.ID, tc.token, nil); res.Code != 200 {
				t.Errorf("%s GET %q: %d", name, o.Name, res.Code)
			}
		}
		for _, o := range tc.hides {
			if got[o.Name] {
				t.Errorf("%s lists %q", name, o.Name)
			}
			if res := env.Do("GET", "/api/v1/organisations/"+o.ID, tc.token, nil); res.Code != 404 {
				t.Errorf("%s GET %q: %d, want 404", name, o.Name, res.Code)
			}
			for _, m := range []string{"PATCH", "DELETE"} {
				res := env.Do(m, "/api/v1/organisations/"+o.ID, tc.token, map[string]string{"name": "kapad"}, apptest.H("If-Match", `"1"`))
				if res.Code != 404 && res.Code != 403 {
					t.Errorf("%s %s %q: %d", name, m, o.Name, res.Code)
				}
			}
			if res := env.Do("GET", "/api/v1/organisations/"+o.ID+"/contacts", tc.token, nil); res.Code != 404 && res.Code != 403 {
				t.Errorf("%s contacts of %q: %d", name, o.Name, res.Code)
			}
		}
	}

	// Writes: a district editor changes only their own districts of an organisation.
	if res := env.Do("PATCH", "/api/v1/organisations/"+both.ID, districtEditor, map[string]any{"district_ids": []string{env.Districts["Västra Göteborg"]}}, apptest.H("If-Match", `"1"`)); res.Code != 403 {
		t.Errorf("removing another district: %d", res.Code)
	}
	if res := env.Do("PATCH", "/api/v1/organisations/"+citywide.ID, districtEditor, map[string]string{"name": "kapad"}, apptest.H("If-Match", `"1"`)); res.Code != 403 {
		t.Errorf("changing a city-wide organisation: %d", res.Code)
	}
	if res := env.Do("PATCH", "/api/v1/organisations/"+both.ID, districtEditor, map[string]string{"description": "ny text"}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Errorf("changing a shared organisation's text: %d", res.Code)
	}
	res := env.Do("POST", "/api/v1/organisations", districtEditor, organisations.NewRequest{Name: "Utanför", Sector: "civil_society", LegalForm: "ovrig",
		DistrictIDs: []string{env.Districts["Angered"]}})
	if res.Code != 422 {
		t.Errorf("creating in another district: %d", res.Code)
	}
	if res := env.Do("POST", "/api/v1/organisations", reporter, organisations.NewRequest{Name: "x", Sector: "civil_society", LegalForm: "ovrig"}); res.Code != 403 {
		t.Errorf("a reporter created: %d", res.Code)
	}
	var names []string
	if err := env.Owner().Raw(`SELECT o.name FROM organisations o JOIN organisation_profiles op ON op.organisation_id = o.id
		WHERE op.target_groups @> ARRAY[?]::text[] ORDER BY o.name`, tag).Scan(&names).Error; err != nil || len(names) != 4 {
		t.Fatalf("names %v: %v", names, err)
	}
	for _, n := range names {
		if n == "kapad" {
			t.Fatal("a refused write changed a row")
		}
	}
}
