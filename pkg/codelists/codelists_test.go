package codelists_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestListsAgreeWithTheRegister(t *testing.T) {
	if !slices.Equal(codelists.Sectors.Codes(), organisations.Sectors) || !slices.Equal(codelists.LegalForms.Codes(), organisations.LegalForms) {
		t.Fatal("the organisation register and the code lists disagree")
	}
	for name, l := range codelists.Fixed {
		for _, e := range l {
			if e.Code == "" || e.LabelSV == "" || e.LabelEN == "" {
				t.Errorf("%s: %+v lacks a label", name, e)
			}
		}
	}
}

func TestCodeLists(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	_, reporter := env.NewUser(auth.RoleViewer)
	var all struct{ Lists map[string]codelists.List }
	env.Do("GET", "/api/v1/code-lists", reporter, nil).JSON(t, &all)
	if len(all.Lists["forms"]) != 10 || len(all.Lists["policy_goals"]) < 17 || len(all.Lists["target_groups"]) == 0 || len(all.Lists["lesson_factors"]) == 0 {
		t.Fatalf("lists: %d forms, %d goals", len(all.Lists["forms"]), len(all.Lists["policy_goals"]))
	}
	res := env.Do("POST", "/api/v1/code-lists/policy_goals/entries", admin, codelists.NewEntryRequest{Code: "jg_extra", LabelSV: "Mål", LabelEN: "Goal",
		GoalSet: "jamlikt_goteborg", MunicipalityCode: "1480"})
	if res.Code != 201 {
		t.Fatalf("add: %d %s", res.Code, res.Body)
	}
	if r := env.Do("POST", "/api/v1/code-lists/policy_goals/entries", admin, codelists.NewEntryRequest{Code: "jg_extra", LabelSV: "Mål", LabelEN: "Goal"}); r.Code != 409 {
		t.Fatalf("duplicate: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/code-lists/forms/entries", admin, codelists.NewEntryRequest{Code: "gift", LabelSV: "Gåva", LabelEN: "Gift"}); r.Code != 404 {
		t.Fatalf("extending a fixed list: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/code-lists/target_groups/entries", reporter, codelists.NewEntryRequest{Code: "x", LabelSV: "x", LabelEN: "x"}); r.Code != 403 {
		t.Fatalf("a viewer extended a list: %d", r.Code)
	}
	if r := env.Do("PATCH", "/api/v1/code-lists/policy_goals/entries/jg_extra", admin, map[string]string{"label_en": "Extra goal"}, apptest.H("If-Match", `"1"`)); r.Code != 200 {
		t.Fatalf("relabel: %d %s", r.Code, r.Body)
	}
	// The list gives the version to relabel against; fixed lists have none.
	var goals codelists.OneList
	env.Do("GET", "/api/v1/code-lists/policy_goals", reporter, nil).JSON(t, &goals)
	for _, e := range goals.Items {
		if e.Code == "jg_extra" && (e.Version != 2 || e.LabelEN != "Extra goal") {
			t.Errorf("relabelled entry as listed: %+v", e)
		}
	}
	if r := env.Do("GET", "/api/v1/code-lists/forms", reporter, nil); strings.Contains(string(r.Body), `"version"`) {
		t.Errorf("a fixed list has versions: %s", r.Body)
	}
	if r := env.Do("GET", "/api/v1/code-lists/nothing", reporter, nil); r.Code != 404 {
		t.Fatalf("unknown list: %d", r.Code)
	}
}
