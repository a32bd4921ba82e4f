package funding_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type world struct {
	env   *apptest.Env
	admin string
	// operator runs the platform: the rules and rates every tenant shares.
	operator string
	editor   string
	// municipality is where partnerships are made: Göteborg ("") unless
	// the world is seen by another tenant (as).
	municipality string
}

func (w world) org(t *testing.T, name string, districts ...string) string {
	t.Helper()
	var ids []string
	for _, d := range districts {
		ids = append(ids, w.env.Districts[d])
	}
	var o organisations.Response
	res := w.env.Do("POST", "/api/v1/organisations", w.editor, organisations.NewRequest{Name: name, Sector: "civil_society", LegalForm: "ovrig",
		MunicipalityCode: "1480", DistrictIDs: ids})
	res.JSON(t, &o)
	if res.Code != 201 {
		t.Fatalf("org: %s", res.Body)
	}
	return o.ID
}

func (w world) partnership(t *testing.T, title string, targetGroups []string, districts ...string) string {
	t.Helper()
	var ids []string
	for _, d := range districts {
		ids = append(ids, w.env.Districts[d])
	}
	municipality := w.municipality
	if municipality == "" {
		municipality = "1480"
	}
	var p partnerships.Response
	res := w.env.Do("POST", "/api/v1/partnerships", w.editor, partnerships.NewRequest{Title: title, Form: "iop", MunicipalityCode: municipality,
		Status: "active", TargetGroups: targetGroups, DistrictIDs: ids})
	res.JSON(t, &p)
	if res.Code != 201 {
		t.Fatalf("partnership: %s", res.Body)
	}
	return p.ID
}

func (w world) source(t *testing.T, name string) string {
	t.Helper()
	var s funding.Source
	kind := "municipal_budget"
	res := w.env.Do("POST", "/api/v1/funding-sources", w.editor, funding.SourceRequest{Name: &name, Kind: &kind})
	res.JSON(t, &s)
	if res.Code != 201 {
		t.Fatalf("source: %s", res.Body)
	}
	return s.ID
}

func str(s string) *string { return &s }
func num(n int64) *int64   { return &n }
func year(n int) *int      { return &n }

func (w world) allocate(t *testing.T, req funding.AllocationRequest, wantStatus int) funding.Allocation {
	t.Helper()
	res := w.env.Do("POST", "/api/v1/allocations", w.editor, req)
	if res.Code != wantStatus {
		t.Fatalf("allocation: %d %s", res.Code, res.Body)
	}
	var a funding.Allocation
	if wantStatus == 201 {
		res.JSON(t, &a)
	}
	return a
}

func newWorld(t *testing.T) world {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	_, editor := env.NewUser(auth.RoleEditor)
	_, operator := env.NewUser(auth.RoleOperator)
	w := world{env: env, admin: admin, editor: editor, operator: operator}
	for y, r := range map[int]string{2022: "10", 2023: "11", 2024: "12"} {
		if res := env.Do("POST", "/api/v1/exchange-rates", operator, funding.ExchangeRateRequest{Year: y, Currency: "EUR", SEKPerUnit: r, Source: "test"}); res.Code != 200 {
			t.Fatalf("rate: %d %s", res.Code, res.Body)
		}
	}
	return w
}

