package partnerships_test

import (
	"slices"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/partnerships"
)

// The history tab reads the audit trail: the partnership's own changes and
// those of what hangs on it, newest first, with who and which fields.
func TestHistoryFromTheAuditTrail(t *testing.T) {
	fx := setup(t)
	env := fx.env
	club := fx.org("Historieklubben " + apptest.Unique("t"))
	p := fx.create(t, fx.editor, partnerships.NewRequest{Title: "Historia", StartDate: "2024-01-01"})
	base := "/api/v1/partnerships/" + p.ID
	env.Do("POST", base+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: club, Role: "lead"})
	if r := env.Do("PATCH", base, fx.editor, map[string]string{"title": "Historia 2", "purpose": "Att minnas"}, apptest.H("If-Match", `"1"`)); r.Code != 200 {
		t.Fatalf("patch: %d %s", r.Code, r.Body)
	}
	other := fx.create(t, fx.editor, partnerships.NewRequest{Title: "Annan"})
	env.Do("POST", "/api/v1/partnerships/"+other.ID+"/parties", fx.editor, partnerships.NewPartyRequest{OrganisationID: club, Role: "lead"})

	var h partnerships.HistoryList
	res := env.Do("GET", base+"/history", fx.editor, nil)
	res.JSON(t, &h)
	var actions []string
	for _, e := range h.Items {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"partnership.update", "party.create", "partnership.create"}) {
		t.Fatalf("history: %v\n%s", actions, res.Body)
	}
	if got := h.Items[0].Changed; !slices.Equal(got, []string{"purpose", "title"}) || h.Items[0].ActorName == "" || h.Items[0].ActorName == h.Items[0].EntityID {
		t.Errorf("update event: %+v", h.Items[0])
	}

	// Pages, newest first, by cursor.
	res = env.Do("GET", base+"/history?limit=2", fx.editor, nil)
	res.JSON(t, &h)
	if len(h.Items) != 2 || h.NextCursor == "" {
		t.Fatalf("first page: %s", res.Body)
	}
	var last partnerships.HistoryList
	env.Do("GET", base+"/history?limit=2&cursor="+h.NextCursor, fx.editor, nil).JSON(t, &last)
	if len(last.Items) != 1 || last.Items[0].Action != "partnership.create" || last.NextCursor != "" {
		t.Fatalf("second page: %+v", last)
	}
	for _, q := range []string{"?limit=0", "?limit=201", "?cursor=abc", "?since=2024-01-01"} {
		if r := env.Do("GET", base+"/history"+q, fx.editor, nil); r.Code != 400 {
			t.Errorf("%s: %d", q, r.Code)
		}
	}
}
