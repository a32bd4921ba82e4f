package reports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/reports"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var demoOnce sync.Once

// demo loads the demo cases into this package's database once.
func withDemo(t *testing.T) *apptest.Env {
	demoOnce.Do(func() {
		if _, err := app.LoadDemo(context.Background(), dbtest.DB(t), apptest.CheapPasswords); err != nil {
			t.Fatalf("demo: %v", err)
		}
	})
	return apptest.New(t)
}

// signIn is the token of a demo user: how the demo's other tenants than
// Göteborg (the helpers' tenant) are reached.
func signIn(t *testing.T, env *apptest.Env, email string) string {
	t.Helper()
	res := env.Do("POST", "/api/v1/auth/token", "", map[string]string{"grant_type": "password", "username": email, "password": demo.Password})
	var tok auth.TokenResponse
	res.JSON(t, &tok)
	if tok.AccessToken == "" {
		t.Fatalf("%s signs in: %d %s", email, res.Code, res.Body)
	}
	return tok.AccessToken
}

func report(t *testing.T, env *apptest.Env, token, path string) reports.Report {
	t.Helper()
	res := env.Do("GET", "/api/v1/reports/"+path, token, nil)
	if res.Code != 200 {
		t.Fatalf("%s: %d %s", path, res.Code, res.Body)
	}
	var r reports.Report
	res.JSON(t, &r)
	return r
}

func sum(rows []map[string]any, key string, where func(map[string]any) bool) float64 {
	total := 0.0
	for _, r := range rows {
		if v, ok := r[key].(float64); ok && (where == nil || where(r)) {
			total += v
		}
	}
	return total
}

func TestFundingReportAgainstRawRows(t *testing.T) {
	env := withDemo(t)
	_, viewer := env.NewUser(auth.RoleViewer)
	r := report(t, env, viewer, "funding?year=2015&municipality=1480")
	if r.Filters["year"] != "2015" || r.GeneratedAt.IsZero() {
		t.Fatalf("filters %v", r.Filters)
	}
	club := func(m map[string]any) bool { return m["recipient"] == "Friskvårdsklubben i Göteborg" }
	if got := sum(r.Tables["by_source"], "granted_ore", club); got != 400_000_00 {
		t.Errorf("Friskvårdsklubben 2015: %v öre, want 40000000", got)
	}
	sources := 0
	for _, row := range r.Tables["by_source"] {
		if club(row) {
			sources++
		}
	}
	if sources != 2 {
		t.Errorf("Friskvårdsklubben from %d sources, want 2", sources)
	}
	var raw int64
	env.Owner().Raw(`SELECT sum(a.granted_ore) FROM allocations a JOIN partnerships p ON p.id = a.partnership_id
		WHERE a.fiscal_year = 2015 AND a.status = 'granted' AND p.municipality_code = '1480' AND a.currency = 'SEK'`).Scan(&raw)
	if got := sum(r.Tables["by_source"], "granted_ore", nil); got != float64(raw) {
		t.Errorf("total %v, raw rows say %d", got, raw)
	}
	esf := report(t, env, signIn(t, env, "redaktor.skane@demo.samverkan.se"), "funding?year=2014") // Region Skåne's
	if got := sum(esf.Tables["by_source"], "granted_ore", nil); got != 790_680_00 {
		t.Errorf("ESF 2014: %v", got)
	}
	for _, row := range esf.Tables["co_financing"] {
		if strings.HasPrefix(row["title"].(string), "Sektorsöverskridande") && (row["total_budget_ore"] != float64(790_680_00) || row["co_financing_ore"] != float64(0)) {
			t.Errorf("ESF co-financing: %v", row)
		}
	}
}

func TestOutcomesCostPerJob(t *testing.T) {
	env := withDemo(t)
	_, viewer := env.NewUser(auth.RoleViewer)
	r := report(t, env, viewer, "outcomes")
	found := false
	for _, row := range r.Tables["cost_per_outcome"] {
		if strings.HasPrefix(row["title"].(string), "Garaget") && row["indicator"] == "Fasta anställningar" {
			found = true
			if row["cost_per_outcome_sek"] != float64(25_000) || row["granted_sek"] != float64(75_000) || row["outcome"] != float64(3) {
				t.Errorf("Garaget: %v", row)
			}
		}
	}
	if !found {
		t.Fatalf("no cost per job for Garaget: %v", r.Tables["cost_per_outcome"])
	}
	for _, row := range r.Tables["indicators"] {
		if row["indicator"] == "Matchningar mentor–ungdom" && (row["actual"] != float64(65) || row["attainment_percent"] != float64(65)) {
			t.Errorf("mentor matches: %v", row)
		}
	}
}

