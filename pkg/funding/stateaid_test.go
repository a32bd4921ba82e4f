package funding_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/funding"
)

// TestStateAidAcrossGrantors: Göteborg and Borås grant SGEI compensation
// to one organisation on partnerships of their own. Each tenant's state-aid
// answer sums both, shows the other's grant as grantor, date and amount
// only, and Borås is warned when its grant takes the organisation past the
// ceiling; a grant on a partnership shared between them counts once.
func TestStateAidAcrossGrantors(t *testing.T) {
	w := newWorld(t)
	boras, borasEditor := tenantEditor(t, w.env, "1490", "Borås Stad")
	_, malmoEditor := tenantEditor(t, w.env, "1280", "Malmö stad")
	bw := w.as(borasEditor, "1490")
	rec := w.org(t, "Stödmottagare "+apptest.Unique("sa"))
	ours := w.partnership(t, "Göteborgs IOP "+apptest.Unique("p"), []string{"unga"})
	theirs := bw.partnership(t, "Borås IOP "+apptest.Unique("p"), []string{"unga"})
	grant := func(w world, p, day string, sek int64) funding.Allocation {
		src := w.source(t, "Källa "+apptest.Unique("s"))
		return w.allocate(t, funding.AllocationRequest{SourceID: &src, PartnershipID: &p, RecipientOrganisationID: &rec, GrantedOre: num(sek * 100),
			FiscalYear: year(2024), DecisionDate: &day, Status: str("granted"), StateAid: str("sgei_de_minimis"), DecisionReference: str("Hemlig dnr " + apptest.Unique(""))}, 201)
	}
	gbg := grant(w, ours, "2024-02-01", 7_200_000)     // EUR 600,000 at 12
	over := grant(bw, theirs, "2024-03-01", 2_400_000) // EUR 200,000: 800,000 of 750,000
	if len(over.Warnings) != 1 || over.Warnings[0].Code != "state_aid_ceiling_passed" || !strings.Contains(over.Warnings[0].Message, "Göteborgs Stad") {
		t.Fatalf("Borås's warning: %+v", over.Warnings)
	}

	sgei := func(token string) (funding.Ceiling, string) {
		t.Helper()
		res := w.env.Do("GET", "/api/v1/organisations/"+rec+"/state-aid?on=2024-06-30", token, nil)
		var sa funding.StateAid
		res.JSON(t, &sa)
		if res.Code != 200 {
			t.Fatalf("state aid: %d %s", res.Code, res.Body)
		}
		for _, c := range sa.Ceilings {
			if c.Code == "sgei_de_minimis" {
				return c, string(res.Body)
			}
		}
		t.Fatalf("no SGEI ceiling: %s", res.Body)
		return funding.Ceiling{}, ""
	}
	for _, tc := range []struct {
		name, token     string
		own             []string
		others          []funding.OtherGrant
		hidden          funding.Allocation
		wantSum, status int64
	}{
		{"Göteborg", w.editor, []string{gbg.ID}, []funding.OtherGrant{{Grantor: "Borås Stad", DecisionDate: "2024-03-01", GrantedMinor: 240_000_000, Currency: "SEK", EURCents: 20_000_000}}, over, 80_000_000, 0},
		{"Borås", borasEditor, []string{over.ID}, []funding.OtherGrant{{Grantor: "Göteborgs Stad", DecisionDate: "2024-02-01", GrantedMinor: 720_000_000, Currency: "SEK", EURCents: 60_000_000}}, gbg, 80_000_000, 0},
		{"Malmö", malmoEditor, nil, []funding.OtherGrant{
			{Grantor: "Göteborgs Stad", DecisionDate: "2024-02-01", GrantedMinor: 720_000_000, Currency: "SEK", EURCents: 60_000_000},
			{Grantor: "Borås Stad", DecisionDate: "2024-03-01", GrantedMinor: 240_000_000, Currency: "SEK", EURCents: 20_000_000}}, gbg, 80_000_000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, body := sgei(tc.token)
			var own []string
			for _, a := range c.Allocations {
				own = append(own, a.AllocationID)
			}
			if c.SumCents != tc.wantSum || c.Status != "over" || !slices.Equal(own, tc.own) || !slices.Equal(c.OtherGrants, tc.others) {
				t.Fatalf("sum %d, status %s, own %v, others %+v", c.SumCents, c.Status, own, c.OtherGrants)
			}
			for _, secret := range []string{tc.hidden.ID, tc.hidden.PartnershipID, tc.hidden.SourceID, tc.hidden.DecisionReference} {
				if strings.Contains(body, secret) {
					t.Errorf("the answer shows %q of another tenant", secret)
				}
			}
		})
	}

	t.Run("shared, a grant counts once", func(t *testing.T) {
		w.share(t, ours, boras)
		c, _ := sgei(borasEditor)
		if c.SumCents != 80_000_000 || len(c.Allocations) != 2 || len(c.OtherGrants) != 0 {
			t.Fatalf("sum %d, own %d, others %d", c.SumCents, len(c.Allocations), len(c.OtherGrants))
		}
	})
}
