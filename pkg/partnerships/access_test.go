package partnerships_test

import (
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/partnerships"
)

// TestPartnershipAccess checks each object-level rule, in lists and single
// objects: district editors and district-restricted clients, reporters, and
// API-client scopes.
func TestPartnershipAccess(t *testing.T) {
	fx := setup(t)
	env := fx.env
	club := fx.org("Klubben "+apptest.Unique("a"), "Västra Göteborg")
	mk := func(title string, districts ...string) partnerships.Response {
		var ids []string
		for _, d := range districts {
			ids = append(ids, env.Districts[d])
		}
		return fx.create(t, fx.editor, partnerships.NewRequest{Title: title, DistrictIDs: ids, Status: "active"})
	}
	vast, angered, citywide := mk("Väst "+apptest.Unique("p"), "Västra Göteborg"), mk("Angered "+apptest.Unique("p"), "Angered"), mk("Staden "+apptest.Unique("p"))
	env.Do("POST", "/api/v1/partnerships/"+vast.ID+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: club, Role: "lead"})

	_, de := env.NewUser(auth.RoleDistrictEditor)
	_, _, client := env.NewClient([]string{auth.ScopePartnershipsRead}, env.Districts["Västra Göteborg"])
	_, _, writer := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopePartnershipsWrite}, env.Districts["Västra Göteborg"])
	_, _, fundingOnly := env.NewClient([]string{auth.ScopeFundingRead})
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(club))

	sees := func(tok string) map[string]bool {
		var l partnerships.List
		env.Do("GET", "/api/v1/partnerships?limit=200", tok, nil).JSON(t, &l)
		out := map[string]bool{}
		for _, p := range l.Items {
			out[p.ID] = true
		}
		return out
	}
	for name, tc := range map[string]struct {
		tok       string
		visible   []partnerships.Response
		invisible []partnerships.Response
	}{
		"district editor": {de, []partnerships.Response{vast, citywide}, []partnerships.Response{angered}},
		"district client": {client, []partnerships.Response{vast, citywide}, []partnerships.Response{angered}},
		"reporter":        {reporter, []partnerships.Response{vast}, []partnerships.Response{angered, citywide}},
	} {
		got := sees(tc.tok)
		for _, p := range tc.visible {
			if !got[p.ID] || env.Do("GET", "/api/v1/partnerships/"+p.ID, tc.tok, nil).Code != 200 {
				t.Errorf("%s does not see %s", name, p.Title)
			}
		}
		for _, p := range tc.invisible {
			if got[p.ID] {
				t.Errorf("%s lists %s", name, p.Title)
			}
			for _, path := range []string{"", "/parties", "/commitments", "/indicators", "/evaluations", "/follow-ups", "/documents", "/history"} {
				if r := env.Do("GET", "/api/v1/partnerships/"+p.ID+path, tc.tok, nil); r.Code != 404 && r.Code != 403 {
					t.Errorf("%s GET %s%s: %d", name, p.Title, path, r.Code)
				}
			}
		}
	}
	// Writes.
	if r := env.Do("PATCH", "/api/v1/partnerships/"+vast.ID, de, map[string]string{"purpose": "ny"}, apptest.H("If-Match", `"1"`)); r.Code != 200 {
		t.Errorf("district editor changes their district's partnership: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", "/api/v1/partnerships/"+citywide.ID+"/transitions", de, partnerships.TransitionRequest{To: "completed"}); r.Code != 403 {
		t.Errorf("district editor changes a city-wide partnership: %d", r.Code)
	}
	if r := env.Do("PATCH", "/api/v1/partnerships/"+angered.ID, writer, map[string]string{"purpose": "x"}, apptest.H("If-Match", `"1"`)); r.Code != 404 {
		t.Errorf("district client changes another district's partnership: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/partnerships", de, partnerships.NewRequest{Title: "x", Form: "iop", MunicipalityCode: "1480",
		DistrictIDs: []string{env.Districts["Angered"]}}); r.Code != 422 {
		t.Errorf("district editor creates in another district: %d", r.Code)
	}
	if r := env.Do("PATCH", "/api/v1/partnerships/"+vast.ID, reporter, map[string]string{"purpose": "x"}, apptest.H("If-Match", `"2"`)); r.Code != 403 {
		t.Errorf("reporter changes a partnership: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/partnerships/"+vast.ID+"/parties", reporter, partnerships.NewPartyRequest{OrganisationID: club, Role: "partner"}); r.Code != 403 {
		t.Errorf("reporter adds a party: %d", r.Code)
	}
	if r := env.Do("PATCH", "/api/v1/partnerships/"+vast.ID, client, map[string]string{"purpose": "x"}, apptest.H("If-Match", `"2"`)); r.Code != 403 {
		t.Errorf("a read-only client writes: %d", r.Code)
	}
	if r := env.Do("GET", "/api/v1/partnerships", fundingOnly, nil); r.Code != 403 {
		t.Errorf("a client without partnership scopes lists partnerships: %d", r.Code)
	}
}
