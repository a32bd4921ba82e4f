package organisations_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
)

func TestContactsAndErasure(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, viewer := env.NewUser(auth.RoleViewer)
	o := create(t, env, editor, organisations.NewRequest{Name: "Bräcke diakoni", Sector: "civil_society", LegalForm: "stiftelse"})
	base := "/api/v1/organisations/" + o.ID + "/contacts"

	res := env.Do("POST", base, editor, organisations.NewContactRequest{Name: "Anna Andersson", Title: "Verksamhetschef", Email: "anna@bracke.example", Phone: "031-00 00 00"})
	var c organisations.Contact
	res.JSON(t, &c)
	if res.Code != 201 || c.Name != "Anna Andersson" {
		t.Fatalf("add: %d %s", res.Code, res.Body)
	}
	if res := env.Do("POST", base, editor, organisations.NewContactRequest{Email: "x@y.se"}); res.Code != 422 {
		t.Fatalf("a contact without a name: %d", res.Code)
	}
	if res := env.Do("POST", "/api/v1/organisations/"+uuid.NewString()+"/contacts", editor, organisations.NewContactRequest{Name: "x"}); res.Code != 404 {
		t.Fatalf("contact of no organisation: %d", res.Code)
	}
	var l organisations.ContactList
	env.Do("GET", base, viewer, nil).JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("list: %+v", l)
	}
	res = env.Do("PATCH", base+"/"+c.ID, editor, map[string]string{"phone": "031-11 11 11"}, apptest.H("If-Match", `"1"`))
	if res.Code != 200 {
		t.Fatalf("update: %d %s", res.Code, res.Body)
	}
	if res := env.Do("PATCH", base+"/"+c.ID, viewer, map[string]string{"phone": "1"}, apptest.H("If-Match", `"2"`)); res.Code != 403 {
		t.Fatalf("a viewer changed a contact: %d", res.Code)
	}

	res = env.Do("POST", base+"/"+c.ID+"/erase", editor, nil)
	var erased organisations.Contact
	res.JSON(t, &erased)
	if res.Code != 200 || !erased.Erased || erased.Name != "" || erased.Email != "" || erased.Phone != "" {
		t.Fatalf("erase: %d %s", res.Code, res.Body)
	}
	if res := env.Do("POST", base+"/"+c.ID+"/erase", editor, nil); res.Code != 200 {
		t.Fatalf("erase twice: %d", res.Code)
	}
	if res := env.Do("PATCH", base+"/"+c.ID, editor, map[string]string{"name": "Åter"}, apptest.H("If-Match", `"3"`)); res.Code != 409 {
		t.Fatalf("change after erasure: %d", res.Code)
	}
	// Nothing personal is left anywhere: not in the row, not in the audit trail.
	var leftovers int64
	env.Owner().Raw(`SELECT count(*) FROM contacts WHERE id = ? AND (name <> '' OR email <> '' OR phone <> '' OR title <> '')`, c.ID).Scan(&leftovers)
	var trail []string
	env.Owner().Raw(`SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM audit_events WHERE entity_id = ?`, c.ID).Scan(&trail)
	if leftovers != 0 || len(trail) != 3 { // create, update, erase (the second erasure changes nothing)
		t.Fatalf("row left with data: %d; %d audit events", leftovers, len(trail))
	}
	for _, e := range trail {
		if strings.Contains(e, "Anna") || strings.Contains(e, "anna@") || strings.Contains(e, "031-") {
			t.Fatalf("the audit trail holds personal data: %s", e)
		}
	}
	env.Do("GET", base, viewer, nil).JSON(t, &l)
	if len(l.Items) != 0 {
		t.Fatal("an erased contact is still listed")
	}

	second := organisations.Contact{}
	env.Do("POST", base, editor, organisations.NewContactRequest{Name: "Ordförande"}).JSON(t, &second)
	if res := env.Do("DELETE", base+"/"+second.ID, editor, nil, apptest.H("If-Match", `"1"`)); res.Code != 204 {
		t.Fatalf("remove: %d %s", res.Code, res.Body)
	}
	if res := env.Do("GET", base+"/"+second.ID, editor, nil); res.Code != 404 {
		t.Fatalf("removed contact: %d", res.Code)
	}
}