func TestPortfolioFollowUpAndLessonsAgainstRawRows(t *testing.T) {
	env := withDemo(t)
	_, viewer := env.NewUser(auth.RoleViewer)
	r := report(t, env, viewer, "portfolio?municipality=1480")
	var raw float64
	env.Owner().Raw("SELECT count(*) FROM partnerships WHERE municipality_code = '1480' AND archived_at IS NULL").Scan(&raw)
	forms := sum(r.Tables["breakdown"], "partnerships", func(m map[string]any) bool { return m["dimension"] == "form" })
	total := sum(r.Tables["breakdown"], "partnerships", func(m map[string]any) bool { return m["dimension"] == "total" })
	if total != raw || forms != raw {
		t.Errorf("portfolio total %v, by form %v; raw rows %v", total, forms, raw)
	}
	fu := report(t, env, viewer, "follow-up?days=3650")
	var overdue float64
	env.Owner().Raw("SELECT count(*) FROM follow_ups WHERE done_on IS NULL AND due_on < current_date").Scan(&overdue)
	if float64(len(fu.Tables["overdue_follow_ups"])) != overdue || overdue == 0 {
		t.Errorf("overdue follow-ups %d, raw %v", len(fu.Tables["overdue_follow_ups"]), overdue)
	}
	ls := report(t, env, signIn(t, env, "redaktor.boras@demo.samverkan.se"), "lessons") // Borås's
	if sum(ls.Tables["factors"], "lessons", func(m map[string]any) bool { return m["factor"] == "responsiveness" }) != 1 || len(ls.Tables["latest"]) != 3 {
		t.Errorf("lessons: %v", ls.Tables)
	}
}

func TestStateAidReport(t *testing.T) {
	env := withDemo(t)
	admin := signIn(t, env, "admin.skane@demo.samverkan.se")
	// A decided grant of SEK 4,000,000 in 2016 (rate 9.4689) to Yalla Trappan,
	// by Region Skåne, which buys its catering.
	var ids struct{ Org, Partnership, Source string }
	env.Owner().Raw(`SELECT (SELECT id FROM organisations WHERE name = 'Yalla Trappan') AS org,
		(SELECT id FROM partnerships WHERE title LIKE 'Catering%') AS partnership,
		(SELECT f.id FROM funding_sources f JOIN tenants t ON t.id = f.tenant_id WHERE t.code = '12' LIMIT 1) AS source`).Scan(&ids)
	res := env.Do("POST", "/api/v1/allocations", admin, map[string]any{"source_id": ids.Source, "partnership_id": ids.Partnership,
		"recipient_organisation_id": ids.Org, "granted_ore": 4_000_000_00, "fiscal_year": 2016, "decision_date": "2016-03-01", "status": "granted"})
	if res.Code != 201 {
		t.Fatalf("allocation: %s", res.Body)
	}
	r := report(t, env, admin, "state-aid?on=2016-06-30")
	want := math.Round(4_000_000_00 / 9.4689) // EUR cents, about 422,435 EUR: 84 % of 500,000
	found := false
	for _, row := range r.Tables["organisations"] {
		if row["organisation"] == "Yalla Trappan" {
			found = true
			if row["sum_eur_cents"] != want || row["status"] != "near" || row["ceiling_eur_cents"] != float64(500_000_00) {
				t.Errorf("Yalla Trappan: %v, want %v cents", row, want)
			}
		}
	}
	if !found {
		t.Fatalf("not listed: %v", r.Tables)
	}
}

func TestReportFormatsAndAccess(t *testing.T) {
	env := withDemo(t)
	_, viewer := env.NewUser(auth.RoleViewer)
	res := env.Do("GET", "/api/v1/reports/funding?format=csv&table=by_district", viewer, nil)
	rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if res.Code != 200 || err != nil || rows[0][0] != "district" || rows[0][1] != "granted_ore" || len(rows) < 2 {
		t.Fatalf("csv: %d %v %v", res.Code, rows, err)
	}
	res = env.Do("GET", "/api/v1/reports/outcomes?format=xlsx", viewer, nil)
	x, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	if got := strings.Join(x.GetSheetList(), ","); got != "Om rapporten,indicators,by_definition,cost_per_outcome" {
		t.Fatalf("sheets %s", got)
	}
	head, _ := x.GetRows("cost_per_outcome")
	if len(head) < 2 || head[0][5] != "Kostnad per utfall (kr)" {
		t.Fatalf("xlsx rows %v", head)
	}
	if r := env.Do("GET", "/api/v1/reports/funding?table=nope&format=csv", viewer, nil); r.Code != 400 {
		t.Fatalf("unknown table: %d", r.Code)
	}
	if r := env.Do("GET", "/api/v1/reports/funding?year=2015&from=2015-01-01", viewer, nil); r.Code != 400 {
		t.Fatalf("year and range: %d", r.Code)
	}

	var club string
	env.Owner().Raw("SELECT id FROM organisations WHERE name = 'Friskvårdsklubben i Göteborg'").Scan(&club)
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(club))
	for _, path := range []string{"portfolio", "funding", "state-aid", "outcomes", "follow-up", "lessons", "organisation/" + club} {
		if r := env.Do("GET", "/api/v1/reports/"+path, reporter, nil); r.Code != 403 {
			t.Errorf("a reporter reads %s: %d", path, r.Code)
		}
	}
	_, west := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Västra Göteborg"]))
	p := report(t, env, west, "portfolio")
	var raw float64
	env.Owner().Raw("SELECT count(*) FROM partnerships WHERE district_ids @> ARRAY[?]::uuid[] AND archived_at IS NULL", env.Districts["Västra Göteborg"]).Scan(&raw)
	if got := sum(p.Tables["breakdown"], "partnerships", func(m map[string]any) bool { return m["dimension"] == "total" }); got != raw {
		t.Errorf("district editor's portfolio %v, their district has %v", got, raw)
	}
	org := report(t, env, viewer, "organisation/"+club)
	if len(org.Tables["as_party"]) != 2 || len(org.Tables["as_recipient"]) != 2 {
		t.Errorf("organisation report: %v", org.Tables)
	}
}

