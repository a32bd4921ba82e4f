package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/platform/listing"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestDemoLoadsOnceAndEveryDemoUserSignsIn(t *testing.T) {
	env := apptest.New(t)
	db := dbtest.Fresh(t)
	ctx := context.Background()
	loaded, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
	again, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || again {
		t.Fatalf("second load: %v %v", again, err)
	}
	var counts struct{ Municipalities, Districts, Organisations, Users int }
	db.Raw(`SELECT (SELECT count(*) FROM municipalities) AS municipalities, (SELECT count(*) FROM districts) AS districts,
		(SELECT count(*) FROM organisations) AS organisations, (SELECT count(*) FROM users) AS users`).Scan(&counts)
	if counts.Municipalities != 40 || counts.Districts != 10 || counts.Organisations < 30 || counts.Users != len(demo.Users) {
		t.Fatalf("counts %+v", counts)
	}
	checkCases(t, ctx, app.NewServices(db, env.App.Tokens, auth.Options{Password: apptest.CheapPasswords}))
	svc := app.NewServices(db, env.App.Tokens, auth.Options{Password: apptest.CheapPasswords, RefreshTTL: time.Hour, FailureWindow: time.Minute})
	for _, u := range demo.Users {
		if _, err := svc.Auth.SignIn(ctx, u.Email, demo.Password, ""); err != nil {
			t.Errorf("%s: %v", u.Email, err)
		}
	}
}

// checkCases reads the seed cases back with their figures.
func checkCases(t *testing.T, ctx context.Context, svc app.Services) {
	find := func(q string) partnerships.Detail {
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
	fk := find("friskvårdsklubben 2015")
	if fk.Reference != "GBG-IOP-2015-001" || fk.Status != "completed" || fk.Funding == nil || fk.Funding.GrantedOre != 400_000_00 ||
		len(fk.Funding.BySource) != 2 || len(fk.SuccessorIDs) != 1 || len(fk.StatusHistory) != 3 {
		t.Errorf("Friskvårdsklubben: %s %s %+v successors %v history %d", fk.Reference, fk.Status, fk.Funding, fk.SuccessorIDs, len(fk.StatusHistory))
	}
	em := find("ensamkommande")
	if len(em.Indicators) != 1 || *em.Indicators[0].Actual != 65 || *em.Indicators[0].Target != 100 {
		t.Errorf("mentor matches: %+v", em.Indicators)
	}
	ga := find("garaget")
	outcomes := map[string]float64{}
	for _, i := range ga.Indicators {
		outcomes[i.Name] = *i.Actual
	}
	if ga.Funding.GrantedOre != 75_000_00 || outcomes["Fasta anställningar"] != 3 || outcomes["Praktikplatser"] != 10 {
		t.Errorf("Garaget: %+v %v", ga.Funding, outcomes)
	}
	esf := find("sektorsöverskridande")
	if esf.Funding.GrantedOre != 790_680_00 || *esf.TotalBudgetOre != 790_680_00 || *esf.Funding.GrantedSharePct != 1000 { // tenths of a percent
		t.Errorf("ESF: %+v", esf.Funding)
	}
	plans, err := svc.Collaboration.Plans(ctx, auth.System, "1480")
	if err != nil || len(plans) != 2 {
		t.Fatalf("action plans: %v %v", plans, err)
	}
	fu, err := svc.Collaboration.FollowUp(ctx, auth.System, plans[0].ID, time.Date(2016, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil || fu.Overall.Done == 0 || fu.Overall.Done == fu.Overall.Activities {
		t.Errorf("the 2014–2016 plan should have some activities done and some remaining: %+v %v", fu.Overall, err)
	}
	meetings, err := svc.Collaboration.Meetings(ctx, auth.System, collaboration.MeetingFilter{})
	if err != nil || len(meetings) != 6 {
		t.Errorf("meetings: %d %v", len(meetings), err)
	}
	rounds, err := svc.Collaboration.Rounds(ctx, auth.System, "1480")
	if err != nil || len(rounds) != 1 {
		t.Fatalf("matching rounds: %v %v", rounds, err)
	}
	if at := rounds[0].Attendance; len(at) != 2 || at[0].Organisations != 9 || *at[1].Returned != 4 || *at[1].New != 3 {
		t.Errorf("Idésluss attendance: %+v", at)
	}
	if ms := rounds[0].Matches; len(ms) != 2 || ms[0].PartnershipID == "" || ms[1].PartnershipID == "" {
		t.Errorf("the two Idésluss collaborations: %+v", ms)
	}
	lessons, err := svc.Evaluation.Lessons(ctx, auth.System, evaluation.LessonFilter{Factor: "responsiveness"})
	if err != nil || len(lessons) != 1 {
		t.Errorf("Borås lessons: %v %v", lessons, err)
	}
}
