package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/platform/listing"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestDemoLoadsOnceIntoItsTenantsAndEveryDemoUserSignsIn(t *testing.T) {
	ctx := context.Background()
	url := dbtest.FreshURL(t)
	db, err := database.Open(ctx, url, database.Options{MaxConns: 10, Role: database.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	owner, err := database.Open(ctx, url, database.Options{MaxConns: 2}) // not held to row-level security: counts every tenant's rows
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(owner) })

	loaded, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
	again, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || again {
		t.Fatalf("second load: %v %v", again, err)
	}

	var counts []struct {
		Code                                    string
		Users, Districts, Partnerships, Sources int
	}
	owner.Raw(`SELECT t.code, (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users,
		(SELECT count(*) FROM districts d WHERE d.tenant_id = t.id) AS districts,
		(SELECT count(*) FROM partnerships p WHERE p.tenant_id = t.id) AS partnerships,
		(SELECT count(*) FROM funding_sources f WHERE f.tenant_id = t.id) AS sources
		FROM tenants t ORDER BY t.code`).Scan(&counts)
	type figures struct{ users, districts, partnerships, sources int }
	want := map[string]figures{"12": {2, 0, 2, 1}, "1280": {2, 0, 0, 0}, "1480": {5, 10, 18, 3}, "1490": {2, 0, 1, 0}}
	if len(counts) != len(want) {
		t.Fatalf("tenants: %+v", counts)
	}
	for _, c := range counts {
		if got := (figures{c.Users, c.Districts, c.Partnerships, c.Sources}); got != want[c.Code] {
			t.Errorf("tenant %s: users, districts, partnerships, funding sources %v, want %v", c.Code, got, want[c.Code])
		}
	}
	var shared struct{ Title, Reader, Owner string }
	owner.Raw(`SELECT p.title, r.code AS reader, o.code AS owner FROM partnership_tenants s JOIN partnerships p ON p.id = s.partnership_id
		JOIN tenants r ON r.id = s.tenant_id JOIN tenants o ON o.id = s.owner_tenant_id`).Scan(&shared)
	if shared != (struct{ Title, Reader, Owner string }{"Sektorsöverskridande samverkan för social hållbarhet", "1280", "12"}) {
		t.Errorf("the ESF pre-study should be Region Skåne's, shared with Malmö: %+v", shared)
	}
	var shape struct{ Municipalities, Organisations, Operators int }
	owner.Raw(`SELECT (SELECT count(*) FROM municipalities) AS municipalities, (SELECT count(*) FROM organisations) AS organisations,
		(SELECT count(*) FROM users WHERE role = 'operator' AND tenant_id IS NULL) AS operators`).Scan(&shape)
	if shape.Municipalities != 40 || shape.Organisations < 30 || shape.Operators != 1 {
		t.Errorf("shared rows: %+v", shape)
	}

	env := apptest.Over(t, db)
	ids := map[string]string{}
	var tenants []struct{ Code, ID string }
	owner.Raw("SELECT code, id FROM tenants").Scan(&tenants)
	for _, tn := range tenants {
		ids[tn.Code] = tn.ID
	}
	svc := app.NewServices(db, env.App.Tokens, auth.Options{Password: apptest.CheapPasswords, RefreshTTL: time.Hour, FailureWindow: time.Minute})
	checkCases(t, env.In(ids["1480"]), env.In(ids["12"]), env.In(ids["1490"]), svc)

	tokens := map[string]string{}
	for _, u := range demo.Users {
		tok, err := svc.Auth.SignIn(ctx, u.Email, demo.Password, "")
		if err != nil {
			t.Errorf("%s: %v", u.Email, err)
			continue
		}
		p, err := env.App.Tokens.Verify(tok.AccessToken)
		if err != nil || p.TenantID != ids[u.Tenant] || string(p.Role) != u.Role {
			t.Errorf("%s signs in as %+v (%v), want role %s in tenant %s", u.Email, p, err, u.Role, u.Tenant)
		}
		tokens[u.Email] = tok.AccessToken
	}
	checkTenantsSeeTheirOwn(t, env, tokens)
}