func TestCollaborationReports(t *testing.T) {
	env := withDemo(t)
	_, viewer := env.NewUser(auth.RoleViewer)

	plans := report(t, env, viewer, "action-plans?municipality=1480")
	var done, overdue float64
	env.Owner().Raw("SELECT count(*) FROM action_plan_activities WHERE status = 'done' AND archived_at IS NULL").Scan(&done)
	env.Owner().Raw("SELECT count(*) FROM action_plan_activities WHERE status IN ('planned', 'in_progress') AND due_date < current_date AND archived_at IS NULL").Scan(&overdue)
	if len(plans.Tables["plans"]) != 2 || sum(plans.Tables["plans"], "done", nil) != done || sum(plans.Tables["goal_areas"], "done", nil) != done ||
		float64(len(plans.Tables["overdue"])) != overdue || overdue == 0 {
		t.Errorf("action plans (raw: %v done, %v overdue): %v", done, overdue, plans.Tables)
	}
	if r := report(t, env, viewer, "action-plans?year=2010"); len(r.Tables["plans"]) != 0 {
		t.Errorf("plans of 2010: %v", r.Tables["plans"])
	}

	meetings := report(t, env, viewer, "meetings?year=2016")
	var raw float64
	env.Owner().Raw("SELECT count(*) FROM meetings WHERE extract(year FROM held_on) = 2016 AND archived_at IS NULL").Scan(&raw)
	if sum(meetings.Tables["by_level"], "meetings", nil) != raw || sum(meetings.Tables["by_district"], "meetings", nil) != raw || raw == 0 {
		t.Errorf("meetings of 2016 (raw %v): %v", raw, meetings.Tables)
	}
	if sum(meetings.Tables["meetings"], "headcount", func(m map[string]any) bool { return m["kind"] == "workshop" }) != 26 ||
		sum(meetings.Tables["meetings"], "organisations", func(m map[string]any) bool { return m["organisations"] == 24.0 }) != 24 {
		t.Errorf("the homelessness workshop and the children-and-youth meeting: %v", meetings.Tables["meetings"])
	}

	m := report(t, env, viewer, "matching")
	if len(m.Tables["rounds"]) != 1 || m.Tables["rounds"][0]["confirmed"] != 2.0 || m.Tables["rounds"][0]["partnerships"] != 2.0 {
		t.Errorf("rounds: %v", m.Tables["rounds"])
	}
	if a := m.Tables["attendance"]; len(a) != 2 || a[0]["organisations"] != 9.0 || a[0]["new"] != 9.0 || a[1]["returned"] != 4.0 || a[1]["new"] != 3.0 {
		t.Errorf("attendance: %v", a)
	}
	if len(m.Tables["matches"]) != 2 || !strings.Contains(m.Tables["matches"][0]["partnership"].(string), "Idésluss") {
		t.Errorf("matches: %v", m.Tables["matches"])
	}
	res := env.Do("GET", "/api/v1/reports/matching?format=csv&table=attendance", viewer, nil)
	rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if res.Code != 200 || err != nil || len(rows) != 3 || rows[2][4] != "4" || rows[2][5] != "3" {
		t.Errorf("attendance csv: %d %v %v", res.Code, rows, err)
	}
	res = env.Do("GET", "/api/v1/reports/meetings?format=xlsx", viewer, nil)
	if x, err := excelize.OpenReader(bytes.NewReader(res.Body)); err != nil || strings.Join(x.GetSheetList(), ",") != "Om rapporten,by_level,by_district,meetings,organisations_reached" {
		t.Errorf("meetings xlsx: %v", err)
	}
	if r := env.Do("GET", "/api/v1/reports/meetings?form=iop", viewer, nil); r.Code != 400 {
		t.Errorf("a form filter on meetings: %d", r.Code)
	}

	_, angered := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Angered"]))
	if r := report(t, env, angered, "matching"); len(r.Tables["rounds"]) != 0 {
		t.Errorf("Angered sees Lundby's round: %v", r.Tables["rounds"])
	}
	var club string
	env.Owner().Raw("SELECT id FROM organisations WHERE name = 'Friskvårdsklubben i Göteborg'").Scan(&club)
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(club))
	for _, path := range []string{"action-plans", "meetings", "matching"} {
		if r := env.Do("GET", "/api/v1/reports/"+path, reporter, nil); r.Code != 403 {
			t.Errorf("a reporter reads %s: %d", path, r.Code)
		}
	}
}
