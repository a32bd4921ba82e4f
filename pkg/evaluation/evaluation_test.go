package evaluation_test

import (
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func str(s string) *string { return &s }

type world struct {
	env              *apptest.Env
	editor, reporter string
	outsider         string
	org, partnership string
}

func newWorld(t *testing.T) world {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	var o, other organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Rapportör " + apptest.Unique("o"), Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &o)
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Utomstående " + apptest.Unique("o"), Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &other)
	var p partnerships.Response
	env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Mentorer", Form: "iop", MunicipalityCode: "1480", Status: "active",
		StartDate: "2015-01-01", EndDate: "2015-12-31", TargetGroups: []string{"ensamkommande_barn"}}).JSON(t, &p)
	if res := env.Do("POST", "/api/v1/partnerships/"+p.ID+"/parties", editor, partnerships.NewPartyRequest{OrganisationID: o.ID, Role: "partner"}); res.Code != 201 {
		t.Fatalf("party: %s", res.Body)
	}
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(o.ID))
	_, outsider := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(other.ID))
	return world{env: env, editor: editor, reporter: reporter, outsider: outsider, org: o.ID, partnership: p.ID}
}

func TestMeasurementsAreReportedApprovedAndCounted(t *testing.T) {
	w := newWorld(t)
	env := w.env
	hundred := 100.0
	var ind evaluation.Indicator
	res := env.Do("POST", "/api/v1/partnerships/"+w.partnership+"/indicators", w.editor, evaluation.IndicatorRequest{
		Name: str("Matchningar mentor–ungdom"), Unit: str("matchningar"), ResultLevel: str("output"), Aggregation: str("sum"),
		Targets: &[]evaluation.TargetRequest{{PeriodStart: "2015-01-01", PeriodEnd: "2015-06-30", Target: &hundred}}})
	res.JSON(t, &ind)
	if res.Code != 201 || len(ind.Periods) != 1 {
		t.Fatalf("indicator: %d %s", res.Code, res.Body)
	}
	submit := func(tok string, v float64) (int, evaluation.Measurement) {
		var m evaluation.Measurement
		r := env.Do("POST", "/api/v1/indicators/"+ind.ID+"/measurements", tok, evaluation.MeasurementRequest{PeriodStart: "2015-01-01", PeriodEnd: "2015-03-31", Value: &v})
		if r.Code == 201 {
			r.JSON(t, &m)
		}
		return r.Code, m
	}
	code, first := submit(w.reporter, 40)
	if code != 201 || first.Status != "submitted" {
		t.Fatalf("reporter submits: %d %+v", code, first)
	}
	if code, _ := submit(w.outsider, 999); code != 404 {
		t.Fatalf("a reporter of another organisation: %d", code)
	}
	_, second := submit(w.reporter, 25)
	_, wrong := submit(w.reporter, 1000)

	var q evaluation.MeasurementList
	env.Do("GET", "/api/v1/measurements", w.editor, nil).JSON(t, &q)
	waiting := 0
	for _, m := range q.Items {
		if m.IndicatorID == ind.ID {
			waiting++
		}
	}
	if waiting != 3 {
		t.Fatalf("queue holds %d of ours", waiting)
	}
	if r := env.Do("POST", "/api/v1/measurements/"+first.ID+"/approve", w.reporter, nil); r.Code != 403 {
		t.Fatalf("a reporter approved: %d", r.Code)
	}
	for _, id := range []string{first.ID, second.ID} {
		if r := env.Do("POST", "/api/v1/measurements/"+id+"/approve", w.editor, nil); r.Code != 200 {
			t.Fatalf("approve: %d %s", r.Code, r.Body)
		}
	}
	if r := env.Do("POST", "/api/v1/measurements/"+wrong.ID+"/reject", w.editor, evaluation.ReviewRequest{}); r.Code != 422 {
		t.Fatalf("reject without a reason: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/measurements/"+wrong.ID+"/reject", w.editor, evaluation.ReviewRequest{Reason: "Avser hela staden"}); r.Code != 200 {
		t.Fatalf("reject: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/measurements/"+first.ID+"/approve", w.editor, nil); r.Code != 409 {
		t.Fatalf("approve twice: %d", r.Code)
	}

	// 40 + 25 approved of a target of 100: 65 %, the rejected 1000 not counted.
	env.Do("GET", "/api/v1/indicators/"+ind.ID, w.reporter, nil).JSON(t, &ind)
	if p := ind.Periods[0]; p.Actual == nil || *p.Actual != 65 || *p.AttainmentPercent != 65 {
		t.Fatalf("period %+v", p)
	}
	var d partnerships.Detail
	env.Do("GET", "/api/v1/partnerships/"+w.partnership, w.reporter, nil).JSON(t, &d)
	if len(d.Indicators) != 1 || *d.Indicators[0].Actual != 65 || *d.Indicators[0].Target != 100 || *d.Indicators[0].AttainmentPercent != 65 {
		t.Fatalf("summary %+v", d.Indicators)
	}
	if r := env.Do("GET", "/api/v1/partnerships/"+w.partnership, w.outsider, nil); r.Code != 404 {
		t.Fatalf("another reporter sees the partnership: %d", r.Code)
	}
}

func TestFollowUpsEvaluationsAndLessons(t *testing.T) {
	w := newWorld(t)
	env := w.env
	base := "/api/v1/partnerships/" + w.partnership
	var fu evaluation.FollowUp
	env.Do("POST", base+"/follow-ups", w.editor, evaluation.FollowUpRequest{DueOn: str("2015-06-30"), Description: str("Vårterminen")}).JSON(t, &fu)
	if !fu.Overdue {
		t.Fatalf("follow-up: %+v", fu)
	}
	var l evaluation.FollowUpList
	env.Do("GET", "/api/v1/follow-ups?overdue=true", w.editor, nil).JSON(t, &l)
	found := false
	for _, x := range l.Items {
		found = found || x.ID == fu.ID
	}
	if !found {
		t.Fatal("not listed as overdue")
	}
	if r := env.Do("PATCH", "/api/v1/follow-ups/"+fu.ID, w.editor, evaluation.FollowUpRequest{DoneOn: str("2015-07-02")}, apptest.H("If-Match", `"1"`)); r.Code != 200 {
		t.Fatalf("done: %d %s", r.Code, r.Body)
	}

	var ev evaluation.Evaluation
	res := env.Do("POST", base+"/evaluations", w.editor, evaluation.EvaluationRequest{Kind: str("accompanying_research"), Evaluator: str("Högskolan i Borås"),
		EvaluatedOn: str("2016-05-01"), Findings: str("Lyhördhet, flexibilitet och tid möjliggör samverkan"), Principles: &map[string]int{"dialogue": 4}})
	res.JSON(t, &ev)
	if res.Code != 201 {
		t.Fatalf("evaluation: %s", res.Body)
	}
	if r := env.Do("POST", "/api/v1/evaluations/"+ev.ID+"/assessments", w.reporter, evaluation.AssessmentRequest{OrganisationID: w.org, Text: "Vi ser det annorlunda", Dissent: true}); r.Code != 201 {
		t.Fatalf("own assessment: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", "/api/v1/evaluations/"+ev.ID+"/assessments", w.reporter, evaluation.AssessmentRequest{OrganisationID: ev.ID, Text: "x"}); r.Code != 403 {
		t.Fatalf("speaking for another organisation: %d", r.Code)
	}
	env.Do("GET", "/api/v1/evaluations/"+ev.ID, w.editor, nil).JSON(t, &ev)
	if len(ev.Assessments) != 1 || !ev.Assessments[0].Dissent {
		t.Fatalf("assessments: %+v", ev.Assessments)
	}

	text := "Lyhördhet och flexibilitet från förvaltningen gjorde att samverkan fungerade"
	if r := env.Do("POST", base+"/lessons", w.editor, evaluation.LessonRequest{Category: str("success_factor"), Factors: &[]string{"responsiveness", "flexibility"},
		Text: &text, EvaluationID: &ev.ID}); r.Code != 201 {
		t.Fatalf("lesson: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", base+"/lessons", w.editor, evaluation.LessonRequest{Category: str("success_factor"), Factors: &[]string{"luck"}, Text: &text}); r.Code != 422 {
		t.Fatalf("unknown factor: %d", r.Code)
	}
	for q, want := range map[string]int{"q=flexib&partnership=" + w.partnership: 1, "factor=responsiveness&partnership=" + w.partnership: 1,
		"factor=trust&partnership=" + w.partnership: 0, "q=lyhörd&partnership=" + w.partnership: 1} {
		var ls evaluation.LessonList
		env.Do("GET", "/api/v1/lessons?"+q, w.reporter, nil).JSON(t, &ls)
		if len(ls.Items) != want {
			t.Errorf("%s: %d lessons", q, len(ls.Items))
		}
	}
	var ls evaluation.LessonList
	env.Do("GET", "/api/v1/lessons?partnership="+w.partnership, w.outsider, nil).JSON(t, &ls)
	if len(ls.Items) != 0 {
		t.Fatal("another reporter reads the lessons")
	}
}

func TestExtensionCopiesIndicators(t *testing.T) {
	w := newWorld(t)
	env := w.env
	env.Do("POST", "/api/v1/partnerships/"+w.partnership+"/indicators", w.editor, evaluation.IndicatorRequest{Name: str("Aktiviteter"), Unit: str("st"),
		ResultLevel: str("output")})
	var next partnerships.Response
	env.Do("POST", "/api/v1/partnerships/"+w.partnership+"/extend", w.editor, partnerships.ExtendRequest{StartDate: "2016-01-01"}).JSON(t, &next)
	var l evaluation.IndicatorList
	env.Do("GET", "/api/v1/partnerships/"+next.ID+"/indicators", w.editor, nil).JSON(t, &l)
	if len(l.Items) != 1 || l.Items[0].Name != "Aktiviteter" {
		t.Fatalf("copied indicators: %+v", l.Items)
	}
}
