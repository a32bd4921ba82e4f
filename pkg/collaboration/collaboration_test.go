package collaboration_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

func TestActionPlanStateOnAnyDay(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	var plan collaboration.Plan
	res := env.Do("POST", "/api/v1/action-plans", editor, collaboration.PlanRequest{Title: str("Kommunal handlingsplan 2014–2016"),
		MunicipalityCode: str("1480"), PeriodStart: str("2014-01-01"), PeriodEnd: str("2016-12-31"),
		GoalAreas: &[]string{"Kunskap", "Dialog"}})
	res.JSON(t, &plan)
	if res.Code != 201 || len(plan.GoalAreas) != 2 {
		t.Fatalf("plan: %d %s", res.Code, res.Body)
	}
	add := func(title, area, due, since string) collaboration.Activity {
		var a collaboration.Activity
		r := env.Do("POST", "/api/v1/action-plans/"+plan.ID+"/activities", editor, collaboration.ActivityRequest{Title: str(title),
			GoalAreaID: str(area), DueDate: str(due), Since: str(since)})
		r.JSON(t, &a)
		if r.Code != 201 {
			t.Fatalf("activity: %d %s", r.Code, r.Body)
		}
		return a
	}
	k1 := add("Utbildningsdagar", plan.GoalAreas[0].ID, "2015-06-30", "2014-03-01")
	k2 := add("Kunskapsbank", plan.GoalAreas[0].ID, "2016-12-31", "2014-03-01")
	d1 := add("Dialogforum", plan.GoalAreas[1].ID, "2015-12-31", "2014-03-01")
	set := func(a collaboration.Activity, status, since string) collaboration.Activity {
		var out collaboration.Activity
		r := env.Do("PATCH", "/api/v1/action-plan-activities/"+a.ID, editor, collaboration.ActivityRequest{Status: str(status), Since: str(since)},
			apptest.H("If-Match", `"`+itoa(a.Version)+`"`))
		r.JSON(t, &out)
		if r.Code != 200 {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		return out
	}
	set(k1, "done", "2015-05-01")
	d1 = set(d1, "in_progress", "2015-02-01")
	d1 = set(d1, "done", "2016-10-01")
	_ = k2

	at := func(on string) collaboration.FollowUp {
		var f collaboration.FollowUp
		r := env.Do("GET", "/api/v1/action-plans/"+plan.ID+"/follow-up?on="+on, editor, nil)
		r.JSON(t, &f)
		if r.Code != 200 {
			t.Fatalf("follow-up: %d %s", r.Code, r.Body)
		}
		return f
	}
	// On 1 January 2016: one of three done; Dialogforum overdue (due end of 2015, in progress).
	f := at("2016-01-01")
	if f.Overall.Activities != 3 || f.Overall.Done != 1 || *f.Overall.DonePercent != 33.3 || len(f.Overdue) != 1 || f.Overdue[0].ID != d1.ID {
		t.Fatalf("2016-01-01: %+v", f)
	}
	if f.GoalAreas[0].Done != 1 || *f.GoalAreas[0].DonePercent != 50 || f.GoalAreas[1].InProgress != 1 {
		t.Fatalf("areas 2016-01-01: %+v", f.GoalAreas)
	}
	// At the end of the plan: two of three done, the knowledge bank remains.
	f = at("2016-12-31")
	if f.Overall.Done != 2 || *f.Overall.DonePercent != 66.6 {
		t.Fatalf("2016-12-31: %+v", f.Overall)
	}
	// Before anything was registered: nothing.
	if f = at("2013-01-01"); f.Overall.Activities != 0 {
		t.Fatalf("2013: %+v", f.Overall)
	}
	if r := env.Do("GET", "/api/v1/action-plans/"+plan.ID+"/follow-up?on=igår", editor, nil); r.Code != 400 {
		t.Fatalf("bad day: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/action-plans/"+plan.ID+"/activities", editor, collaboration.ActivityRequest{Title: str("x"), Status: str("half")}); r.Code != 422 {
		t.Fatalf("unknown status: %d", r.Code)
	}
}

func TestMeetingsLinkBothWaysAndRespectDistricts(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	var org organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Förening " + apptest.Unique("m"), Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &org)
	var plan collaboration.Plan
	env.Do("POST", "/api/v1/action-plans", editor, collaboration.PlanRequest{Title: str("Plan"), MunicipalityCode: str("1480")}).JSON(t, &plan)
	var act collaboration.Activity
	env.Do("POST", "/api/v1/action-plans/"+plan.ID+"/activities", editor, collaboration.ActivityRequest{Title: str("Ungdomsverksamhet")}).JSON(t, &act)

	var m collaboration.Meeting
	res := env.Do("POST", "/api/v1/meetings", editor, collaboration.MeetingRequest{Kind: str("dialogue_cafe"), Title: str("Kafédialog"),
		HeldOn: str("2016-03-15"), MunicipalityCode: str("1480"), DistrictID: str(env.Districts["Lundby"]), ParticipationLevel: str("dialogue"),
		Topics: &[]string{"barn och unga", "lokaler"}, Headcount: num(15), Participants: &[]string{org.ID}})
	res.JSON(t, &m)
	if res.Code != 201 || len(m.Participants) != 1 || m.Headcount == nil || *m.Headcount != 15 {
		t.Fatalf("meeting: %d %s", res.Code, res.Body)
	}
	res = env.Do("POST", "/api/v1/meetings/"+m.ID+"/actions", editor, collaboration.ActionRequest{Description: "Samordna föreningarnas ungdomsverksamhet", ActivityID: act.ID})
	res.JSON(t, &m)
	if res.Code != 201 || len(m.Actions) != 1 || len(m.LinkedActivityIDs) != 1 || m.LinkedActivityIDs[0] != act.ID {
		t.Fatalf("action: %d %s", res.Code, res.Body)
	}
	var p collaboration.Plan
	env.Do("GET", "/api/v1/action-plans/"+plan.ID, editor, nil).JSON(t, &p)
	if len(p.Activities) != 1 || len(p.Activities[0].MeetingIDs) != 1 || p.Activities[0].MeetingIDs[0] != m.ID {
		t.Fatalf("the activity does not link back: %+v", p.Activities)
	}
	for name, req := range map[string]collaboration.MeetingRequest{
		"no date":       {Kind: str("workshop"), Title: str("x"), MunicipalityCode: str("1480")},
		"unknown kind":  {Kind: str("party"), Title: str("x"), HeldOn: str("2016-01-01"), MunicipalityCode: str("1480")},
		"negative head": {Kind: str("workshop"), Title: str("x"), HeldOn: str("2016-01-01"), MunicipalityCode: str("1480"), Headcount: num(-1)},
	} {
		if r := env.Do("POST", "/api/v1/meetings", editor, req); r.Code != 422 {
			t.Errorf("%s: %d", name, r.Code)
		}
	}
	res = env.Do("GET", "/api/v1/meetings?format=csv&district="+env.Districts["Lundby"], editor, nil)
	rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if res.Code != 200 || err != nil || len(rows) < 2 || rows[0][1] != "held_on" || rows[1][8] != "barn och unga; lokaler" {
		t.Errorf("meetings csv: %d %v %v", res.Code, rows, err)
	}
	if r := env.Do("GET", "/api/v1/meetings?format=pdf", editor, nil); r.Code != 400 {
		t.Errorf("format=pdf: %d", r.Code)
	}
	_, angered := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Angered"]))
	if r := env.Do("GET", "/api/v1/meetings/"+m.ID, angered, nil); r.Code != 404 {
		t.Errorf("another district's meeting: %d", r.Code)
	}
	var l collaboration.MeetingList
	env.Do("GET", "/api/v1/meetings", angered, nil).JSON(t, &l)
	for _, x := range l.Items {
		if x.ID == m.ID {
			t.Error("another district's meeting listed")
		}
	}
	if r := env.Do("PATCH", "/api/v1/action-plans/"+plan.ID, angered, map[string]string{"title": "x"}, apptest.H("If-Match", `"1"`)); r.Code != 403 {
		t.Errorf("a district editor changes a city-wide plan: %d", r.Code)
	}
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(org.ID))
	if r := env.Do("GET", "/api/v1/meetings", reporter, nil); r.Code != 403 {
		t.Errorf("a reporter reads meetings: %d", r.Code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