// checkTenantsSeeTheirOwn lists the partnerships each tenant's users see:
// their own, and the ESF pre-study in Malmö, which Region Skåne shares.
func checkTenantsSeeTheirOwn(t *testing.T, env *apptest.Env, tokens map[string]string) {
	tests := []struct {
		user       string
		references []string
	}{
		{"admin.boras@demo.samverkan.se", []string{"BOR-OK-2026-001"}},
		{"redaktor.malmo@demo.samverkan.se", []string{"MAL-EU-2014-001"}},
		{"admin.skane@demo.samverkan.se", []string{"MAL-EU-2014-001", "MAL-LOU-2026-001"}},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			res := env.Do("GET", "/api/v1/partnerships?limit=200", tokens[tc.user], nil)
			var page struct{ Items []partnerships.Response }
			res.JSON(t, &page)
			var got []string
			for _, p := range page.Items {
				got = append(got, p.Reference)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.references) {
				t.Errorf("%d: %v, want %v", res.Code, got, tc.references)
			}
		})
	}
	for _, user := range []string{"admin@demo.samverkan.se", "vastra@demo.samverkan.se"} {
		res := env.Do("GET", "/api/v1/partnerships?limit=200", tokens[user], nil)
		var page struct{ Items []partnerships.Response }
		res.JSON(t, &page)
		for _, p := range page.Items {
			if p.MunicipalityCode != "1480" {
				t.Errorf("%s sees %s of municipality %s", user, p.Reference, p.MunicipalityCode)
			}
		}
		if len(page.Items) == 0 {
			t.Errorf("%s sees no partnerships: %d %s", user, res.Code, res.Body)
		}
	}
	res := env.Do("GET", "/api/v1/tenants", tokens["operator@demo.samverkan.se"], nil)
	if res.Code != 200 {
		t.Errorf("the operator lists the tenants: %d %s", res.Code, res.Body)
	}
}

// checkCases reads the seed cases back with their figures, each in its
// tenant's scope.
func checkCases(t *testing.T, gbg, skane, boras context.Context, svc app.Services) {
	find := func(ctx context.Context, q string) partnerships.Detail {
		t.Helper()
		page, _ := listing.Parse(nil, map[string]listing.SortKey{"title": {Column: "partnerships.title"}}, "title")
		items, _, err := svc.Partnerships.List(ctx, auth.System, partnerships.Filter{Query: q}, page)
		if err != nil || len(items) == 0 {
			t.Fatalf("no partnership for %q: %v", q, err)
		}
		d, err := svc.Partnerships.Get(ctx, auth.System, items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fk := find(gbg, "friskvårdsklubben 2015")
	if fk.Reference != "GBG-IOP-2015-001" || fk.Status != "completed" || fk.Funding == nil || fk.Funding.GrantedOre != 400_000_00 ||
		len(fk.Funding.BySource) != 2 || len(fk.SuccessorIDs) != 1 || len(fk.StatusHistory) != 3 {
		t.Errorf("Friskvårdsklubben: %s %s %+v successors %v history %d", fk.Reference, fk.Status, fk.Funding, fk.SuccessorIDs, len(fk.StatusHistory))
	}
	em := find(gbg, "ensamkommande")
	if len(em.Indicators) != 1 || *em.Indicators[0].Actual != 65 || *em.Indicators[0].Target != 100 {
		t.Errorf("mentor matches: %+v", em.Indicators)
	}
	ga := find(gbg, "garaget")
	outcomes := map[string]float64{}
	for _, i := range ga.Indicators {
		outcomes[i.Name] = *i.Actual
	}
	if ga.Funding.GrantedOre != 75_000_00 || outcomes["Fasta anställningar"] != 3 || outcomes["Praktikplatser"] != 10 {
		t.Errorf("Garaget: %+v %v", ga.Funding, outcomes)
	}
	esf := find(skane, "sektorsöverskridande")
	if esf.Funding.GrantedOre != 790_680_00 || *esf.TotalBudgetOre != 790_680_00 || *esf.Funding.GrantedSharePct != 1000 { // tenths of a percent
		t.Errorf("ESF: %+v", esf.Funding)
	}
	plans, err := svc.Collaboration.Plans(gbg, auth.System, "1480")
	if err != nil || len(plans) != 2 {
		t.Fatalf("action plans: %v %v", plans, err)
	}
	fu, err := svc.Collaboration.FollowUp(gbg, auth.System, plans[0].ID, time.Date(2016, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil || fu.Overall.Done == 0 || fu.Overall.Done == fu.Overall.Activities {
		t.Errorf("the 2014–2016 plan should have some activities done and some remaining: %+v %v", fu.Overall, err)
	}
	meetings, err := svc.Collaboration.Meetings(gbg, auth.System, collaboration.MeetingFilter{})
	if err != nil || len(meetings) != 6 {
		t.Errorf("meetings: %d %v", len(meetings), err)
	}
	rounds, err := svc.Collaboration.Rounds(gbg, auth.System, "1480")
	if err != nil || len(rounds) != 1 {
		t.Fatalf("matching rounds: %v %v", rounds, err)
	}
	if at := rounds[0].Attendance; len(at) != 2 || at[0].Organisations != 9 || *at[1].Returned != 4 || *at[1].New != 3 {
		t.Errorf("Idésluss attendance: %+v", at)
	}
	if ms := rounds[0].Matches; len(ms) != 2 || ms[0].PartnershipID == "" || ms[1].PartnershipID == "" {
		t.Errorf("the two Idésluss collaborations: %+v", ms)
	}
	lessons, err := svc.Evaluation.Lessons(boras, auth.System, evaluation.LessonFilter{Factor: "responsiveness"})
	if err != nil || len(lessons) != 1 {
		t.Errorf("Borås lessons: %v %v", lessons, err)
	}
}