// TestStateAidSums checks the sums against figures worked out by hand:
// allocations from two administrations' partnerships, in SEK and EUR, across
// years and both rules.
func TestStateAidSums(t *testing.T) {
	w := newWorld(t)
	recipient := w.org(t, "Mottagare "+apptest.Unique("sa"))
	east := w.partnership(t, "Östra", []string{"hemlosa"}, "Angered")
	west := w.partnership(t, "Västra", []string{"unga"}, "Västra Göteborg")
	src := w.source(t, "Budget "+apptest.Unique("s"))
	grant := func(p, day, cur string, minor int64, aid string) funding.Allocation {
		return w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &p, RecipientOrganisationID: &recipient,
			GrantedOre: num(minor), Currency: &cur, FiscalYear: year(atoi(day[:4])), DecisionDate: &day,
			Status: str("granted"), StateAid: &aid}, 201)
	}
	grant(east, "2021-06-01", "SEK", 1_000_000_00, "sgei_de_minimis")    // EUR 100,000 at 2022's rate (2021 has none)
	grant(west, "2022-03-01", "SEK", 2_000_000_00, "sgei_de_minimis")    // EUR 200,000 at 10
	grant(east, "2023-05-01", "EUR", 100_000_00, "sgei_de_minimis")      // EUR 100,000
	grant(west, "2024-02-01", "SEK", 3_600_000_00, "sgei_de_minimis")    // EUR 300,000 at 12
	grant(east, "2024-03-01", "SEK", 1_200_000_00, "general_de_minimis") // EUR 100,000, the other rule
	w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &east, RecipientOrganisationID: &recipient,
		AppliedOre: num(5_000_000_00), FiscalYear: year(2024), Status: str("applied")}, 201) // applied: not counted

	get := func(on string) map[string]funding.Ceiling {
		var sa funding.StateAid
		res := w.env.Do("GET", "/api/v1/organisations/"+recipient+"/state-aid?on="+on, w.editor, nil)
		res.JSON(t, &sa)
		if res.Code != 200 {
			t.Fatalf("state aid: %d %s", res.Code, res.Body)
		}
		out := map[string]funding.Ceiling{}
		for _, c := range sa.Ceilings {
			out[c.Code] = c
		}
		return out
	}
	// From 2024: EUR 750,000 over a rolling three years (2021-07-01 – 2024-06-30).
	c := get("2024-06-30")["sgei_de_minimis"]
	if c.CeilingCents != 750_000_00 || c.WindowFrom != "2021-07-01" || c.SumCents != 600_000_00 || c.HeadroomCents != 150_000_00 || c.Status != "near" || len(c.Allocations) != 3 {
		t.Errorf("SGEI 2024: %+v", c)
	}
	if g := get("2024-06-30")["general_de_minimis"]; g.CeilingCents != 300_000_00 || g.SumCents != 100_000_00 || g.Status != "ok" {
		t.Errorf("general 2024: %+v", g)
	}
	// Until 2023: EUR 500,000 over three fiscal years (2021–2023); 2021 borrows 2022's rate.
	old := get("2023-12-31")["sgei_de_minimis"]
	if old.CeilingCents != 500_000_00 || old.WindowFrom != "2021-01-01" || old.SumCents != 400_000_00 || old.Status != "near" ||
		len(old.MissingRates) != 1 || old.MissingRates[0] != 2021 {
		t.Errorf("SGEI 2023: %+v", old)
	}

	// Passing the ceiling warns; a blocking rule refuses.
	over := grant(west, "2024-06-01", "SEK", 2_400_000_00, "sgei_de_minimis")
	if len(over.Warnings) != 1 || over.Warnings[0].Code != "state_aid_ceiling_passed" {
		t.Fatalf("warnings %+v", over.Warnings)
	}
	var rules funding.RuleList
	w.env.Do("GET", "/api/v1/rules", w.editor, nil).JSON(t, &rules)
	for _, r := range rules.Items {
		if r.Code == "sgei_de_minimis" && r.EffectiveFrom == "2024-01-01" {
			if res := w.env.Do("PATCH", "/api/v1/rules/"+r.ID, w.editor, map[string]bool{"block": true}, apptest.H("If-Match", `"1"`)); res.Code != 403 {
				t.Fatalf("an editor changed a rule: %d", res.Code)
			}
			if res := w.env.Do("PATCH", "/api/v1/rules/"+r.ID, w.operator, map[string]bool{"block": true}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
				t.Fatalf("block: %d %s", res.Code, res.Body)
			}
			defer w.env.Do("PATCH", "/api/v1/rules/"+r.ID, w.operator, map[string]bool{"block": false}, apptest.H("If-Match", `"2"`))
		}
	}
	day, cur, aid := "2024-06-15", "SEK", "sgei_de_minimis"
	res := w.env.Do("POST", "/api/v1/allocations", w.editor, funding.AllocationRequest{SourceID: &src, PartnershipID: &east, RecipientOrganisationID: &recipient,
		GrantedOre: num(1_00), Currency: &cur, FiscalYear: year(2024), DecisionDate: &day, Status: str("granted"), StateAid: &aid})
	if res.Code != 422 || res.Problem(t).Code != "state_aid_ceiling_passed" {
		t.Fatalf("blocked allocation: %d %s", res.Code, res.Body)
	}
}

func TestDisbursementsNeverPassTheGrant(t *testing.T) {
	w := newWorld(t)
	rec := w.org(t, "Reningsborg "+apptest.Unique("d"))
	p := w.partnership(t, "Garaget", []string{"unga_vuxna"})
	src := w.source(t, "SDF Västra Göteborg "+apptest.Unique("s"))
	a := w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &p, RecipientOrganisationID: &rec, AppliedOre: num(75_000_00),
		GrantedOre: num(75_000_00), FiscalYear: year(2015), DecisionDate: str("2015-05-01"), Status: str("granted")}, 201)
	base := "/api/v1/allocations/" + a.ID + "/disbursements"
	if res := w.env.Do("POST", base, w.editor, funding.DisbursementRequest{AmountOre: num(50_000_00), PaidOn: str("2015-06-01")}); res.Code != 201 {
		t.Fatalf("first: %d %s", res.Code, res.Body)
	}
	res := w.env.Do("POST", base, w.editor, funding.DisbursementRequest{AmountOre: num(25_000_01), PlannedOn: str("2015-09-01")})
	if res.Code != 422 || res.Problem(t).Errors[0].Code != "exceeds_granted" {
		t.Fatalf("over the grant: %d %s", res.Code, res.Body)
	}
	if res := w.env.Do("POST", base, w.editor, funding.DisbursementRequest{AmountOre: num(25_000_00), PlannedOn: str("2015-09-01")}); res.Code != 201 {
		t.Fatalf("the rest: %d %s", res.Code, res.Body)
	}
	var got funding.Allocation
	r := w.env.Do("GET", "/api/v1/allocations/"+a.ID, w.editor, nil)
	r.JSON(t, &got)
	if got.DisbursedOre != 50_000_00 || !strings.Contains(string(r.Body), `"granted_ore":7500000`) {
		t.Fatalf("allocation: %s", r.Body)
	}
	if res := w.env.Do("PATCH", "/api/v1/allocations/"+a.ID, w.editor, map[string]int64{"granted_ore": 10_000_00}, apptest.H("If-Match", `"1"`)); res.Code != 422 {
		t.Fatalf("grant below what is paid: %d", res.Code)
	}
	if res := w.env.Do("POST", "/api/v1/allocations", w.editor, `{"granted_ore": 12.5}`); res.Code != 400 {
		t.Fatalf("a fraction of an öre: %d", res.Code)
	}

	var d partnerships.Detail
	w.env.Do("GET", "/api/v1/partnerships/"+p, w.editor, nil).JSON(t, &d)
	if d.Funding == nil || d.Funding.GrantedOre != 75_000_00 || d.Funding.DisbursedOre != 50_000_00 || len(d.Funding.BySource) != 1 {
		t.Fatalf("funding summary: %+v", d.Funding)
	}
}

