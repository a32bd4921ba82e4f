package funding_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/reports"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// tenantEditor returns the municipality of code as a tenant (made when
// missing) and a token of a new editor in it.
func tenantEditor(t *testing.T, env *apptest.Env, code, name string) (string, string) {
	t.Helper()
	ten, err := env.App.Tenants.Ensure(context.Background(), tenants.KindMunicipality, code, name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var u auth.User
	env.Within(ten.ID, func(ctx context.Context) (err error) {
		u, err = env.App.Auth.CreateUser(ctx, auth.System, auth.NewUserRequest{Email: apptest.Unique("editor") + "@test.samverkan.se",
			Name: "Redaktör i " + name, Role: string(auth.RoleEditor), Password: apptest.Password})
		return err
	})
	return ten.ID, env.Token(u.Principal())
}

// as is the world seen by another municipality's editor: its partnerships
// (in that municipality) and sources are its own.
func (w world) as(token, municipality string) world {
	w.editor, w.municipality = token, municipality
	return w
}

func (w world) share(t *testing.T, partnershipID, tenantID string) {
	t.Helper()
	if res := w.env.Do("POST", "/api/v1/partnerships/"+partnershipID+"/tenants", w.editor, partnerships.ShareRequest{TenantID: tenantID}); res.Code != 200 {
		t.Fatalf("share: %d %s", res.Code, res.Body)
	}
}

// reportRows are the rows of a report table whose column col is v.
func reportRows(t *testing.T, w world, path, table, col, v string) []map[string]any {
	t.Helper()
	var rep reports.Report
	res := w.env.Do("GET", path, w.editor, nil)
	res.JSON(t, &rep)
	if res.Code != 200 {
		t.Fatalf("%s: %d %s", path, res.Code, res.Body)
	}
	var out []map[string]any
	for _, r := range rep.Tables[table] {
		if fmt.Sprint(r[col]) == v {
			out = append(out, r)
		}
	}
	return out
}

// amount is a report's amount as digits, however JSON carried it.
func amount(v any) string {
	if f, ok := v.(float64); ok {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprint(v)
}

// TestAllocationsOnASharedPartnership: Borås, with whom a Göteborg
// partnership is shared, grants from its own source on it and changes only
// its own allocation; Göteborg, the owner, changes both; Malmö sees
// neither; each funding report counts only the tenant's own money; and
// Borås is not unshared while its allocation stands.
func TestAllocationsOnASharedPartnership(t *testing.T) {
	w := newWorld(t)
	boras, borasEditor := tenantEditor(t, w.env, "1490", "Borås Stad")
	_, malmoEditor := tenantEditor(t, w.env, "1280", "Malmö stad")
	bw, mw := w.as(borasEditor, "1490"), w.as(malmoEditor, "1280")
	rec := w.org(t, "Gemensam mottagare "+apptest.Unique("r"))
	p := w.partnership(t, "Delad IOP "+apptest.Unique("p"), []string{"unga"})
	w.share(t, p, boras)
	ours, theirs := w.source(t, "Göteborgs källa "+apptest.Unique("s")), bw.source(t, "Borås källa "+apptest.Unique("s"))
	grant := func(w world, src string, ore int64) funding.Allocation {
		return w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &p, RecipientOrganisationID: &rec, GrantedOre: num(ore),
			FiscalYear: year(2025), DecisionDate: str("2025-02-01"), Status: str("granted"), StateAid: str("none")}, 201)
	}
	a, b := grant(w, ours, 300_000_00), grant(bw, theirs, 100_000_00)
	if a.RecordedBy != w.env.Tenant || b.RecordedBy != boras {
		t.Fatalf("recorded by %q and %q", a.RecordedBy, b.RecordedBy)
	}
	if res := bw.env.Do("POST", "/api/v1/allocations", borasEditor, funding.AllocationRequest{SourceID: &ours, PartnershipID: &p,
		RecipientOrganisationID: &rec, FiscalYear: year(2025), Status: str("applied")}); res.Code != 422 || res.Problem(t).Errors[0].Field != "source_id" {
		t.Fatalf("Borås allocates from Göteborg's source: %d %s", res.Code, res.Body)
	}
	patch := func(tok, id, version string) int {
		return w.env.Do("PATCH", "/api/v1/allocations/"+id, tok, map[string]string{"decision_reference": "Dnr 1"}, apptest.H("If-Match", `"`+version+`"`)).Code
	}
	for _, tc := range []struct {
		name, token, id, version string
		status                   int
	}{
		{"Borås changes Göteborg's allocation", borasEditor, a.ID, "1", 403},
		{"Borås pays out Göteborg's allocation", borasEditor, a.ID, "", 403},
		{"Borås withdraws Göteborg's allocation", borasEditor, a.ID, "-", 403},
		{"Malmö reads Borås's allocation", malmoEditor, b.ID, "?", 404},
		{"Malmö changes Borås's allocation", malmoEditor, b.ID, "1", 404},
		{"Borås changes its own allocation", borasEditor, b.ID, "1", 200},
		{"Göteborg changes Borås's allocation", w.editor, b.ID, "2", 200},
		{"Göteborg changes its own allocation", w.editor, a.ID, "1", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got int
			switch tc.version {
			case "":
				got = w.env.Do("POST", "/api/v1/allocations/"+tc.id+"/disbursements", tc.token, funding.DisbursementRequest{AmountOre: num(1_00), PaidOn: str("2025-03-01")}).Code
			case "-":
				got = w.env.Do("DELETE", "/api/v1/allocations/"+tc.id, tc.token, nil, apptest.H("If-Match", `"1"`)).Code
			case "?":
				got = w.env.Do("GET", "/api/v1/allocations/"+tc.id, tc.token, nil).Code
			default:
				got = patch(tc.token, tc.id, tc.version)
			}
			if got != tc.status {
				t.Fatalf("%d, want %d", got, tc.status)
			}
		})
	}
	var l funding.AllocationList
	mw.env.Do("GET", "/api/v1/allocations?recipient="+rec, malmoEditor, nil).JSON(t, &l)
	if len(l.Items) != 0 {
		t.Fatalf("Malmö lists the shared partnership's allocations: %+v", l.Items)
	}

	t.Run("each funding report counts its own money", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			w      world
			source string
			want   string
		}{{"Göteborg", w, ours, "30000000"}, {"Borås", bw, theirs, "10000000"}} {
			var src funding.Source
			tc.w.env.Do("GET", "/api/v1/funding-sources/"+tc.source, tc.w.editor, nil).JSON(t, &src)
			rows := reportRows(t, tc.w, "/api/v1/reports/funding?year=2025", "by_source", "source", src.Name)
			if len(rows) != 1 || amount(rows[0]["granted_ore"]) != tc.want {
				t.Errorf("%s's funding report by source: %v", tc.name, rows)
			}
			var pt partnerships.Response
			tc.w.env.Do("GET", "/api/v1/partnerships/"+p, tc.w.editor, nil).JSON(t, &pt)
			co := reportRows(t, tc.w, "/api/v1/reports/funding", "co_financing", "reference", pt.Reference)
			if len(co) != 1 || amount(co[0]["granted_ore"]) != tc.want {
				t.Errorf("%s's co-financing: %v", tc.name, co)
			}
		}
		if rows := reportRows(t, mw, "/api/v1/reports/funding", "by_source", "source", "Göteborgs källa"); len(rows) != 0 {
			t.Errorf("Malmö's report: %v", rows)
		}
	})

	t.Run("unsharing waits for Borås's allocations", func(t *testing.T) {
		if res := w.env.Do("DELETE", "/api/v1/partnerships/"+p+"/tenants/"+boras, w.editor, nil); res.Code != 409 {
			t.Fatalf("unshare with an allocation standing: %d %s", res.Code, res.Body)
		}
		if res := w.env.Do("DELETE", "/api/v1/allocations/"+b.ID, borasEditor, nil, apptest.H("If-Match", `"3"`)); res.Code != 204 {
			t.Fatalf("Borås archives its allocation: %d %s", res.Code, res.Body)
		}
		if res := w.env.Do("DELETE", "/api/v1/partnerships/"+p+"/tenants/"+boras, w.editor, nil); res.Code != 204 {
			t.Fatalf("unshare: %d %s", res.Code, res.Body)
		}
	})
}
