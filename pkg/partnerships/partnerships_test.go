package partnerships_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type fixture struct {
	env    *apptest.Env
	editor string
	org    func(name string, districts ...string) string
}

func setup(t *testing.T) fixture {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	fx := fixture{env: env, editor: editor}
	fx.org = func(name string, districts ...string) string {
		var ids []string
		for _, d := range districts {
			ids = append(ids, env.Districts[d])
		}
		res := env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: name, Sector: "civil_society",
			LegalForm: "ovrig", MunicipalityCode: "1480", DistrictIDs: ids})
		var o organisations.Response
		res.JSON(t, &o)
		if res.Code != 201 {
			t.Fatalf("organisation: %d %s", res.Code, res.Body)
		}
		return o.ID
	}
	return fx
}

func (fx fixture) create(t *testing.T, token string, req partnerships.NewRequest) partnerships.Response {
	t.Helper()
	if req.MunicipalityCode == "" {
		req.MunicipalityCode = "1480"
	}
	if req.Form == "" {
		req.Form = "iop"
	}
	res := fx.env.Do("POST", "/api/v1/partnerships", token, req)
	var p partnerships.Response
	res.JSON(t, &p)
	if res.Code != 201 {
		t.Fatalf("create %q: %d %s", req.Title, res.Code, res.Body)
	}
	return p
}

func TestReferenceCodesRunPerMunicipalityFormAndYear(t *testing.T) {
	fx := setup(t)
	year := 2030 + int(uuid.New()[0])%60 // a year of this test's own
	a := fx.create(t, fx.editor, partnerships.NewRequest{Title: "A", StartDate: fmt.Sprintf("%d-01-01", year)})
	b := fx.create(t, fx.editor, partnerships.NewRequest{Title: "B", StartDate: fmt.Sprintf("%d-06-01", year)})
	c := fx.create(t, fx.editor, partnerships.NewRequest{Title: "C", StartDate: fmt.Sprintf("%d-06-01", year), Form: "project_grant"})
	d := fx.create(t, fx.editor, partnerships.NewRequest{Title: "D", StartDate: fmt.Sprintf("%d-06-01", year), MunicipalityCode: "1490"})
	want := []string{fmt.Sprintf("GOT-IOP-%d-001", year), fmt.Sprintf("GOT-IOP-%d-002", year), fmt.Sprintf("GOT-PB-%d-001", year), fmt.Sprintf("BOR-IOP-%d-001", year)}
	if got := []string{a.Reference, b.Reference, c.Reference, d.Reference}; !slices.Equal(got, want) {
		t.Fatalf("references %v, want %v", got, want)
	}
	if a.Status != "idea" || a.BudgetCurrency != "SEK" {
		t.Fatalf("defaults: %+v", a)
	}
}

func TestTransitionTable(t *testing.T) {
	fx := setup(t)
	all := []string{"idea", "dialogue", "negotiation", "active", "completed", "terminated", "cancelled"}
	allowed := map[string][]string{
		"idea": {"dialogue", "negotiation", "active", "cancelled"}, "dialogue": {"negotiation", "active", "cancelled"},
		"negotiation": {"dialogue", "active", "cancelled"}, "active": {"completed", "terminated"},
	}
	for _, from := range all {
		for _, to := range all {
			p := fx.create(t, fx.editor, partnerships.NewRequest{Title: from + "→" + to, Status: from})
			res := fx.env.Do("POST", "/api/v1/partnerships/"+p.ID+"/transitions", fx.editor, partnerships.TransitionRequest{To: to, Reason: "test", On: "2026-03-01"})
			ok := slices.Contains(allowed[from], to)
			switch {
			case ok && res.Code != 200:
				t.Errorf("%s → %s: %d %s", from, to, res.Code, res.Body)
			case !ok && res.Code != 409:
				t.Errorf("%s → %s: %d, want 409", from, to, res.Code)
			case !ok:
				pr := res.Problem(t)
				if pr.Code != "transition_not_allowed" || !slices.Equal(pr.Allowed, partnerships.AllowedNext(from)) {
					t.Errorf("%s → %s: problem %+v", from, to, pr)
				}
			}
		}
	}
	p := fx.create(t, fx.editor, partnerships.NewRequest{Title: "Historik"})
	for _, to := range []string{"dialogue", "negotiation", "active", "completed"} {
		fx.env.Do("POST", "/api/v1/partnerships/"+p.ID+"/transitions", fx.editor, partnerships.TransitionRequest{To: to, Reason: "vidare"})
	}
	var d partnerships.Detail
	fx.env.Do("GET", "/api/v1/partnerships/"+p.ID, fx.editor, nil).JSON(t, &d)
	var steps []string
	for _, h := range d.StatusHistory {
		steps = append(steps, h.From+">"+h.To)
	}
	if strings.Join(steps, " ") != ">idea idea>dialogue dialogue>negotiation negotiation>active active>completed" || d.Status != "completed" || len(d.AllowedNext) != 0 {
		t.Fatalf("history %v, status %s, next %v", steps, d.Status, d.AllowedNext)
	}
	if res := fx.env.Do("POST", "/api/v1/partnerships/"+p.ID+"/transitions", fx.editor, partnerships.TransitionRequest{To: "paused"}); res.Code != 422 {
		t.Fatalf("unknown status: %d", res.Code)
	}
}