func TestDoubleFundingIsFlagged(t *testing.T) {
	w := newWorld(t)
	rec := w.org(t, "Dubbel "+apptest.Unique("df"))
	p1 := w.partnership(t, "Boende A", []string{"ensamkommande_barn"})
	p2 := w.partnership(t, "Boende B", []string{"ensamkommande_barn", "unga"})
	p3 := w.partnership(t, "Annat syfte", []string{"aldre"})
	s1, s2 := w.source(t, "Källa 1 "+apptest.Unique("s")), w.source(t, "Källa 2 "+apptest.Unique("s"))
	for _, a := range []struct{ src, p string }{{s1, p1}, {s2, p2}, {s2, p3}, {s2, p1}} {
		w.allocate(t, funding.AllocationRequest{SourceID: &a.src, PartnershipID: &a.p, RecipientOrganisationID: &rec,
			AppliedOre: num(100_00), FiscalYear: year(2016), Status: str("applied")}, 201)
	}
	var ws funding.Warnings
	w.env.Do("GET", "/api/v1/funding/warnings", w.editor, nil).JSON(t, &ws)
	n := 0
	for _, d := range ws.DoubleFunding {
		if d.OrganisationID == rec {
			n++
			if !strings.Contains(strings.Join(d.TargetGroups, ","), "ensamkommande_barn") {
				t.Errorf("pair %+v", d)
			}
		}
	}
	if n != 1 { // p1/s1 with p2/s2 only: p3 has another target group, p1's two sources are co-financing
		t.Fatalf("%d double-funding pairs: %+v", n, ws.DoubleFunding)
	}
	var d partnerships.Detail
	w.env.Do("GET", "/api/v1/partnerships/"+p2, w.editor, nil).JSON(t, &d)
	if len(d.Warnings) != 1 || d.Warnings[0].Code != "double_funding" {
		t.Fatalf("partnership warnings: %+v", d.Warnings)
	}
}

func TestFundingAccess(t *testing.T) {
	w := newWorld(t)
	rec := w.org(t, "Isolerad "+apptest.Unique("i"), "Angered")
	p := w.partnership(t, "Angered-IOP", []string{"unga"}, "Angered")
	src := w.source(t, "Källa "+apptest.Unique("s"))
	a := w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &p, RecipientOrganisationID: &rec, AppliedOre: num(1_00),
		FiscalYear: year(2016), Status: str("applied")}, 201)
	_, west := w.env.NewUser(auth.RoleDistrictEditor)
	_, reporter := w.env.NewUser(auth.RoleReporter, apptest.ForOrganisation(rec))
	_, _, client := w.env.NewClient([]string{auth.ScopeFundingRead}, w.env.Districts["Lundby"])
	for name, tok := range map[string]string{"district editor": west, "district client": client} {
		if res := w.env.Do("GET", "/api/v1/allocations/"+a.ID, tok, nil); res.Code != 404 {
			t.Errorf("%s reads another district's allocation: %d", name, res.Code)
		}
		var l funding.AllocationList
		w.env.Do("GET", "/api/v1/allocations?recipient="+rec, tok, nil).JSON(t, &l)
		if len(l.Items) != 0 {
			t.Errorf("%s lists another district's allocations", name)
		}
	}
	if res := w.env.Do("PATCH", "/api/v1/allocations/"+a.ID, west, map[string]int64{"applied_ore": 5}, apptest.H("If-Match", `"1"`)); res.Code != 404 {
		t.Errorf("district editor changes another district's allocation: %d", res.Code)
	}
	if res := w.env.Do("GET", "/api/v1/allocations/"+a.ID, reporter, nil); res.Code != 403 {
		t.Errorf("reporter reads funding: %d", res.Code)
	}
	if res := w.env.Do("POST", "/api/v1/allocations", west, funding.AllocationRequest{SourceID: &src, PartnershipID: &p,
		RecipientOrganisationID: &rec, FiscalYear: year(2016), Status: str("applied")}); res.Code != 422 {
		t.Errorf("district editor allocates to another district's partnership: %d", res.Code)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