func TestPartiesLedgerAndExtension(t *testing.T) {
	fx := setup(t)
	env := fx.env
	club := fx.org("Friskvårdsklubben "+apptest.Unique("t"), "Västra Göteborg")
	srf := fx.org("Social resursförvaltning " + apptest.Unique("t"))
	p := fx.create(t, fx.editor, partnerships.NewRequest{Title: "Friskvård 2015", Status: "active", StartDate: "2015-01-01", EndDate: "2015-12-31",
		TargetGroups: []string{"psykisk_ohalsa"}, PolicyGoals: []string{"sdg_3"}, DistrictIDs: []string{env.Districts["Västra Göteborg"]},
		Principles: map[string]partnerships.PrincipleAssessment{"dialogue": {Score: 4, Comment: "Referensgruppsmöten"}}})
	base := "/api/v1/partnerships/" + p.ID

	var lead, funder partnerships.Party
	env.Do("POST", base+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: club, Role: "lead", JoinedOn: "2015-01-01"}).JSON(t, &lead)
	env.Do("POST", base+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: srf, Role: "funder", JoinedOn: "2015-01-01"}).JSON(t, &funder)
	if lead.ID == "" || funder.OrganisationName == "" {
		t.Fatalf("parties: %+v %+v", lead, funder)
	}
	for name, body := range map[string]partnerships.NewPartyRequest{
		"unknown organisation": {OrganisationID: uuid.NewString(), Role: "partner"},
		"unknown role":         {OrganisationID: club, Role: "boss"},
		"left before joining":  {OrganisationID: club, Role: "partner", JoinedOn: "2015-05-01", LeftOn: "2015-01-01"},
	} {
		if res := env.Do("POST", base+"/parties", fx.editor, body); res.Code != 422 {
			t.Errorf("%s: %d", name, res.Code)
		}
	}
	two := 2.0
	val := int64(5_000_00)
	res := env.Do("POST", base+"/commitments", fx.editor, partnerships.NewCommitmentRequest{PartyID: lead.ID, Direction: "committed", Kind: "activities",
		Quantity: &two, Unit: "aktiviteter per vecka och termin", DistrictID: env.Districts["Västra Göteborg"], ValuationOre: &val})
	if res.Code != 201 {
		t.Fatalf("commitment: %d %s", res.Code, res.Body)
	}
	money := int64(400_000_00)
	env.Do("POST", base+"/commitments", fx.editor, partnerships.NewCommitmentRequest{PartyID: funder.ID, Direction: "committed", Kind: "money", ValuationOre: &money})
	if res := env.Do("POST", base+"/commitments", fx.editor, partnerships.NewCommitmentRequest{PartyID: uuid.NewString(), Direction: "committed", Kind: "money"}); res.Code != 422 {
		t.Fatalf("commitment of no party: %d", res.Code)
	}
	if res := env.Do("POST", base+"/commitments", fx.editor, `{"party_id":"`+lead.ID+`","direction":"committed","kind":"money","valuation_ore":1.5}`); res.Code != 400 {
		t.Fatalf("money as a fraction: %d", res.Code)
	}

	var d partnerships.Detail
	res = env.Do("GET", base, fx.editor, nil)
	res.JSON(t, &d)
	if len(d.Parties) != 2 || len(d.Commitments) != 2 || len(d.Ledger) != 2 || d.Principles["dialogue"].Score != 4 {
		t.Fatalf("detail: %s", res.Body)
	}
	if !strings.Contains(string(res.Body), `"valuation_ore":40000000`) {
		t.Fatalf("money is not an integer of öre in JSON: %s", res.Body)
	}
	for _, l := range d.Ledger {
		if l.PartyID == funder.ID && (l.CommittedOre != money || l.SharePct == nil || *l.SharePct != 987) {
			t.Errorf("funder's ledger line: %+v", l)
		}
	}

	// Extension: the successor gets the parties and commitments, linked both ways.
	if res := env.Do("POST", base+"/extend", fx.editor, partnerships.ExtendRequest{StartDate: "2015-06-01"}); res.Code != 422 {
		t.Fatalf("overlapping extension: %d", res.Code)
	}
	res = env.Do("POST", base+"/extend", fx.editor, partnerships.ExtendRequest{StartDate: "2016-01-01", EndDate: "2016-12-31", Title: "Friskvård 2016"})
	var next partnerships.Response
	res.JSON(t, &next)
	if res.Code != 201 || next.PredecessorID != p.ID || next.Status != "negotiation" || !strings.HasSuffix(next.Reference[:12], "2016") {
		t.Fatalf("extend: %d %s", res.Code, res.Body)
	}
	var nd partnerships.Detail
	env.Do("GET", "/api/v1/partnerships/"+next.ID, fx.editor, nil).JSON(t, &nd)
	if len(nd.Parties) != 2 || len(nd.Commitments) != 2 || nd.Commitments[0].PeriodStart != "2016-01-01" {
		t.Fatalf("successor: %+v", nd)
	}
	env.Do("GET", base, fx.editor, nil).JSON(t, &d)
	if len(d.SuccessorIDs) != 1 || d.SuccessorIDs[0] != next.ID {
		t.Fatalf("successor ids: %v", d.SuccessorIDs)
	}

	// Filters.
	list := func(q string) []string {
		var l partnerships.List
		r := env.Do("GET", "/api/v1/partnerships?limit=200&organisation="+club+"&"+q, fx.editor, nil)
		if r.Code != 200 {
			t.Fatalf("%s: %d %s", q, r.Code, r.Body)
		}
		r.JSON(t, &l)
		var out []string
		for _, x := range l.Items {
			out = append(out, x.Title)
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                     {"Friskvård 2016", "Friskvård 2015"},
		"role=lead":            {"Friskvård 2016", "Friskvård 2015"},
		"role=funder":          nil,
		"active_on=2015-06-01": {"Friskvård 2015"},
		"from=2016-03-01":      {"Friskvård 2016"},
		"to=2015-03-01":        {"Friskvård 2015"},
		"status=negotiation":   {"Friskvård 2016"},
		"target_group=psykisk_ohalsa&policy_goal=sdg_3": {"Friskvård 2016", "Friskvård 2015"},
		"q=friskv":                             {"Friskvård 2016", "Friskvård 2015"},
		"sort=start_date":                      {"Friskvård 2015", "Friskvård 2016"},
		"district=" + env.Districts["Angered"]: nil,
	} {
		if got := list(q); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	for _, q := range []string{"form=x", "active_on=igår", "organisation=1", "sort=secret", "status=active&bogus=1"} {
		if r := env.Do("GET", "/api/v1/partnerships?"+q, fx.editor, nil); r.Code != 400 {
			t.Errorf("%s: %d", q, r.Code)
		}
	}
}

func TestUnknownCodesAreRefused(t *testing.T) {
	fx := setup(t)
	for name, req := range map[string]partnerships.NewRequest{
		"target group":       {Title: "x", Form: "iop", MunicipalityCode: "1480", TargetGroups: []string{"martians"}},
		"policy goal":        {Title: "x", Form: "iop", MunicipalityCode: "1480", PolicyGoals: []string{"sdg_99"}},
		"principle":          {Title: "x", Form: "iop", MunicipalityCode: "1480", Principles: map[string]partnerships.PrincipleAssessment{"speed": {Score: 3}}},
		"principle score":    {Title: "x", Form: "iop", MunicipalityCode: "1480", Principles: map[string]partnerships.PrincipleAssessment{"quality": {Score: 9}}},
		"form":               {Title: "x", Form: "gift", MunicipalityCode: "1480"},
		"municipality":       {Title: "x", Form: "iop", MunicipalityCode: "0001"},
		"end before start":   {Title: "x", Form: "iop", MunicipalityCode: "1480", StartDate: "2016-01-01", EndDate: "2015-01-01"},
		"participation":      {Title: "x", Form: "iop", MunicipalityCode: "1480", ParticipationLevel: "co_creation"},
		"negative budget":    {Title: "x", Form: "iop", MunicipalityCode: "1480", TotalBudgetOre: new(int64(-1))},
		"district elsewhere": {Title: "x", Form: "iop", MunicipalityCode: "1490", DistrictIDs: []string{fx.env.Districts["Lundby"]}},
	} {
		if res := fx.env.Do("POST", "/api/v1/partnerships", fx.editor, req); res.Code != 422 {
			t.Errorf("%s: %d %s", name, res.Code, res.Body)
		}
	}
}
